/** vCPU and emulator pinning on a running TCG QEMU: thread affinity through sched_setaffinity, pins in <cputune> per flags. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DomainModificationImpact as M, DomainXMLFlags as X, type Connect, type VirError } from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, driverOf, newRoot, openEmbed, rejection } from './driver-helpers';

const xml = `<domain type='qemu'><name>pin</name><memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`;

/** Cpus_allowed_list of a thread of the QEMU process. */
const affinity = (pid: number, tid: number) =>
  /^Cpus_allowed_list:\s*(\S+)$/m.exec(fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1];

describeIf('qemu')('pinning on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('sets the affinity of a vCPU thread and records the pin live, and in the definition only with --config', async () => {
    const dom = await conn.defineXML(xml);
    await dom.create();
    const obj = driverOf(conn).domains.get({ name: dom.getName(), uuid: dom.getUUIDString(), id: dom.getID() });
    const threads = await obj.monitor().execute<Array<{ 'cpu-index': number; 'thread-id': number }>>('query-cpus-fast');
    const vcpu1 = threads.find((t) => t['cpu-index'] === 1)!['thread-id'];
    await dom.pinVcpuFlags(1, Uint8Array.of(0b01), 0);
    expect(affinity(obj.runtime.pid!, vcpu1)).toBe('0');
    expect(await dom.getXMLDesc()).toContain("<cputune>\n    <vcpupin vcpu='1' cpuset='0'/>\n  </cputune>");
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).not.toContain('vcpupin');
    const info = await dom.getVcpuPinInfo(2, 1, 0);
    expect([info.num, [...info.cpumaps]]).toEqual([2, [(1 << os.cpus().length) - 1, 0b01]]);
    await dom.pinVcpuFlags(0, Uint8Array.of(0b10), M.VIR_DOMAIN_AFFECT_CONFIG);
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).toContain("<vcpupin vcpu='0' cpuset='1'/>");
    await dom.pinEmulator(Uint8Array.of(0b01), M.VIR_DOMAIN_AFFECT_LIVE);
    expect(affinity(obj.runtime.pid!, obj.runtime.pid!)).toBe('0');
    expect([...(await dom.getEmulatorPinInfo(1, 0)).cpumaps]).toEqual([0b01]);
    const out = (await rejection(dom.pinVcpuFlags(5, Uint8Array.of(1), 0))) as VirError;
    expect(out.message).toBe('invalid argument: vcpu 5 is out of range of live cpu count 2');
    await dom.destroy();
    await dom.undefine();
  }, 120_000);
});
