/** save, restore, managedsave and managedsave-remove through vsh against a real QEMU (qemu:///embed, TCG). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRoot, describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

describeIf('qemu')('saved state commands on a running QEMU', () => {
  let root: string;
  let uri: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-save-'));
    uri = `qemu:///embed?root=${root}`;
    fs.writeFileSync(
      path.join(root, 'sv.xml'),
      "<domain type='qemu'><name>sv</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>",
    );
  });

  afterAll(() => cleanupRoot(root));

  it('saves, restores, keeps and removes a managed save image, with virsh texts', async () => {
    const file = path.join(root, 'sv.save');
    const r = await runVsh([
      '-c',
      uri,
      [
        `define ${path.join(root, 'sv.xml')}`,
        'start sv',
        `save sv ${file}`,
        'domstate sv --reason',
        `restore ${file} --paused`,
        'domstate sv --reason',
        'managedsave sv',
        'domstate sv --reason',
        'managedsave-remove sv',
        'managedsave-remove sv',
      ].join('; '),
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`\nDomain 'sv' saved to ${file}\n`);
    expect(r.stdout).toContain(`Domain restored from ${file}\n`);
    expect(r.stdout).toContain("\nDomain 'sv' state saved by libvirt\n");
    expect(r.stdout).toContain("Removed managedsave image for domain 'sv'\nDomain 'sv' has no manage save image; removal skipped\n");
    expect(r.stdout.match(/^(shut off \(saved\)|paused \(.*\))$/gm)).toEqual([
      'shut off (saved)',
      expect.stringMatching(/^paused/),
      'shut off (saved)',
    ]);
  }, 120_000);
});
