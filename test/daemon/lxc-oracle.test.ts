/**
 * libvirt 9.0's own LXC driver as the oracle for a running container: the same definition
 * started on a private libvirtd (its system directories and the hybrid host's empty cgroup2
 * mount out of the way, see testkit's startLibvirtd) and on virtkitd, and real virsh's output
 * compared line by line through the lifecycle. What only the host decides (the init's pid, the
 * pty, the controller's path, memory and CPU time used) is masked.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  makeBusyboxRootfs,
  startDaemon,
  startLibvirtd,
  virsh,
  type RunningDaemon,
  type RunningLibvirtd,
} from '@virtkit/testkit';

const UUID = '5f3b2c34-6a07-4a5e-9d2e-6b1f0c9a4e21';

/** The values a host picks: ids, ptys, the controller binary, usage figures. */
function mask(text: string): string {
  return text
    .replace(/id='\d+'/g, "id='ID'")
    .replace(/^(Id:\s+)\d+$/gm, '$1ID')
    .replace(/^( )\d+(\s+ct\s)/gm, '$1ID$2')
    .replace(/\/dev\/pts\/\d+/g, '/dev/pts/N')
    .replace(/<emulator>.*<\/emulator>/, '<emulator/>')
    .replace(/^(Used memory:|CPU time:)\s+.*$/gm, '$1 X');
}

/** Resolves once `done()` holds, or after `ms` regardless. */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
}

/**
 * `virsh event --all --loop` on one daemon, printing each event as it comes, until `stop()`
 * interrupts it as Ctrl-C would (virsh then prints how many events it received).
 */
function watchEvents(uri: string) {
  const p = spawn('virsh', ['-c', uri, 'event', '--all', '--loop'], { env: { ...process.env, LC_ALL: 'C' } });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const ended = new Promise<string>((resolve) => p.on('exit', () => resolve(out)));
  return {
    output: () => out,
    stop: () => {
      p.kill('SIGINT');
      return ended;
    },
  };
}

describeIf(
  'virsh 9.0',
  'root',
  'mount namespaces',
  'libvirtd',
)('a running container: virsh on virtkitd against virsh on libvirt 9.0 LXC', () => {
  let work: string;
  let ours: RunningDaemon;
  let libvirt: RunningLibvirtd;
  let xml: string;
  const uris: string[] = [];
  /** virsh's output for the same arguments on both daemons: [libvirt's, ours]. */
  const both = (...args: string[]) => uris.map((uri) => mask(virsh(['-c', uri, ...args], work).out));

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lxc-oracle-'));
    makeBusyboxRootfs(path.join(work, 'rootfs'), ['sh', 'sleep']);
    xml = path.join(work, 'ct.xml');
    fs.writeFileSync(
      xml,
      `<domain type='lxc'><name>ct</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory>` +
        `<os><type>exe</type><init>/bin/sleep</init><initarg>1000</initarg></os><devices>` +
        `<filesystem type='mount'><source dir='${path.join(work, 'rootfs')}'/><target dir='/'/></filesystem>` +
        `<console type='pty'/></devices></domain>`,
    );
    libvirt = await startLibvirtd({ drivers: ['lxc'], privateSystemDirs: true });
    ours = await startDaemon([], { VIRTKIT_LXC_ROOT: path.join(work, 'lxc') });
    uris.push(`lxc+unix:///system?socket=${libvirt.sock}`, `lxc+unix:///?socket=${ours.sock}`);
  }, 60_000);

  afterAll(async () => {
    for (const uri of uris) {
      virsh(['-c', uri, 'destroy', 'ct'], work);
      virsh(['-c', uri, 'undefine', 'ct'], work);
    }
    await libvirt?.stop();
    await ours?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('defines and starts the container as libvirt does', () => {
    const [theirs, mine] = both('define', xml);
    expect(mine).toBe(theirs);
    const started = both('start', 'ct');
    expect(started[0]).toBe("Domain 'ct' started\n\n");
    expect(started[1]).toBe(started[0]);
  });

  it('shows the running container the same way', () => {
    for (const args of [
      ['dumpxml', 'ct'],
      ['dumpxml', '--inactive', 'ct'],
      ['dominfo', 'ct'],
      ['domstate', '--reason', 'ct'],
      ['list', '--all'],
    ]) {
      const [theirs, mine] = both(...args);
      expect({ args, out: mine }).toEqual({ args, out: theirs });
    }
  });

  it("refuses what libvirt refuses, with libvirt's errors", () => {
    const noInit = path.join(work, 'no-init.xml');
    fs.writeFileSync(noInit, `<domain type='lxc'><name>bad</name><memory unit='MiB'>64</memory><os><type>exe</type></os></domain>`);
    const noConsole = path.join(work, 'no-console.xml');
    fs.writeFileSync(
      noConsole,
      `<domain type='lxc'><name>quiet</name><memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sh</init></os>` +
        `<devices><filesystem type='mount'><source dir='${path.join(work, 'rootfs')}'/><target dir='/'/></filesystem></devices></domain>`,
    );
    for (const args of [
      ['define', noInit],
      ['create', noInit],
      ['create', noConsole],
      ['start', 'nosuch'],
    ]) {
      const [theirs, mine] = both(...args);
      expect({ args, out: mine }).toEqual({ args, out: theirs });
    }
    expect(both('create', noConsole)[1]).toContain('error: unsupported configuration: At least one PTY console is required');
  });

  it('suspends, resumes, refuses a second start, resizes memory and destroys the same way, with the same events', async () => {
    const watchers = uris.map(watchEvents);
    // A watcher's registration is not visible from outside, so redefine (an UPDATED event on both
    // daemons) until every watcher has printed one; the events compared are those after the last.
    const MARK = "event 'lifecycle' for domain 'ct': Defined Updated";
    const allSaw = (line: string) => watchers.every((w) => w.output().includes(line));
    for (let tries = 0; tries < 20 && !allSaw(MARK); tries++) {
      both('define', xml);
      await until(() => allSaw(MARK), 500);
    }
    expect(allSaw(MARK)).toBe(true);
    for (const args of [
      ['suspend', 'ct'],
      ['domstate', '--reason', 'ct'],
      ['resume', 'ct'],
      ['domstate', '--reason', 'ct'],
      ['start', 'ct'],
      ['setmem', 'ct', '32M'],
      ['setmem', 'ct', '1G'],
      ['setmaxmem', 'ct', '128M'],
      ['dumpxml', 'ct'],
      ['destroy', 'ct'],
      ['domstate', '--reason', 'ct'],
      ['dominfo', 'ct'],
      ['setmem', 'ct', '48M'],
      ['setmem', 'ct', '48M', '--config'],
      ['setmaxmem', 'ct', '40M'],
      ['dumpxml', '--inactive', 'ct'],
    ]) {
      const [theirs, mine] = both(...args);
      expect({ args, out: mine }).toEqual({ args, out: theirs });
    }
    await until(() => allSaw("event 'lifecycle' for domain 'ct': Stopped Destroyed"), 10_000);
    const [theirEvents, myEvents] = (await Promise.all(watchers.map((w) => w.stop())))
      // virsh's closing count includes the redefinitions before the last, which may differ.
      .map((out) => out.slice(out.lastIndexOf(MARK)).replace(/^events received: \d+\n/m, ''));
    expect(theirEvents).toContain("event 'lifecycle' for domain 'ct': Stopped Destroyed");
    expect(myEvents).toBe(theirEvents);
  }, 60_000);
});
