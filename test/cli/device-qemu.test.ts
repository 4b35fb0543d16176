/**
 * The device commands through vsh against a real QEMU (qemu:///embed, TCG): attach-disk and
 * detach-disk live and persistent, blockresize, change-media, with virsh's success lines.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRoot, describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

describeIf('qemu', 'qemu-img')('device commands on a running QEMU', () => {
  let root: string;
  let uri: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-dev-'));
    uri = `qemu:///embed?root=${root}`;
    fs.writeFileSync(
      path.join(root, 'dev.xml'),
      "<domain type='qemu'><name>dev</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>" +
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>" +
        '</devices></domain>',
    );
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(root, 'data.qcow2'), '16M']);
    fs.writeFileSync(path.join(root, 'media.iso'), Buffer.alloc(1024 * 1024));
  });

  afterAll(() => cleanupRoot(root));

  it('attaches, resizes and detaches a disk, and swaps a CD-ROM medium', async () => {
    const data = path.join(root, 'data.qcow2');
    const iso = path.join(root, 'media.iso');
    const r = await runVsh([
      '-c',
      uri,
      [
        `define ${path.join(root, 'dev.xml')}`,
        'start dev',
        `attach-disk dev ${data} sdb --targetbus usb --subdriver qcow2 --persistent`,
        'domblklist dev',
        'blockresize dev sdb 32M',
        'detach-disk dev sdb --live',
        'domblklist dev',
        'domblklist dev --inactive',
        `change-media dev hdc ${iso} --insert`,
        'domblklist dev',
        'change-media dev hdc --eject',
        'destroy dev',
      ].join('; '),
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Disk attached successfully\n');
    expect(r.stdout).toContain(`Block device 'sdb' is resized\n`);
    expect(r.stdout).toContain('Disk detached successfully\n');
    expect(r.stdout).toContain('Successfully inserted media.\n');
    expect(r.stdout).toContain('Successfully ejected media.\n');
    const tables = r.stdout.split(/\n\n/).filter((t) => t.includes(' Target '));
    expect(tables[0]).toMatch(new RegExp(`sdb +${data}`));
    expect(tables[1]).not.toContain('sdb');
    expect(tables[2]).toMatch(new RegExp(`sdb +${data}`));
    expect(tables[3]).toMatch(new RegExp(`hdc +${iso}`));
    const size = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', data], { encoding: 'utf8' })) as {
      'virtual-size': number;
    };
    expect(size['virtual-size']).toBe(32 * 1024 * 1024);
  }, 120_000);
});
