/**
 * qemu-monitor-command through vsh against a real QEMU (qemu:///embed, TCG): raw QMP replies,
 * HMP text, --return-value and --pretty, and QMP words wrapped into the command QEMU runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRoot, describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

describeIf('qemu')('qemu-monitor-command on a running QEMU', () => {
  let root: string;
  let uri: string;
  let xml: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-qemu-'));
    uri = `qemu:///embed?root=${root}`;
    xml = path.join(root, 'live.xml');
    fs.writeFileSync(
      xml,
      "<domain type='qemu'><name>live</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64'>hvm</type></os><devices/></domain>",
    );
  });

  afterAll(() => cleanupRoot(root));

  it('prints replies raw, as the return value, pretty, and from HMP', async () => {
    const r = await runVsh([
      '-q',
      '-c',
      uri,
      [
        `create ${xml}`,
        'qemu-monitor-command live query-name',
        'qemu-monitor-command live --return-value query-name',
        'qemu-monitor-command live --pretty --return-value query-status',
        'qemu-monitor-command live --hmp info status',
        'qemu-monitor-command live --return-value qom-get \'"path":"/machine"\' \'"property":"type"\'',
        'qemu-monitor-command live --return-value human-monitor-command \'{"command-line":"info name"}\'',
        'qemu-monitor-command live --return-value no-such-command',
        'destroy live',
      ].join('; '),
    ]);
    const lines = r.stdout.split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ return: { name: 'live' } });
    expect(lines.slice(1)).toEqual([
      '{"name":"live"}',
      '{',
      '  "status": "running",',
      '  "singlestep": false,',
      '  "running": true',
      '}',
      'VM status: running',
      '',
      expect.stringMatching(/^"pc-i440fx-[\d.]+-machine"$/),
      '"live\\r\\n"',
      '',
    ]);
    expect(r.stderr).toBe("error: 'return' member missing\n");
    expect(r.code).toBe(0);
  });
});

describeIf('qemu')('domxml-to-native on a QEMU connection', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-native-'));
    fs.writeFileSync(
      path.join(root, 'n.xml'),
      "<domain type='qemu'><name>native</name><uuid>11111111-2222-3333-4444-555555555555</uuid>" +
        "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices/></domain>",
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints the command line this host would run, and refuses other formats as libvirt does', async () => {
    const uri = `qemu:///embed?root=${root}`;
    const ok = await runVsh(['-c', uri, `domxml-to-native qemu-argv --xml ${path.join(root, 'n.xml')}`]);
    expect(ok.stdout).toMatch(
      /^LC_ALL=C .*\/qemu-system-x86_64 -name guest=native,debug-threads=on .* -uuid 11111111-2222-3333-4444-555555555555 /,
    );
    expect(ok.stdout.trimEnd().split('\n')).toHaveLength(1);
    const bad = await runVsh(['-c', uri, `domxml-to-native xen-xl --xml ${path.join(root, 'n.xml')}`]);
    expect(bad.stderr).toBe('error: unsupported configuration: Unsupported config type xen-xl\n');
  });
});
