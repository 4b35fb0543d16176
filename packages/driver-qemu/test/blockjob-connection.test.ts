/**
 * Block jobs through a `qemu:///embed` connection and the public API: an active commit that
 * reaches READY, pivots onto the base and leaves the domain XML on the shorter chain.
 */
import {
  ConnectDomainEventBlockJobStatus as S,
  DomainBlockCommitFlags as C,
  DomainBlockJobAbortFlags as A,
  DomainEventID,
  type Connect,
  type Domain,
  type DomainEvent,
} from '@virtkit/core';
import { QmpClient } from '../src/qmp';
import { cleanupRoot, domainXml, driverOf, newRoot, openEmbed, until } from './driver-helpers';
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
    expect(events).toEqual([
      ['hda', S.VIR_DOMAIN_BLOCK_JOB_READY],
      ['hda', S.VIR_DOMAIN_BLOCK_JOB_COMPLETED],
    ]);
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

/**
 * Online jobs outlive the driver that started them (they are kept in the status file): a new
 * embed driver state on the same root takes back a job QEMU still runs, and completes one that
 * ended while no driver followed it.
 */
describe('block jobs across driver restarts', () => {
  let root: string;
  let chain: Chain;
  let conn: Connect | undefined;

  beforeEach(() => {
    root = newRoot();
  });
  afterEach(async () => {
    await cleanupRoot(root, conn);
    conn = undefined;
    removeChain(chain);
  });

  /** A fresh driver state of the root (the previous connection was the last one, so its state is gone). */
  async function reopen(): Promise<{ c: Connect; dom: () => Promise<Domain>; events: Array<[string, number]> }> {
    await conn?.close();
    conn = await openEmbed(root);
    const events: Array<[string, number]> = [];
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, (_c, _d, e: DomainEvent) => {
      events.push([e.dst as string, e.status as number]);
    });
    const c = conn;
    return { c, dom: () => c.lookupByName('bj'), events };
  }

  it('a ready active commit started by one driver is pivoted through the next', async () => {
    chain = makeChain();
    const first = await reopen();
    let dom = await first.c.defineXML(domainXml('bj', { disk: chain.img.active }));
    await dom.create();
    await dom.blockCommit('hda', chain.img.snap1, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE);
    await until(() => first.events.some(([, s]) => s === S.VIR_DOMAIN_BLOCK_JOB_READY));

    const next = await reopen();
    dom = await next.dom();
    const info = await dom.getBlockJobInfo('hda');
    expect(info).toMatchObject({ type: 4 /* ACTIVE_COMMIT */ });
    expect(info!.cur).toBe(info!.end);
    await dom.blockJobAbort('hda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(next.events).toEqual([['hda', S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]]);
    expect(await dom.getXMLDesc()).toContain(`<source file='${chain.img.snap1}'`);
    await dom.destroy();
    expect(await dom.getXMLDesc()).toContain(`<source file='${chain.img.snap1}'/>`);
    expect(hasPattern(chain.img.snap1, 3, 0x44)).toBe(true);
  });

  it('closing the last connection waits for an offline job, so its end is recorded', async () => {
    chain = makeChain({ extraMiB: 1 });
    const { c } = await reopen();
    const dom = await c.defineXML(domainXml('bj', { disk: chain.img.active }));
    // 1 MiB/s over 2 MiB of data: still copying when the connection closes.
    await dom.blockCommit('hda', chain.img.snap1, chain.img.snap2, 1, 0);
    expect(await dom.getBlockJobInfo('hda')).toMatchObject({ type: 3 /* COMMIT */ });
    await conn!.close();
    conn = undefined;
    expect(imageChain(chain.img.active).map((l) => l.filename)).toEqual([chain.img.active, chain.img.snap1, chain.img.base]);
    const next = await reopen();
    expect(await (await next.dom()).getXMLDesc()).not.toContain(chain.img.snap2);
  });

  it('a commit that ended while no driver followed it is completed by the next open', async () => {
    chain = makeChain({ extraMiB: 2 });
    const { c } = await reopen();
    const dom = await c.defineXML(domainXml('bj', { disk: chain.img.active }));
    await dom.create();
    const monitorPath = driverOf(c).manager.domains.get('bj')!.monitorPath!;
    // 1 MiB/s over 3 MiB of data: still running when this driver state goes away.
    await dom.blockCommit('hda', chain.img.snap1, chain.img.snap2, 1, 0);
    await conn!.close();
    conn = undefined;

    const qmp = await QmpClient.connect(monitorPath);
    try {
      await until(async () => (await qmp.execute<unknown[]>('query-block-jobs')).length === 0, 20_000);
    } finally {
      await qmp.close();
    }
    const next = await reopen();
    const again = await next.dom();
    expect(await again.getBlockJobInfo('hda')).toBeNull();
    const xml = await again.getXMLDesc();
    expect(xml).not.toContain(chain.img.snap2);
    expect(xml.indexOf(chain.img.active)).toBeLessThan(xml.indexOf(chain.img.snap1));
    // The next job on the disk is not refused as busy: the adopted one ended.
    await again.blockCommit('hda', chain.img.base, chain.img.snap1, 0, 0);
    await until(() => next.events.some(([, s]) => s === S.VIR_DOMAIN_BLOCK_JOB_COMPLETED));
  });
});
