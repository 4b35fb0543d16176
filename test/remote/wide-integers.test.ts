/**
 * 64-bit values beyond 2^53 (libvirt's test driver reports a CPU time near 2^61 ns) under the
 * one rule of `Wide`: a bigint on the local path and after the wire alike, printed by vsh as virsh
 * prints them. Through virtkitd and, when installed, through a private libvirtd 9.0 compared with
 * virsh on the same socket: `Cannot mix BigInt and other types` was vsh's answer before.
 */
import { open, wideToNumber } from '@virtkit/core';
import { maskCpuTime, runVsh } from '../cli/harness';
import { describeIf, startDaemon, startLibvirtd, virsh, type RunningDaemon, type RunningLibvirtd } from '@virtkit/testkit';

describe('64-bit values above 2^53 through virtkitd', () => {
  let daemon: RunningDaemon;
  let uri: string;

  beforeAll(async () => {
    daemon = await startDaemon();
    uri = `test+unix:///default?socket=${daemon.sock}`;
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test('getInfo answers the CPU time as a bigint locally and remotely', async () => {
    for (const u of ['test:///default', uri]) {
      const c = await open(u);
      try {
        const info = await (await c.lookupByName('test')).getInfo();
        expect(typeof info.cpuTime).toBe('bigint');
        expect(info.cpuTime > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
        expect(typeof info.memory).toBe('number');
      } finally {
        await c.close();
      }
    }
  });

  test('vsh dominfo prints the same through the daemon as in process', async () => {
    const remote = await runVsh(['-c', uri, 'dominfo', 'test']);
    const local = await runVsh(['-c', 'test:///default', 'dominfo', 'test']);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.stdout).toMatch(/^CPU time: +\d{10}\.\ds$/m);
    expect(maskCpuTime(remote)).toEqual(maskCpuTime(local));
  });

  test('vsh dominfo --json prints the exact 64-bit CPU time', async () => {
    const r = await runVsh(['-c', uri, 'dominfo', 'test', '--json']);
    expect(r.code).toBe(0);
    const digits = /"cpuTime": (\d+)/.exec(r.stdout)?.[1];
    expect(digits).toMatch(/^\d{19}$/);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    expect(BigInt(digits!) <= nowNs && nowNs - BigInt(digits!) < 60_000_000_000n).toBe(true);
    expect(wideToNumber(BigInt(digits!))).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });
});

describeIf('libvirtd', 'virsh')('vsh against a private libvirtd 9.0, compared with virsh', () => {
  let libvirtd: RunningLibvirtd;
  let uri: string;

  beforeAll(async () => {
    libvirtd = await startLibvirtd();
    uri = `test+unix:///default?socket=${libvirtd.sock}`;
  });
  afterAll(async () => {
    await libvirtd?.stop();
  });

  test.each(['dominfo test', 'nodeinfo', 'pool-info default-pool'])('vsh %s prints what virsh prints', async (cmd) => {
    const ours = await runVsh(['-c', uri, ...cmd.split(' ')]);
    const theirs = virsh(['-c', uri, ...cmd.split(' ')], libvirtd.dir);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(theirs.status);
    expect(maskCpuTime(ours).stdout).toBe(maskCpuTime({ stdout: theirs.out, stderr: '', code: 0 }).stdout);
  });
});
