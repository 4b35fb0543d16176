/** dump through vsh against a real QEMU (qemu:///embed, TCG): memory-only dumps in two formats, and virsh's refusals. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRoot, describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

describeIf('qemu')('dump on a running QEMU', () => {
  let root: string;
  let uri: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-dump-'));
    uri = `qemu:///embed?root=${root}`;
    fs.writeFileSync(
      path.join(root, 'dm.xml'),
      "<domain type='qemu'><name>dm</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>",
    );
  });

  afterAll(() => cleanupRoot(root));

  it('writes an ELF core and a kdump file, and refuses --format without --memory-only', async () => {
    const elf = path.join(root, 'dm.core');
    const kdump = path.join(root, 'dm.kdump');
    const r = await runVsh([
      '-c',
      uri,
      [
        `create ${path.join(root, 'dm.xml')}`,
        `dump dm ${elf} --memory-only --format elf`,
        `dump dm ${kdump} --memory-only --format kdump-zlib --live`,
        `dump dm ${elf} --format kdump-zlib`,
        `dump dm ${elf} --memory-only --format bogus`,
        'domstate dm',
        `dump dm ${elf} --memory-only --crash`,
        'domstate dm',
      ].join('; '),
    ]);
    expect(r.stdout).toContain(`\nDomain 'dm' dumped to ${elf}\n`);
    expect(r.stdout).toContain(`\nDomain 'dm' dumped to ${kdump}\n`);
    expect(r.stdout).toContain('running\n');
    expect(r.stderr).toBe(
      'error: --format only works with --memory-only\n' +
        "error: format 'bogus' is not supported, expecting 'kdump-zlib', 'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'\n" +
        "error: failed to get domain 'dm'\n",
    );
    expect(fs.readFileSync(elf).subarray(0, 4)).toEqual(Buffer.from('\x7fELF', 'latin1'));
    expect(fs.readFileSync(kdump).subarray(0, 12).toString('latin1')).toBe('makedumpfile');
  }, 120_000);
});
