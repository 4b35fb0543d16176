/**
 * SSH keys, guest power management and the control state through virtkitd, against the tiny
 * guest running Debian's qemu-ga: real virsh (libvirt's remote client, so the wire layouts are
 * libvirt's) and vsh drive get/set-user-sshkeys, dompmsuspend/dompmwakeup and domcontrol. The
 * keys file is read back inside the guest through guest-exec.
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
const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA a@host';
const KEY_B = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQKeyB b@host';
const KEY_C = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC c@host';

function domainXml(name: string, pm: string): string {
  const { kernel, initrd } = tinyGuest(true);
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>192</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd>` +
    `<cmdline>console=ttyS0 tg.counter=0 tg.dhcp=0 tg.shell=tty1</cmdline></os><features><acpi/></features>${pm}<devices>` +
    `<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>` +
    `<serial type='pty'/></devices></domain>\n`
  );
}

describeIf(
  'virsh',
  'qemu',
  'tiny-guest agent',
)('SSH keys, PM suspend and control info through virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  let events: ChildProcess;
  let eventLog = '';
  let vshEvents: ChildProcess;
  let vshEventLog = '';

  const run = (...args: string[]) => virshApart(['-c', uri, ...args], { cwd: work });
  const ok = (...args: string[]) => virshOk(['-c', uri, ...args], { cwd: work });
  const vsh = (...args: string[]) => spawnSync(VSH, ['-c', uri, ...args], { encoding: 'utf8', cwd: work, timeout: 60_000 });
  const file = (name: string, text: string) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, text);
    return p;
  };

  /** Run a shell command in the guest through guest-exec; its output. */
  async function guestSh(script: string): Promise<string> {
    const cmd = { execute: 'guest-exec', arguments: { path: '/bin/sh', arg: ['-c', script], 'capture-output': true } };
    const { pid } = (JSON.parse(ok('qemu-agent-command', 'ga', JSON.stringify(cmd))) as { return: { pid: number } }).return;
    let status: { exited: boolean; 'out-data'?: string } = { exited: false };
    await waitFor(
      () => {
        const reply = ok('qemu-agent-command', 'ga', JSON.stringify({ execute: 'guest-exec-status', arguments: { pid } }));
        status = (JSON.parse(reply) as { return: typeof status }).return;
        return status.exited;
      },
      30_000,
      `guest command '${script}' to finish`,
    );
    return Buffer.from(status['out-data'] ?? '', 'base64').toString('utf8');
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'guest-agent-pm-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    events = spawn('virsh', ['-c', uri, 'event', '--all', '--loop'], { stdio: ['ignore', 'pipe', 'ignore'] });
    events.stdout!.on('data', (d) => (eventLog += String(d)));
    vshEvents = spawn(VSH, ['-c', uri, 'event', '--all', '--loop'], { stdio: ['ignore', 'pipe', 'ignore'] });
    vshEvents.stdout!.on('data', (d) => (vshEventLog += String(d)));
    await waitFor(() => run('list').status === 0 && events.pid !== undefined, 10_000, 'virsh event to connect');
    ok('create', file('ga.xml', domainXml('ga', '')));
    ok('create', file('nos3.xml', domainXml('nos3', "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>")));
    await waitFor(
      () => /state='connected'/.test(ok('dumpxml', 'ga')) && /state='connected'/.test(ok('dumpxml', 'nos3')),
      240_000,
      'the guest agents to open their ports',
    );
  }, 300_000);

  afterAll(async () => {
    events?.kill();
    vshEvents?.kill();
    if (daemon) {
      run('destroy', 'ga');
      run('destroy', 'nos3');
      await daemon.stop();
      fs.rmSync(daemon.dir, { recursive: true, force: true });
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('set-user-sshkeys replaces (--reset), appends and removes keys; get-user-sshkeys lists them as virsh does', async () => {
    ok('set-user-sshkeys', 'ga', 'root', '--reset', '--file', file('ab.pub', `${KEY_A}\n${KEY_B}`));
    expect(await guestSh('cat /root/.ssh/authorized_keys')).toBe(`${KEY_A}\n${KEY_B}`);
    const listed = ok('get-user-sshkeys', 'ga', 'root');
    expect(vsh('get-user-sshkeys', 'ga', 'root').stdout).toBe(listed);
    expect(listed).toContain(KEY_A);
    expect(listed).toContain(KEY_B);

    // Append from vsh (the default without --reset), remove through virsh.
    expect(vsh('set-user-sshkeys', 'ga', 'root', '--file', file('c.pub', KEY_C)).status).toBe(0);
    expect(await guestSh('cat /root/.ssh/authorized_keys')).toBe(`${KEY_A}\n${KEY_B}\n${KEY_C}`);
    ok('set-user-sshkeys', 'ga', 'root', '--remove', '--file', file('b.pub', KEY_B));
    expect(await guestSh('cat /root/.ssh/authorized_keys')).toBe(`${KEY_A}\n${KEY_C}`);
    expect(vsh('get-user-sshkeys', 'ga', 'root').stdout).toBe(ok('get-user-sshkeys', 'ga', 'root'));

    // --reset without --file empties the file.
    expect(vsh('set-user-sshkeys', 'ga', 'root', '--reset').status).toBe(0);
    expect(await guestSh('cat /root/.ssh/authorized_keys')).toBe('');
  }, 120_000);

  test("virtkit's Python bindings: authorizedSSHKeysSet with APPEND and with keys=None (an empty file), authorizedSSHKeysGet", () => {
    const script = [
      'import sys, virtkit',
      'dom = virtkit.open(sys.argv[1]).lookupByName("ga")',
      'dom.authorizedSSHKeysSet("root", [sys.argv[2]])',
      'dom.authorizedSSHKeysSet("root", [sys.argv[3]], virtkit.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND)',
      'print(dom.authorizedSSHKeysGet("root"))',
      'dom.authorizedSSHKeysSet("root")',
      'print(dom.authorizedSSHKeysGet("root"))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, uri, KEY_A, KEY_B], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: path.join(ROOT, 'packages', 'bindings-python') },
    });
    expect(r.stderr).toBe('');
    // qemu-ga lists the file's keys last first; libvirt passes its list on as it is.
    expect(r.stdout).toBe(`['${KEY_B}', '${KEY_A}']\n[]\n`);
  });

  test('set-user-sshkeys option errors and agent errors match virsh', () => {
    for (const args of [
      ['set-user-sshkeys', 'ga', 'root'],
      ['set-user-sshkeys', 'ga', 'root', '--remove'],
      ['set-user-sshkeys', 'ga', 'root', '--reset', '--remove', '--file', 'x'],
      ['set-user-sshkeys', 'ga', 'root', '--file', file('empty.pub', '')],
      ['set-user-sshkeys', 'ga', 'root', '--file', path.join(work, 'missing.pub')],
      ['get-user-sshkeys', 'ga', 'nosuchuser'],
    ]) {
      const v = run(...args);
      const w = vsh(...args);
      expect(v.status).toBe(1);
      expect([w.status, w.stderr]).toEqual([1, v.stderr]);
    }
  });

  test('dompmsuspend refuses a duration, a target the <pm> element disables, and dompmwakeup a domain not suspended', () => {
    for (const args of [
      ['dompmsuspend', 'ga', 'mem', '--duration', '5'],
      ['dompmsuspend', 'nos3', 'mem'],
      ['dompmsuspend', 'nos3', 'hybrid'],
      ['dompmsuspend', 'nos3', 'disk'],
      ['dompmwakeup', 'ga'],
    ]) {
      const v = run(...args);
      const w = vsh(...args);
      expect(v.status).toBe(1);
      expect([w.status, w.stderr]).toEqual([1, v.stderr]);
    }
    expect(run('dompmsuspend', 'nos3', 'mem').stderr).toBe(
      "error: Domain 'nos3' could not be suspended\nerror: Operation not supported: S3 state is disabled for this domain\n",
    );
  });

  test('domcontrol: ok while idle, occupied while a monitor command waits, the same text from vsh', async () => {
    expect(ok('domcontrol', 'ga')).toBe('ok\n\n');
    expect(vsh('domcontrol', 'ga').stdout).toBe('ok\n\n');
    const pid = Number(fs.readFileSync(path.join(root, 'run', 'ga.pid'), 'utf8').trim());
    process.kill(pid, 'SIGSTOP');
    const stuck = spawn('virsh', ['-c', uri, 'qemu-monitor-command', 'ga', '{"execute":"query-status"}'], { stdio: 'ignore' });
    try {
      await waitFor(() => /^occupied \(\d+\.\d{3}s\)\n\n$/.test(ok('domcontrol', 'ga')), 20_000, 'domcontrol to say occupied');
      expect(vsh('domcontrol', 'ga').stdout).toMatch(/^occupied \(\d+\.\d{3}s\)\n\n$/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await new Promise((r) => stuck.once('exit', r));
    expect(ok('domcontrol', 'ga')).toBe('ok\n\n');
  }, 60_000);

  test('dompmsuspend mem: the guest sleeps (pmsuspended, PM and lifecycle events), dompmwakeup wakes it; virsh, then vsh', async () => {
    expect(await guestSh('cat /sys/power/state')).toMatch(/\bmem\b/);
    const out: string[][] = [];
    for (const cli of [run, vsh]) {
      const before = eventLog.length;
      const suspended = cli('dompmsuspend', 'ga', 'mem');
      expect(suspended.status).toBe(0);
      await waitFor(() => ok('domstate', 'ga', '--reason') === 'pmsuspended (unknown)\n\n', 30_000, 'the guest to sleep');
      await waitFor(
        () => /event 'lifecycle' for domain 'ga': PMSuspended Memory/.test(eventLog.slice(before)),
        10_000,
        'the PMSuspended event',
      );
      expect(eventLog.slice(before)).toContain("event 'pm-suspend' for domain 'ga'\n");
      // Asleep, the guest is neither paused nor resumed by the host.
      for (const op of ['suspend', 'resume']) {
        const v = run(op, 'ga');
        expect(v.stderr).toBe(`error: Failed to ${op} domain 'ga'\nerror: Requested operation is not valid: domain is pmsuspended\n`);
        expect(vsh(op, 'ga').stderr).toBe(v.stderr);
      }
      const woken = cli('dompmwakeup', 'ga');
      expect(woken.status).toBe(0);
      await waitFor(
        () => /event 'lifecycle' for domain 'ga': Started Event wakeup/.test(eventLog.slice(before)),
        10_000,
        'the wakeup event',
      );
      expect(eventLog.slice(before)).toContain("event 'pm-wakeup' for domain 'ga'\n");
      expect(ok('domstate', 'ga', '--reason')).toBe('running (event wakeup)\n\n');
      out.push([suspended.stdout, woken.stdout]);
      await waitFor(() => run('qemu-agent-command', 'ga', '{"execute":"guest-ping"}').status === 0, 60_000, 'the agent after wakeup');
    }
    expect(out[1]).toEqual(out[0]);
    // libvirt's order: the PM event, then the lifecycle event; vsh's `event` prints the same lines.
    const pmLines = (log: string) => log.split('\n').filter((l) => /'pm-|PMSuspended|Event wakeup/.test(l));
    const cycle = [
      "event 'pm-suspend' for domain 'ga'",
      "event 'lifecycle' for domain 'ga': PMSuspended Memory",
      "event 'pm-wakeup' for domain 'ga'",
      "event 'lifecycle' for domain 'ga': Started Event wakeup",
    ];
    expect(pmLines(eventLog)).toEqual([...cycle, ...cycle]);
    await waitFor(() => pmLines(vshEventLog).length === 8, 10_000, 'vsh event to print the PM events');
    expect(pmLines(vshEventLog)).toEqual([...cycle, ...cycle]);
  }, 180_000);

  test('domcontrol: a background job while a save runs (held up by a stopped QEMU), from virsh and vsh', async () => {
    const pid = Number(fs.readFileSync(path.join(root, 'run', 'ga.pid'), 'utf8').trim());
    const image = path.join(work, 'ga.save');
    process.kill(pid, 'SIGSTOP');
    const save = spawn('virsh', ['-c', uri, 'save', 'ga', image], { stdio: 'ignore' });
    const saved = new Promise<number | null>((r) => save.once('exit', r));
    try {
      const job = /^background job \(\d+\.\d{3}s\)\n\n$/;
      await waitFor(() => job.test(ok('domcontrol', 'ga')), 20_000, 'domcontrol to report the save');
      expect(vsh('domcontrol', 'ga').stdout).toMatch(job);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await saved).toBe(0);
    // The domain is transient: saved, it is gone until the restore.
    expect(run('domcontrol', 'ga').stderr).toBe("error: failed to get domain 'ga'\n");
    ok('restore', image);
    expect(ok('domcontrol', 'ga')).toBe('ok\n\n');
  }, 120_000);
});
