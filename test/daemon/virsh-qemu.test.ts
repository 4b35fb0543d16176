/**
 * Real virsh against virtkitd serving `qemu:///system` from a private root (`--qemu-root`), so the
 * machine's own /etc/virtkit, /var/lib/virtkit and /run/virtkit stay untouched: a TCG guest is
 * defined, started, snapshotted, block-committed and pulled, checkpointed, watched with
 * `virsh event`, destroyed and undefined; a dir pool goes through its whole life. Each command's
 * output is checked for the text virsh prints against libvirtd's QEMU driver.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const DOM = 'vkq-vm';

function domainXml(disk: string): string {
  return (
    `<domain type='qemu'><name>${DOM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type></os><devices>` +
    `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/>` +
    `<target dev='hda' bus='ide'/></disk></devices></domain>\n`
  );
}

/** The image chain of `file`, top first, as qemu-img reports it. */
function backingChain(file: string): string[] {
  const r = spawnSync('qemu-img', ['info', '--backing-chain', '-U', '--output=json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as Array<{ filename: string }>).map((i) => i.filename);
}

describeIf(
  'virsh',
  'qemu',
  'qemu-img',
)('virsh against virtkitd on the QEMU driver', () => {
  let daemon: RunningDaemon;
  let root: string;
  let work: string;
  let uri: string;
  let base: string;
  /** The lifecycle lines `virsh event` printed in the event test. */
  let watched: string[] = [];
  /** A `virsh event --loop --all` running through the whole file, and what it printed. */
  let wholeRun: ChildProcess | null = null;
  let wholeRunOut = '';
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-qemu-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    base = path.join(work, 'base.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '32M']).status).toBe(0);
    fs.writeFileSync(path.join(work, 'dom.xml'), domainXml(base));
    wholeRun = spawn('virsh', ['-c', uri, 'event', '--loop', '--all'], { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    wholeRun.stdout!.on('data', (b) => (wholeRunOut += String(b)));
    await new Promise((r) => setTimeout(r, 1500));
  }, 60_000);

  afterAll(async () => {
    if (wholeRun && wholeRun.exitCode === null) wholeRun.kill('SIGKILL');
    if (daemon) {
      if (daemon.proc.exitCode === null) run('destroy', DOM);
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  test('smoke: version, uri, hostname, capabilities; the private root is used', () => {
    const v = run('version');
    expect(v.status).toBe(0);
    expect(v.out).toMatch(/^Using API: QEMU 9\.0\.0$/m);
    expect(v.out).toMatch(/^Running hypervisor: QEMU \d+\.\d+\.\d+$/m);
    expect(run('uri').out.trim()).toBe(uri);
    expect(run('hostname').out.trim()).toBe(os.hostname());
    const caps = run('capabilities');
    expect(caps.status).toBe(0);
    expect(caps.out).toMatch(/<domain type='qemu'\/>/);
    expect(caps.out).toContain('<arch>x86_64</arch>');
    expect(fs.existsSync(path.join(root, 'run'))).toBe(true);
  }, 60_000);

  test('define, start, list, dominfo, domstate --reason, dumpxml', () => {
    expect(run('define', 'dom.xml').out).toBe(`Domain '${DOM}' defined from dom.xml\n\n`);
    expect(fs.readdirSync(path.join(root, 'etc'))).toContain(`${DOM}.xml`);
    expect(run('start', DOM).out).toBe(`Domain '${DOM}' started\n\n`);
    expect(run('list').out).toMatch(new RegExp(`^ 1 +${DOM} +running$`, 'm'));
    const info = run('dominfo', DOM).out;
    expect(info).toMatch(/^State: +running$/m);
    expect(info).toMatch(/^Max memory: +65536 KiB$/m);
    expect(info).toMatch(/^Persistent: +yes$/m);
    expect(run('domstate', '--reason', DOM).out).toBe('running (booted)\n\n');
    const xml = run('dumpxml', DOM).out;
    expect(xml).toMatch(/^<domain type='qemu' id='1'>$/m);
    expect(xml).toContain(`<source file='${base}'`);
    expect(xml).toContain("<target dev='hda' bus='ide'/>");
    const hmp = run('qemu-monitor-command', DOM, '--hmp', 'info status');
    expect(hmp.out).toBe('VM status: running\n\n\n');
  }, 60_000);

  test('dominfo reports what it reports against libvirtd with security_driver "none"', () => {
    const out = run('dominfo', DOM).out;
    expect(out).toMatch(/^Managed save: +no$/m);
    expect(out).toMatch(/^Security model: none\nSecurity DOI: +0\n/m);
  }, 30_000);

  test('internal snapshots: create, list --tree, revert, delete', () => {
    expect(run('snapshot-create-as', DOM, 's1').out).toBe('Domain snapshot s1 created\n');
    expect(run('snapshot-create-as', DOM, 's2').out).toBe('Domain snapshot s2 created\n');
    expect(run('snapshot-list', DOM, '--tree').out).toMatch(/^s1\n {2}\|\n {2}\+- s2\n/);
    const snaps = spawnSync('qemu-img', ['snapshot', '-U', '-l', base], { encoding: 'utf8' }).stdout;
    expect(snaps).toMatch(/\bs1\b/);
    expect(snaps).toMatch(/\bs2\b/);
    expect(run('snapshot-revert', DOM, 's1').out).toBe('Domain snapshot s1 reverted\n\n');
    expect(run('snapshot-current', '--name', DOM).out.trim()).toBe('s1');
    expect(run('snapshot-delete', DOM, 's2').out).toBe('Domain snapshot s2 deleted\n\n');
    const list = run('snapshot-list', DOM).out;
    expect(list).toMatch(/^ s1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} +running$/m);
    expect(list).not.toMatch(/\bs2\b/);
  }, 120_000);

  test('blockcommit --active --pivot --wait --verbose over an external overlay', () => {
    const made = run('snapshot-create-as', DOM, 'ext1', '--disk-only', '--atomic', '--no-metadata');
    expect(made.out).toBe('Domain snapshot ext1 created\n');
    const overlay = path.join(work, 'base.ext1');
    expect(run('domblklist', DOM).out).toContain(` hda      ${overlay}`);
    expect(backingChain(overlay)).toEqual([overlay, base]);
    const commit = run('blockcommit', DOM, 'hda', '--active', '--pivot', '--wait', '--verbose');
    expect(commit.status).toBe(0);
    expect(commit.out).toMatch(/Block commit: \[100 %\]\nSuccessfully pivoted\n$/);
    expect(run('domblklist', DOM).out).toContain(` hda      ${base}`);
    expect(run('blockjob', DOM, 'hda', '--info').out).toBe('No current block job for hda\n');
  }, 120_000);

  test('blockpull --wait --verbose flattens the chain into the overlay', () => {
    expect(run('snapshot-create-as', DOM, 'ext2', '--disk-only', '--no-metadata').out).toBe('Domain snapshot ext2 created\n');
    const overlay = path.join(work, 'base.ext2');
    expect(backingChain(overlay)).toEqual([overlay, base]);
    const pull = run('blockpull', DOM, 'hda', '--wait', '--verbose');
    expect(pull.status).toBe(0);
    expect(pull.out).toMatch(/Block Pull: \[100 %\]\nPull complete\n$/);
    expect(backingChain(overlay)).toEqual([overlay]);
    expect(run('blockjob', DOM, 'hda', '--info').out).toBe('No current block job for hda\n');
  }, 120_000);

  // Each virsh is its own connection: the job the first one starts must still be there for the
  // next ones, as under libvirtd (whose outputs these are, measured with the same commands).
  test('blockcommit --active without --wait, then blockjob --info and --pivot from other virsh runs', () => {
    expect(run('snapshot-create-as', DOM, 'ext3', '--disk-only', '--no-metadata').out).toBe('Domain snapshot ext3 created\n');
    const overlay = path.join(work, 'base.ext3');
    // The pull above left base.ext2 as the disk's whole chain; ext3 sits on it.
    const below = path.join(work, 'base.ext2');
    expect(backingChain(overlay)).toEqual([overlay, below]);
    expect(run('blockcommit', DOM, 'hda', '--active').out).toBe('Active Block Commit started\n');
    let info = '';
    const deadline = Date.now() + 20_000;
    while (!/\[100 %\]/.test(info) && Date.now() < deadline) info = run('blockjob', DOM, 'hda', '--info').out;
    // virsh starts its progress line with '\r' or '\n' depending on where its outputs go.
    expect(info).toMatch(/^[\r\n]Active Block Commit: \[100 %\]\n\n$/);
    expect(run('domblklist', DOM).out).toContain(` hda      ${overlay}`);
    expect(run('blockjob', DOM, 'hda', '--pivot').out).toBe('\n');
    expect(run('blockjob', DOM, 'hda', '--info').out).toBe('No current block job for hda\n');
    expect(run('domblklist', DOM).out).toContain(` hda      ${below}\n`);
  }, 60_000);

  test('checkpoint-create-as and checkpoint-list', () => {
    expect(run('checkpoint-create-as', DOM, 'c1').out).toBe('Domain checkpoint c1 created\n');
    expect(run('checkpoint-list', DOM).out).toMatch(/^ c1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\n/m);
    expect(run('checkpoint-list', DOM, '--name').out.trim()).toBe('c1');
  }, 60_000);

  test('event --loop --all receives the lifecycle events of another virsh', async () => {
    const watcher = spawn('virsh', ['-c', uri, 'event', '--loop', '--all', '--timeout', '6'], {
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
    });
    let out = '';
    watcher.stdout.on('data', (b) => (out += String(b)));
    watcher.stderr.on('data', (b) => (out += String(b)));
    const exited = new Promise<number | null>((r) => watcher.once('exit', (c) => r(c)));
    // virsh registers its callbacks right after connecting; give it that moment.
    await new Promise((r) => setTimeout(r, 2000));
    expect(run('destroy', DOM).out).toBe(`Domain '${DOM}' destroyed\n\n`);
    expect(run('start', DOM).out).toBe(`Domain '${DOM}' started\n\n`);
    expect(run('destroy', DOM).out).toBe(`Domain '${DOM}' destroyed\n\n`);
    expect(await exited).toBe(0);
    watched = out.split('\n').filter((l) => l.startsWith("event 'lifecycle'"));
    // The events libvirtd sends besides these are checked (failing) below.
    expect(watched.filter((l) => !/: (Resumed Unpaused|Shutdown Finished after host request)$/.test(l))).toEqual([
      `event 'lifecycle' for domain '${DOM}': Stopped Destroyed`,
      `event 'lifecycle' for domain '${DOM}': Started Booted`,
      `event 'lifecycle' for domain '${DOM}': Stopped Destroyed`,
    ]);
    expect(out).toMatch(/^event loop timed out$/m);
    expect(out).toMatch(/^events received: \d+$/m);
  }, 60_000);

  // What `virsh event --loop --all` prints against libvirtd 9.0's QEMU driver for the same
  // destroy/start/destroy (measured): QEMU's RESUME on start and SHUTDOWN on destroy become
  // "Resumed Unpaused" and "Shutdown Finished after host request".
  test('lifecycle events match libvirtd: Resumed Unpaused on start, Shutdown Finished on destroy', () => {
    expect(watched).toEqual([
      `event 'lifecycle' for domain '${DOM}': Shutdown Finished after host request`,
      `event 'lifecycle' for domain '${DOM}': Stopped Destroyed`,
      `event 'lifecycle' for domain '${DOM}': Resumed Unpaused`,
      `event 'lifecycle' for domain '${DOM}': Started Booted`,
      `event 'lifecycle' for domain '${DOM}': Shutdown Finished after host request`,
      `event 'lifecycle' for domain '${DOM}': Stopped Destroyed`,
    ]);
  });

  test('dir pool: define-as, build, start, vol-create-as/list/info/delete, destroy, undefine', () => {
    const target = path.join(work, 'pool-p1');
    expect(run('pool-define-as', 'p1', 'dir', '--target', target).out).toBe('Pool p1 defined\n\n');
    expect(run('pool-build', 'p1').out).toBe('Pool p1 built\n\n');
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(run('pool-start', 'p1').out).toBe('Pool p1 started\n\n');
    expect(run('vol-create-as', 'p1', 'v1.qcow2', '16M', '--format', 'qcow2').out).toBe('Vol v1.qcow2 created\n\n');
    const vol = path.join(target, 'v1.qcow2');
    const img = JSON.parse(spawnSync('qemu-img', ['info', '--output=json', vol], { encoding: 'utf8' }).stdout) as {
      format: string;
      'virtual-size': number;
    };
    expect(img).toMatchObject({ format: 'qcow2', 'virtual-size': 16 * 1024 * 1024 });
    expect(run('vol-list', 'p1').out).toMatch(new RegExp(`^ v1\\.qcow2 +${vol.replace(/[.]/g, '\\.')}$`, 'm'));
    const info = run('vol-info', 'v1.qcow2', '--pool', 'p1').out;
    expect(info).toMatch(/^Name: +v1\.qcow2\nType: +file\nCapacity: +16\.00 MiB\nAllocation: +\d+\.\d\d KiB\n/);
    expect(run('vol-delete', 'v1.qcow2', '--pool', 'p1').out).toBe('Vol v1.qcow2 deleted\n\n');
    expect(fs.existsSync(vol)).toBe(false);
    expect(run('pool-destroy', 'p1').out).toBe('Pool p1 destroyed\n\n');
    expect(run('pool-undefine', 'p1').out).toBe('Pool p1 has been undefined\n\n');
    expect(run('pool-list', '--all', '--name').out.trim()).toBe('');
  }, 60_000);

  test("the read-only socket refuses writes with libvirt's error and serves reads", () => {
    const ro = `qemu+unix:///system?socket=${daemon.sockRo}`;
    const start = virsh(['-r', '-c', ro, 'start', DOM], work);
    expect(start.status).toBe(1);
    expect(start.out).toBe(
      `error: Failed to start domain '${DOM}'\nerror: operation forbidden: read only access prevents virDomainCreate\n\n`,
    );
    const undef = virsh(['-r', '-c', ro, 'undefine', DOM], work);
    expect(undef.out).toContain('error: operation forbidden: read only access prevents virDomainUndefineFlags');
    expect(virsh(['-r', '-c', ro, 'list', '--all'], work).out).toMatch(new RegExp(`^ - +${DOM} +shut off$`, 'm'));
  }, 30_000);

  test('start, destroy, undefine --snapshots-metadata --checkpoints-metadata', () => {
    expect(run('start', DOM).out).toBe(`Domain '${DOM}' started\n\n`);
    expect(run('destroy', DOM).out).toBe(`Domain '${DOM}' destroyed\n\n`);
    expect(run('undefine', DOM, '--snapshots-metadata', '--checkpoints-metadata').out).toBe(`Domain '${DOM}' has been undefined\n\n`);
    expect(run('list', '--all', '--name').out.trim()).toBe('');
    expect(fs.existsSync(path.join(root, 'etc', `${DOM}.xml`))).toBe(false);
    const gone = run('dominfo', DOM);
    expect(gone.status).toBe(1);
    expect(gone.out).toContain(`error: failed to get domain '${DOM}'`);
  }, 60_000);

  /** The block job events of the file's commit, pull and commit, as libvirtd 9.0 sends them (measured). */
  const BLOCK_JOB_EVENTS = [
    'block-job: Active Block Commit for base.ext1 ready',
    'block-job-2: Active Block Commit for hda ready',
    'block-job: Active Block Commit for base.qcow2 completed', // the disk's image after the pivot, as libvirtd names it
    'block-job-2: Active Block Commit for hda completed',
    'block-job: Block Pull for base.ext2 completed',
    'block-job-2: Block Pull for hda completed',
    'block-job: Active Block Commit for base.ext3 ready',
    'block-job-2: Active Block Commit for hda ready',
    'block-job: Active Block Commit for base.ext2 completed',
    'block-job-2: Active Block Commit for hda completed',
  ];

  /** The domain events of the whole file, paths relative to the work dir. */
  async function wholeRunEvents(): Promise<string[]> {
    if (wholeRun && wholeRun.exitCode === null) {
      const exited = new Promise((r) => wholeRun!.once('exit', r));
      await new Promise((r) => setTimeout(r, 500));
      wholeRun.kill('SIGINT');
      await exited;
    }
    return wholeRunOut
      .split('\n')
      .filter((l) => /^event '(lifecycle|block-job|block-job-2)'/.test(l))
      .map((l) =>
        l
          .replace(`event '${l.split("'")[1]}' for domain '${DOM}': `, `${l.split("'")[1]}: `)
          .split(work + '/')
          .join(''),
      );
  }

  test('a virsh event watcher sees the whole run: block jobs as libvirtd reports them', async () => {
    const events = await wholeRunEvents();
    expect(events[0]).toBe('lifecycle: Defined Added');
    expect(events[events.length - 1]).toBe('lifecycle: Undefined Removed');
    expect(events.filter((l) => l.startsWith('block-job'))).toEqual(BLOCK_JOB_EVENTS);
    // Each internal snapshot of the running guest pauses it around QEMU's savevm.
    expect(events.slice(events.indexOf('lifecycle: Started Booted') + 1).slice(0, 4)).toEqual([
      'lifecycle: Suspended Paused',
      'lifecycle: Resumed Unpaused',
      'lifecycle: Suspended Paused',
      'lifecycle: Resumed Unpaused',
    ]);
  }, 30_000);

  /*
   * The stream libvirtd 9.0's QEMU driver sends for the same commands (measured with the same
   * virsh sequence against a private libvirtd). driver-qemu differs in one place: reverting a
   * running guest to a running snapshot, libvirtd restarts QEMU (Stopped, Started, Resumed,
   * Defined — all "Snapshot"); driver-qemu loads the state in place (Suspended Snapshot, Resumed
   * Snapshot).
   */
  test.failing(
    "the whole run's events match libvirtd's",
    async () => {
      const booted = ['lifecycle: Resumed Unpaused', 'lifecycle: Started Booted'];
      const destroyed = ['lifecycle: Shutdown Finished after host request', 'lifecycle: Stopped Destroyed'];
      expect(await wholeRunEvents()).toEqual([
        'lifecycle: Defined Added',
        ...booted,
        'lifecycle: Suspended Paused',
        'lifecycle: Resumed Unpaused',
        'lifecycle: Suspended Paused',
        'lifecycle: Resumed Unpaused',
        'lifecycle: Stopped Snapshot',
        'lifecycle: Started Snapshot',
        'lifecycle: Resumed Snapshot',
        'lifecycle: Defined Snapshot',
        ...BLOCK_JOB_EVENTS,
        ...destroyed,
        ...booted,
        ...destroyed,
        ...booted,
        ...destroyed,
        'lifecycle: Undefined Removed',
      ]);
    },
    30_000,
  );
});
