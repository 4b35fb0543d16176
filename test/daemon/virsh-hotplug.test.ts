/**
 * Real virsh against virtkitd serving `qemu:///system` from a private root: a TCG guest gets a
 * USB disk attached (live and persistent), resized, detached live; its CD-ROM gets a medium and
 * loses it; each command prints what virsh prints against libvirtd's QEMU driver.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

describeIf(
  'virsh',
  'qemu',
  'qemu-img',
)('virsh hotplug commands against virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-hotplug-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    fs.writeFileSync(
      path.join(work, 'hp.xml'),
      "<domain type='qemu'><name>hp</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>" +
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>" +
        '</devices></domain>\n',
    );
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(work, 'data.qcow2'), '16M']).status).toBe(0);
    fs.writeFileSync(path.join(work, 'media.iso'), Buffer.alloc(1024 * 1024));
  }, 60_000);

  afterAll(async () => {
    if (daemon) {
      run('destroy', 'hp');
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  test('attach-disk, blockresize, detach-disk, change-media and detach-device-alias', () => {
    const data = path.join(work, 'data.qcow2');
    const iso = path.join(work, 'media.iso');
    expect(run('define', path.join(work, 'hp.xml')).status).toBe(0);
    expect(run('start', 'hp').status).toBe(0);
    expect(run('attach-disk', 'hp', data, 'sdb', '--targetbus', 'usb', '--subdriver', 'qcow2', '--persistent')).toEqual({
      out: 'Disk attached successfully\n\n',
      status: 0,
    });
    expect(run('domblklist', 'hp').out).toMatch(new RegExp(`sdb +${data}`));
    expect(run('blockresize', 'hp', 'sdb', '20M')).toEqual({ out: "Block device 'sdb' is resized\n", status: 0 });
    const info = JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', data], { encoding: 'utf8' }).stdout) as {
      'virtual-size': number;
    };
    expect(info['virtual-size']).toBe(20 * 1024 * 1024);
    expect(run('detach-disk', 'hp', 'sdb', '--live')).toEqual({ out: 'Disk detached successfully\n\n', status: 0 });
    expect(run('domblklist', 'hp').out).not.toContain('sdb');
    expect(run('domblklist', 'hp', '--inactive').out).toMatch(new RegExp(`sdb +${data}`));
    expect(run('change-media', 'hp', 'hdc', iso, '--insert')).toEqual({ out: 'Successfully inserted media.\n', status: 0 });
    expect(run('domblklist', 'hp').out).toMatch(new RegExp(`hdc +${iso}`));
    expect(run('change-media', 'hp', 'hdc', '--eject')).toEqual({ out: 'Successfully ejected media.\n', status: 0 });
    expect(run('detach-device-alias', 'hp', 'ua-none')).toEqual({
      out: 'error: Failed to detach device with alias ua-none\nerror: device not found: no device found with alias ua-none\n\n',
      status: 1,
    });
  }, 120_000);
});
