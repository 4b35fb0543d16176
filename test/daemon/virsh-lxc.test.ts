/**
 * Real virsh and libvirt-python against virtkitd serving `lxc:///`: a busybox container defined,
 * started, listed, reached through `virsh console` (under `script`, which gives virsh the
 * terminal it insists on) and destroyed; lxc-tools configurations converted as libvirt does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, makeBusyboxRootfs, PYTHON, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus', 'lxcconf2xml');

describeIf(
  'virsh',
  'root',
  'mount namespaces',
)('virsh against virtkitd on the LXC driver', () => {
  let daemon: RunningDaemon;
  let work: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-lxc-'));
    makeBusyboxRootfs(path.join(work, 'rootfs'), ['sh', 'echo', 'hostname', 'sleep']);
    daemon = await startDaemon([], { VIRTKIT_LXC_ROOT: path.join(work, 'lxc') });
    uri = `lxc+unix:///?socket=${daemon.sock}`;
  }, 60_000);

  afterAll(async () => {
    run('destroy', 'vct1');
    await daemon?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('converts the lxcconf2xml corpus with domxml-from-native', () => {
    const rows = fs
      .readFileSync(path.join(CORPUS, 'cases.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[0]!);
    const wrong: string[] = [];
    for (const name of rows) {
      // The UUID is random and the emulator is this host's controller: the rest is libvirt's.
      const norm = (x: string) => x.replace(/<uuid>.*<\/uuid>\n/, '').replace(/<emulator>.*<\/emulator>/, '<emulator/>');
      const want = norm(fs.readFileSync(path.join(CORPUS, `${name}.xml`), 'utf8'));
      const got = norm(run('domxml-from-native', 'lxc-tools', path.join(CORPUS, `${name}.config`)).out);
      if (got !== `${want}\n`) wrong.push(name);
    }
    expect(wrong).toEqual([]);
  });

  it('defines, starts, lists, opens the console and destroys a container', () => {
    const xml = path.join(work, 'vct1.xml');
    fs.writeFileSync(
      xml,
      `<domain type='lxc'><name>vct1</name><memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sh</init></os>` +
        `<devices><filesystem type='mount'><source dir='${path.join(work, 'rootfs')}'/><target dir='/'/></filesystem><console type='pty'/></devices></domain>`,
    );
    expect(run('define', xml).out).toBe(`Domain 'vct1' defined from ${xml}\n\n`);
    expect(run('start', 'vct1').out).toBe("Domain 'vct1' started\n\n");
    expect(run('list').out).toMatch(/^ \d+\s+vct1\s+running\s*$/m);
    expect(run('dominfo', 'vct1').out).toMatch(/^State:\s+running$/m);
    // virsh console wants a terminal: `script` gives it one; ^] ends the session.
    const session = spawnSync(
      'sh',
      [
        '-c',
        `(sleep 2; printf 'echo in-$(hostname)-$((40+2))\\r'; sleep 2; printf '\\035') | script -qec "virsh -c '${uri}' console vct1" /dev/null`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(session.stdout).toContain('in-vct1-42');
    expect(run('destroy', 'vct1').out).toBe("Domain 'vct1' destroyed\n\n");
    expect(run('domstate', '--reason', 'vct1').out).toBe('shut off (destroyed)\n\n');
  });

  it('is reachable from libvirt-python through the daemon', () => {
    const py = spawnSync(
      PYTHON,
      [
        '-c',
        `import libvirt; c = libvirt.open('${uri}'); d = c.lookupByName('vct1'); print(c.getType(), d.name(), d.isActive(), d.OSType())`,
      ],
      { encoding: 'utf8' },
    );
    expect(py.stdout).toBe('LXC vct1 0 exe\n');
  });
});
