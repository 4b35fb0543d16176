/**
 * The guest agent through virtkitd: the tiny guest runs Debian's qemu-ga on its
 * org.qemu.guest_agent.0 channel, and real virsh (libvirt's remote client, so the wire layouts of
 * the remote and libvirt-qemu programs are libvirt's) drives every agent call against it. The
 * guest mounts an ext4 disk so there is a file system to list, freeze and thaw; passwords and the
 * clock are read back inside the guest through guest-exec.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  ROOT,
  startDaemon,
  tinyGuest,
  waitFor,
  type RunningDaemon,
  virshApart,
  virshOk,
} from '@virtkit/testkit';

const VSH = path.join(ROOT, 'bin', 'vsh');

function domainXml(name: string, work: string, agent: boolean): string {
  const { kernel, initrd } = tinyGuest(true);
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>192</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd>` +
    `<cmdline>console=ttyS0 tg.counter=0 tg.dhcp=0 tg.shell=tty1</cmdline></os><features><acpi/></features><devices>` +
    (agent
      ? `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${path.join(work, 'data.img')}'/><target dev='vda' bus='virtio'/></disk>` +
        `<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel><video><model type='vga'/></video>`
      : '') +
    `<serial type='pty'/></devices></domain>\n`
  );
}

describeIf(
  'virsh',
  'qemu',
  'tiny-guest agent',
)('guest agent through virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  let events: ChildProcess;
  let eventLog = '';

  const run = (...args: string[]) => virshApart(['-c', uri, ...args], { cwd: work });
  const ok = (...args: string[]) => virshOk(['-c', uri, ...args], { cwd: work });
  const vsh = (...args: string[]) => spawnSync(VSH, ['-c', uri, ...args], { encoding: 'utf8', cwd: work, timeout: 60_000 });

  /** Run a shell command in the guest through guest-exec; its exit code and output. */
  async function guestSh(script: string): Promise<{ code: number; out: string }> {
    const cmd = { execute: 'guest-exec', arguments: { path: '/bin/sh', arg: ['-c', script], 'capture-output': true } };
    const { pid } = (JSON.parse(ok('qemu-agent-command', 'ga', JSON.stringify(cmd))) as { return: { pid: number } }).return;
    let status: { exited: boolean; exitcode?: number; 'out-data'?: string } = { exited: false };
    await waitFor(
      () => {
        const reply = ok('qemu-agent-command', 'ga', JSON.stringify({ execute: 'guest-exec-status', arguments: { pid } }));
        status = (JSON.parse(reply) as { return: typeof status }).return;
        return status.exited;
      },
      30_000,
      `guest command '${script}' to finish`,
    );
    return { code: status.exitcode ?? -1, out: Buffer.from(status['out-data'] ?? '', 'base64').toString('utf8') };
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'guest-agent-'));
    root = path.join(work, 'qemu-root');
    const img = path.join(work, 'data.img');
    fs.writeFileSync(img, Buffer.alloc(0));
    fs.truncateSync(img, 32 * 1024 * 1024);
    expect(spawnSync('mkfs.ext4', ['-q', '-F', img]).status).toBe(0);
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    events = spawn('virsh', ['-c', uri, 'event', '--all', '--loop'], { stdio: ['ignore', 'pipe', 'ignore'] });
    events.stdout!.on('data', (d) => (eventLog += String(d)));
    await waitFor(() => run('list').status === 0 && events.pid !== undefined, 10_000, 'virsh event to connect');
    fs.writeFileSync(path.join(work, 'ga.xml'), domainXml('ga', work, true));
    fs.writeFileSync(path.join(work, 'plain.xml'), domainXml('plain', work, false));
    ok('create', path.join(work, 'ga.xml'));
    await waitFor(() => /state='connected'/.test(ok('dumpxml', 'ga')), 180_000, 'the guest agent to open its port');
  }, 240_000);

  afterAll(async () => {
    events?.kill();
    if (daemon) {
      run('destroy', 'ga');
      run('destroy', 'plain');
      await daemon.stop();
      fs.rmSync(daemon.dir, { recursive: true, force: true });
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('the channel: QEMU listens on the generated socket, its state is in the live XML, AGENT_LIFECYCLE events', async () => {
    const xml = ok('dumpxml', 'ga');
    expect(xml).toMatch(/<source mode='bind' path='[^']*\/domain-\d+-ga\/org\.qemu\.guest_agent\.0'\/>/);
    expect(xml).toContain("<target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>");
    expect(ok('dumpxml', 'ga', '--inactive')).not.toContain('state=');
    await waitFor(() => /agent-lifecycle.*'connected' reason: 'channel event'/.test(eventLog), 10_000, 'the connected event');
    expect(eventLog).toContain("event 'agent-lifecycle' for domain 'ga': state: 'disconnected' reason: 'domain started'\n");
    expect(eventLog).toContain("event 'agent-lifecycle' for domain 'ga': state: 'connected' reason: 'channel event'\n");
  });

  test('qemu-agent-command (libvirt-qemu program) and domhostname answer from qemu-ga', () => {
    expect(ok('qemu-agent-command', 'ga', '{"execute":"guest-ping"}')).toBe('{"return":{}}\n\n');
    expect(ok('qemu-agent-command', 'ga', '{"execute":"guest-info"}')).toMatch(
      /^\{"return":\{"version":"\d+\.\d+\.\d+","supported_commands":\[/,
    );
    const bad = run('qemu-agent-command', 'ga', '{"execute":"guest-no-such-command"}');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: internal error: unable to execute QEMU agent command 'guest-no-such-command': /m);
    expect(ok('domhostname', 'ga')).toBe('tiny-guest\n\n');
    expect(vsh('domhostname', 'ga').stdout).toBe('tiny-guest\n\n');
    expect(vsh('qemu-agent-command', 'ga', '--pretty', '{"execute":"guest-ping"}').stdout).toBe('{\n  "return": {\n\n  }\n}\n\n');
  });

  test('domtime reads the guest clock and sets it (the guest reads the new time back)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const t = Number(/^Time: (\d+)/.exec(ok('domtime', 'ga'))![1]);
    expect(Math.abs(t - now)).toBeLessThan(300);
    ok('domtime', 'ga', '--time', '1000000000');
    const inGuest = Number((await guestSh('date +%s')).out.trim());
    expect(inGuest).toBeGreaterThanOrEqual(1000000000);
    expect(inGuest).toBeLessThan(1000000060);
    expect(Number(/^Time: (\d+)/.exec(vsh('domtime', 'ga').stdout)![1])).toBeLessThan(1000000060);
    expect(vsh('domtime', 'ga', '--now').status).toBe(0);
    expect(Math.abs(Number(/^Time: (\d+)/.exec(ok('domtime', 'ga'))![1]) - Date.now() / 1000)).toBeLessThan(60);
  }, 60_000);

  test('domfsinfo, domfsfreeze and domfsthaw act on the ext4 disk the guest mounted', async () => {
    expect(ok('domfsinfo', 'ga')).toBe('No filesystems are mounted in the domain\n');
    expect((await guestSh('mkdir -p /mnt/data && mount -t ext4 /dev/vda /mnt/data')).code).toBe(0);
    expect(ok('domfsinfo', 'ga')).toBe(
      ' Mountpoint   Name   Type   Target\n' + '------------------------------------\n' + ' /mnt/data    vda    ext4   vda\n\n',
    );
    expect(vsh('domfsinfo', 'ga').stdout).toBe(ok('domfsinfo', 'ga'));
    expect(ok('domfsfreeze', 'ga')).toBe('Froze 1 filesystem(s)\n\n');
    expect(ok('qemu-agent-command', 'ga', '{"execute":"guest-fsfreeze-status"}')).toBe('{"return":"frozen"}\n\n');
    const partial = run('domfsthaw', 'ga', '/mnt/data');
    expect(partial.stderr).toBe(
      'error: Unable to thaw filesystems\nerror: argument unsupported: specifying mountpoints is not supported\n',
    );
    expect(ok('domfsthaw', 'ga')).toBe('Thawed 1 filesystem(s)\n\n');
    expect(ok('qemu-agent-command', 'ga', '{"execute":"guest-fsfreeze-status"}')).toBe('{"return":"thawed"}\n\n');
    expect(ok('domfsfreeze', 'ga', '/mnt/data')).toBe('Froze 1 filesystem(s)\n\n');
    expect(vsh('domfsthaw', 'ga').stdout).toBe('Thawed 1 filesystem(s)\n\n');
  }, 60_000);

  test('set-user-password writes the guest shadow file, hashed or as given with --encrypted', async () => {
    expect(ok('set-user-password', 'ga', 'root', 's3cret')).toBe('Password set successfully for root in ga\n');
    const hashed = (await guestSh('cat /etc/shadow')).out;
    expect(hashed).toMatch(/^root:\$6\$[^:]+:/m);
    const crypted = '$6$salt$0123456789abcdef';
    expect(vsh('set-user-password', 'ga', 'root', crypted, '--encrypted').status).toBe(0);
    expect((await guestSh('cat /etc/shadow')).out).toMatch(new RegExp(`^root:${crypted.replace(/\$/g, '\\$')}:`, 'm'));
    const nobody = run('set-user-password', 'ga', 'nobody-here', 'x');
    expect(nobody.stderr).toMatch(/^error: internal error: unable to execute QEMU agent command 'guest-set-user-password': /);
  }, 60_000);

  test('guestinfo reports the host name, OS, time zone, the mounted file system on its disk, and interfaces', async () => {
    expect((await guestSh('grep -q " /mnt/data " /proc/mounts || (mkdir -p /mnt/data && mount -t ext4 /dev/vda /mnt/data)')).code).toBe(0);
    const out = ok('guestinfo', 'ga');
    const kernel = (await guestSh('uname -r')).out.trim();
    expect(out).toContain(`os.kernel-release   : ${kernel}\n`);
    expect(out).toContain('timezone.offset     : 0\n');
    expect(out).toContain('hostname            : tiny-guest\n');
    expect(out).toContain('fs.count            : 1\n');
    expect(out).toContain('fs.0.mountpoint     : /mnt/data\n');
    expect(out).toContain('fs.0.disk.0.alias   : vda\n');
    expect(out).toContain('disk.0.alias        : vda\n');
    expect(out).toContain('if.0.name           : lo\n');
    expect(ok('guestinfo', 'ga', '--hostname')).toBe('hostname            : tiny-guest\n\n');
    // The agent source of virDomainInterfaceAddresses: the guest's own view, loopback included.
    const addrs = ok('domifaddr', 'ga', '--source', 'agent');
    expect(addrs).toMatch(/^ lo +00:00:00:00:00:00 +ipv4 +127\.0\.0\.1\/8$/m);
    expect(addrs).toMatch(/^ - +- +ipv6 +::1\/128$/m);
    expect(vsh('guestinfo', 'ga', '--hostname', '--timezone').stdout).toBe(ok('guestinfo', 'ga', '--hostname', '--timezone'));
  }, 60_000);

  test('screenshot: a PNG of the VGA screen through the stream, saved by virsh and vsh', () => {
    const file = path.join(work, 'shot.png');
    expect(ok('screenshot', 'ga', '--file', file)).toBe(`Screenshot saved to ${file}, with type of image/png\n`);
    const png = fs.readFileSync(file);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: 720x400, the VGA text mode
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([720, 400]);
    const viaVsh = vsh('screenshot', 'ga', '--file', path.join(work, 'shot2.png'));
    expect(viaVsh.stdout).toBe(`Screenshot saved to ${path.join(work, 'shot2.png')}, with type of image/png\n`);
    expect(fs.readFileSync(path.join(work, 'shot2.png')).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const bad = run('screenshot', 'ga', '--file', file, '--screen', '1');
    expect(bad.stderr).toContain('error: Requested operation is not valid: no such screen ID\n');
  });

  test('send-key: keys in the linux, xt_kbd, usb, qnum (rfb) and win32 code sets reach the guest console', async () => {
    // h e l l o as Linux names, an XT keyboard code, a USB HID code, a QEMU number and a Win32 name.
    ok('send-key', 'ga', 'KEY_H');
    ok('send-key', 'ga', '--codeset', 'xt_kbd', '18');
    ok('send-key', 'ga', '--codeset', 'usb', '0x0f');
    ok('send-key', 'ga', '--codeset', 'rfb', '0x26');
    ok('send-key', 'ga', '--codeset', 'win32', 'VK_O', '--holdtime', '50');
    expect(vsh('send-key', 'ga', 'KEY_SPACE').status).toBe(0);
    // /dev/vcs1 holds the text of tty1, the VGA console the keyboard types into.
    let screen = '';
    for (let i = 0; i < 20 && !screen.trimEnd().endsWith('hello'); i++) screen = (await guestSh('cat /dev/vcs1')).out;
    expect(screen.trimEnd()).toMatch(/hello$/);
    expect(run('send-key', 'ga', '--codeset', 'bogus', '1').stderr).toBe("error: unknown codeset: 'bogus'\n");
    expect(run('send-key', 'ga', 'KEY_NOPE').stderr).toBe("error: invalid keycode: 'KEY_NOPE'\n");
    expect(run('send-key', 'ga', '--codeset', 'atset1', '0x2a0').stderr).toBe(
      'error: internal error: cannot translate keycode 672 of atset1 codeset to qnum keycode\n',
    );
  }, 60_000);

  test('a domain without the channel: the agent calls say it is not configured', async () => {
    ok('create', path.join(work, 'plain.xml'));
    expect(run('screenshot', 'plain', '--file', path.join(work, 'none.png')).stderr).toBe(
      'error: could not take a screenshot of plain\nerror: Requested operation is not valid: no screens to take screenshot from\n',
    );
    for (const args of [
      ['domtime', 'plain'],
      ['domhostname', 'plain'],
      ['qemu-agent-command', 'plain', '{"execute":"guest-ping"}'],
    ]) {
      const r = run(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('error: argument unsupported: QEMU guest agent is not configured\n');
    }
    expect(run('shutdown', 'plain', '--mode', 'agent').stderr).toContain(
      'error: argument unsupported: QEMU guest agent is not configured\n',
    );
    ok('destroy', 'plain');
  }, 60_000);

  test('reboot --mode agent: qemu-ga reboots the guest, which comes back with its agent', async () => {
    const before = eventLog.length;
    expect(ok('reboot', 'ga', '--mode', 'agent')).toBe("Domain 'ga' is being rebooted\n\n");
    await waitFor(() => /event 'reboot' for domain 'ga'/.test(eventLog.slice(before)), 60_000, 'the reboot event');
    await waitFor(
      () => /state: 'disconnected' reason: 'channel event'\n(.|\n)*state: 'connected' reason: 'channel event'/.test(eventLog.slice(before)),
      180_000,
      'the agent to come back after the reboot',
    );
    expect(ok('domstate', 'ga', '--reason')).toBe('running (booted)\n\n');
    expect(ok('domhostname', 'ga')).toBe('tiny-guest\n\n');
  }, 240_000);

  test('shutdown --mode agent: qemu-ga powers the guest off and the domain stops with reason shutdown', async () => {
    expect(ok('shutdown', 'ga', '--mode', 'agent')).toBe("Domain 'ga' is being shutdown\n\n");
    await waitFor(() => run('domstate', 'ga', '--reason').status !== 0, 60_000, 'the transient domain to go away');
    await waitFor(() => /Stopped Shutdown/.test(eventLog), 10_000, 'the stopped event');
    expect(eventLog).toContain("event 'agent-lifecycle' for domain 'ga': state: 'disconnected' reason: 'channel event'\n");
    expect(eventLog).toContain("event 'lifecycle' for domain 'ga': Shutdown Finished after guest request\n");
  }, 90_000);
});
