/** IOThreads of a running TCG QEMU: object-add/object-del, the threads' affinity, the definition, and the iothread stats group. */
import * as fs from 'node:fs';
import { DomainStatsTypes as S, DomainXMLFlags as X, type Connect, type VirError } from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';

const xml = `<domain type='qemu'><name>io</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`;

describeIf('qemu')('IOThreads on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('adds, pins, reports and deletes an IOThread of the running domain', async () => {
    const dom = await conn.defineXML(xml);
    await dom.create();
    expect(await dom.getIOThreadInfo(0)).toEqual([]);
    await dom.addIOThread(3, 0);
    const dup = (await rejection(dom.addIOThread(3, 0))) as VirError;
    expect(dup.message).toBe("invalid argument: an IOThread is already using iothread_id '3'");
    expect(await dom.getXMLDesc()).toContain("<iothreads>1</iothreads>\n  <iothreadids>\n    <iothread id='3'/>\n  </iothreadids>");
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).not.toContain('iothread');
    await dom.pinIOThread(3, Uint8Array.of(0b01), 0);
    const [info] = await dom.getIOThreadInfo(0);
    expect([info.iothread_id, [...info.cpumap]]).toEqual([3, [0b01]]);
    expect(await dom.getXMLDesc()).toContain("<iothreadpin iothread='3' cpuset='0'/>");
    const [rec] = await conn.domainListGetStats([dom], S.VIR_DOMAIN_STATS_IOTHREAD);
    expect(Object.keys(rec.params)).toEqual(['iothread.count', 'iothread.3.poll-max-ns', 'iothread.3.poll-grow', 'iothread.3.poll-shrink']);
    expect(rec.params['iothread.count']).toBe(1);
    await dom.delIOThread(3, 0);
    expect(await dom.getIOThreadInfo(0)).toEqual([]);
    const gone = (await rejection(dom.delIOThread(3, 0))) as VirError;
    expect(gone.message).toBe("invalid argument: cannot find IOThread '3' in iothreadids list");
    expect(fs.existsSync(root)).toBe(true);
    await dom.destroy();
    await dom.undefine();
  }, 120_000);
});
