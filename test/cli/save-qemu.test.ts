/**
 * save, restore, managedsave, managedsave-remove and the save image XML commands (dumpxml,
 * define, edit) through vsh against a real QEMU (qemu:///embed, TCG).
 */
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

  it('prints and replaces the XML inside managed save and save images', async () => {
    const xml = (name: string, extra = '') =>
      `<domain type='qemu'><name>${name}</name><uuid>0d3e4f27-52c4-47f8-9b5e-58fd0e7bb3a1</uuid>${extra}<memory unit='MiB'>64</memory>` +
      "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>";
    const file = path.join(root, 'im.save');
    const [plain, edited, renamed] = ['im.xml', 'im-edited.xml', 'im-renamed.xml'].map((f) => path.join(root, f));
    fs.writeFileSync(plain, xml('im'));
    fs.writeFileSync(edited, xml('im', '<description>edited</description>'));
    fs.writeFileSync(renamed, xml('im2'));
    const r = await runVsh([
      '-c',
      uri,
      [
        `define ${plain}`,
        'start im',
        'managedsave im',
        'managedsave-dumpxml im --xpath //name',
        `managedsave-define im ${edited} --paused`,
        'managedsave-dumpxml im --xpath //description',
        'start im',
        'domstate im',
        `save im ${file}`,
        `save-image-define ${file} ${renamed}`,
        `save-image-dumpxml ${file} --xpath //name`,
        'managedsave-dumpxml im',
      ].join('; '),
    ]);
    expect(r.stderr).toBe(
      `error: Failed to update ${file}\n` +
        "error: unsupported configuration: Target domain name 'im2' does not match source 'im'\n" +
        'error: Requested operation is not valid: domain does not have managed save image\n',
    );
    expect(r.stdout).toMatch(/<name>im<\/name>\s+Managed save state file of domain 'im' updated\.\s+<description>edited<\/description>\s/);
    // Restored paused, as the redefined image says; the rejected rewrite left the image as saved.
    expect(r.stdout).toMatch(/\npaused\s/);
    expect(r.stdout).toMatch(/<name>im<\/name>\s*$/);
  }, 120_000);

  it('edits the XML of managed save and save images through $EDITOR', async () => {
    // The editor toggles on_crash between destroy and restart, so every edit changes the document.
    const editor = path.join(root, 'toggle.sh');
    fs.writeFileSync(
      editor,
      '#!/bin/sh\nsed -i -e "s#<on_crash>destroy#<on_crash>X#" -e "s#<on_crash>restart#<on_crash>destroy#" -e "s#<on_crash>X#<on_crash>restart#" "$1"\n',
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(root, 'ed.xml'),
      "<domain type='qemu'><name>ed</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>",
    );
    const file = path.join(root, 'ed.save');
    const saved = process.env.EDITOR;
    process.env.EDITOR = editor;
    try {
      const r = await runVsh([
        '-c',
        uri,
        [
          `define ${path.join(root, 'ed.xml')}`,
          'start ed',
          'managedsave ed',
          'managedsave-edit ed --paused',
          'managedsave-dumpxml ed --xpath //on_crash',
          'start ed',
          'domstate ed',
          `save ed ${file}`,
          `save-image-edit ${file} --running`,
          `save-image-dumpxml ${file} --xpath //on_crash`,
          `restore ${file}`,
          'domstate ed',
          'managedsave-edit ed --running --paused',
          'destroy ed',
        ].join('; '),
      ]);
      expect(r.stderr).toBe('error: Options --running and --paused are mutually exclusive\n');
      expect(r.stdout).toContain(
        "Managed save image of Domain 'ed' XML configuration edited.\n\n<on_crash>restart</on_crash>\n\n" +
          "Domain 'ed' started\n\npaused\n",
      );
      expect(r.stdout).toContain(`State file ${file} edited.\n\n<on_crash>destroy</on_crash>\n\nDomain restored from ${file}\n\nrunning\n`);
    } finally {
      if (saved === undefined) delete process.env.EDITOR;
      else process.env.EDITOR = saved;
    }
  }, 120_000);
});
