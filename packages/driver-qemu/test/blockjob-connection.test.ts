/**
 * Block jobs through a `qemu:///embed` connection and the public API: an active commit that
 * reaches READY, pivots onto the base and leaves the domain XML on the shorter chain.
 */
import {
  ConnectDomainEventBlockJobStatus as S, DomainBlockCommitFlags as C, DomainBlockJobAbortFlags as A, DomainEventID,
  type Connect, type Domain, type DomainEvent,
} from '@virtkit/core';
import { cleanupRoot, domainXml, newRoot, openEmbed, until } from './driver-helpers';
import { hasPattern, imageChain, makeChain, removeChain, type Chain } from './blockjob-fixture';

describe('block jobs on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let chain: Chain;
  const events: Array<[string, number]> = [];

  beforeAll(async () => {
    root = newRoot();
    chain = makeChain();
    conn = await openEmbed(root);
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, (_c, _d, e: DomainEvent) => {
      events.push([e.dst as string, e.status as number]);
    });
    dom = await conn.defineXML(domainXml('bj', { disk: chain.img.active }));
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
    removeChain(chain);
  });

  it('commits the active layer into snap1, pivots, and the domain XML shows the shorter chain', async () => {
    await dom.create();
    await dom.blockCommit('hda', chain.img.snap1, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE);
    await until(() => events.some(([, s]) => s === S.VIR_DOMAIN_BLOCK_JOB_READY));
    const info = await dom.getBlockJobInfo('hda');
    expect(info).toMatchObject({ type: 4 /* ACTIVE_COMMIT */ });
    await dom.blockJobAbort('hda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    await until(() => events.some(([, s]) => s === S.VIR_DOMAIN_BLOCK_JOB_COMPLETED));
    expect(events).toEqual([['hda', S.VIR_DOMAIN_BLOCK_JOB_READY], ['hda', S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]]);
    expect(await dom.getBlockJobInfo('hda')).toBeNull();
    expect(await dom.getXMLDesc()).toContain(`<source file='${chain.img.snap1}'`);
    await dom.destroy();
    // The persistent definition followed the pivot: the next boot uses snap1.
    expect(await dom.getXMLDesc()).toContain(`<source file='${chain.img.snap1}'/>`);
    // snap1 now holds the active layer's data over the two layers below.
    expect(hasPattern(chain.img.snap1, 3, 0x44)).toBe(true);
    expect(hasPattern(chain.img.snap1, 1, 0x22)).toBe(true);
    expect(imageChain(chain.img.snap1).map((l) => l.filename)).toEqual([chain.img.snap1, chain.img.base]);
  });
});
