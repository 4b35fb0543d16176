/**
 * virt-install against virtkitd serving `qemu:///system` from a private root: `--import` with
 * virt-install's own defaults must start the domain. Two default sets are covered: an unknown OS
 * (i440fx with an ICH9 EHCI and three UHCI companions, which must share index 0 and one PCI slot)
 * and a modern Linux (q35, virtio, and the `org.qemu.guest_agent.0` channel on a UNIX socket whose
 * path libvirt generates and a client can connect to).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, kvmRunsHostCpu, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

describeIf(
  'virt-install',
  'virsh',
  'qemu',
  'qemu-img',
)('virt-install --import against virtkitd', () => {
  let daemon: RunningDaemon;
  let root: string;
  let work: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  /** virt-install --import of a fresh 64 MiB disk, with virt-install's defaults but no NIC. */
  function virtInstall(name: string, osinfo: string): { out: string; status: number | null } {
    const disk = path.join(work, `${name}.qcow2`);
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']).status).toBe(0);
    const r = spawnSync(
      'virt-install',
      ['--connect', uri, '--import', '--name', name, '--memory', '128', '--disk', disk, '--osinfo', osinfo, '--network', 'none'] // no NIC: networks are another suite's
        .concat(['--graphics', 'none', '--noautoconsole'], kvmRunsHostCpu() ? [] : ['--virt-type', 'qemu']),
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: work, LANG: 'C', LC_ALL: 'C' } },
    );
    return { out: r.stdout + r.stderr, status: r.status };
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virt-install-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
  }, 60_000);

  afterAll(async () => {
    if (daemon) {
      for (const name of ['vi-generic', 'vi-linux']) run('destroy', name);
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  test('an unknown OS: the EHCI and its UHCI companions share index 0 and one slot, and the domain runs', () => {
    const r = virtInstall('vi-generic', 'detect=on,require=off');
    expect(r.out).toContain('Domain creation completed.');
    expect(r.status).toBe(0);
    expect(run('domstate', 'vi-generic').out.trim()).toBe('running');
    const xml = run('dumpxml', 'vi-generic').out;
    const usb = [...xml.matchAll(/<controller type='usb' index='(\d+)' model='([^']+)'>[\s\S]*?slot='(0x[0-9a-f]+)' function='(0x\d)'/g)];
    expect(usb.map((m) => `${m[2]}:${m[1]}@${m[4]}`)).toEqual([
      'ich9-ehci1:0@0x7',
      'ich9-uhci1:0@0x0',
      'ich9-uhci2:0@0x1',
      'ich9-uhci3:0@0x2',
    ]);
    expect(new Set(usb.map((m) => m[3])).size).toBe(1);
  }, 180_000);

  test("a modern Linux: the guest agent's channel gets libvirt's socket path, which accepts a connection", async () => {
    const r = virtInstall('vi-linux', 'linux2022');
    expect(r.out).toContain('Domain creation completed.');
    expect(run('domstate', 'vi-linux').out.trim()).toBe('running');
    const id = run('domid', 'vi-linux').out.trim();
    const sock = path.join(root, 'lib', 'channel', 'target', `domain-${id}-vi-linux`, 'org.qemu.guest_agent.0');
    const xml = run('dumpxml', 'vi-linux').out;
    expect(xml).toContain(`<source mode='bind' path='${sock}'/>`);
    await new Promise<void>((resolve, reject) => {
      const c = net.connect(sock, () => {
        c.destroy();
        resolve();
      });
      c.once('error', reject);
    });
  }, 180_000);
});
