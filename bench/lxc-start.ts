/**
 * LXC container start/stop latency and controller memory. Contenders, interleaved per round:
 *
 * - floor: what the driver's controller runs, run bare from here — make the cgroups, then
 *   `script` + `unshare` + the same generated setup script, until the container's PID 1 is the
 *   init program; destroy = SIGKILL to the cgroup's processes, wait, remove the cgroups;
 * - ours: `create()` on `lxc:///` through the public API until it returns (init running), then
 *   `destroy()` until it returns (controller gone, cgroups and mounts removed);
 * - lxc-start: LXC 5 on the same busybox root (`lxc-start -d`, waiting for RUNNING with init
 *   exec'd; `lxc-stop -k`), the alternative runtime;
 * - libvirt 9.0: libvirtd's own LXC driver on the same definition, `create()` through our remote
 *   driver on its socket until the container's PID 1 runs the init program, then `destroy()`.
 *   libvirtd runs in a private mount namespace with its own system directories, where the empty
 *   cgroup2 mount of this hybrid host is unmounted (testkit's startLibvirtd, privateSystemDirs).
 *
 * Prints each round, the medians in milliseconds, and the RSS of our controller process.
 *
 *     npx tsx bench/lxc-start.ts [rounds=7]     (as root)
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open, type Domain } from '@virtkit/core';
import { makeBusyboxRootfs, startLibvirtd } from '@virtkit/testkit';

const ROUNDS = Number(process.argv[2] ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

const xml = (name: string, rootfs: string) =>
  `<domain type='lxc'><name>${name}</name><memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sleep</init><initarg>1000</initarg></os>` +
  `<devices><filesystem type='mount'><source dir='${rootfs}'/><target dir='/'/></filesystem><console type='pty'/></devices></domain>`;

/** The host pid of a process whose innermost pid is 1 and which runs `comm`, among `pids`. */
function initOf(pids: number[], comm: string): number {
  for (const p of pids) {
    try {
      const st = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const ns = /^NSpid:\s*(.*)$/m.exec(st)?.[1]?.trim().split(/\s+/) ?? [];
      if (ns.length > 1 && ns[ns.length - 1] === '1' && /^Name:\s*(\S+)/m.exec(st)?.[1] === comm) return p;
    } catch {
      // gone
    }
  }
  return 0;
}

const procsOf = (dir: string) => fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);

/** The floor: the controller's recipe without the controller or the API. */
async function floorRound(name: string, script: string): Promise<{ start: number; destroy: number }> {
  const dirs = ['memory', 'cpu', 'cpuacct', 'freezer', 'pids', 'blkio'].map((c) => `/sys/fs/cgroup/${c}/virtkit-floor-${name}`);
  const t0 = process.hrtime.bigint();
  for (const d of dirs) fs.mkdirSync(d);
  fs.writeFileSync(path.join(dirs[0]!, 'memory.limit_in_bytes'), String(64 << 20));
  const join = dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join('; ');
  const child = spawn(
    'sh',
    ['-c', `${join}; exec script -qefc "exec unshare --mount --uts --ipc --pid --fork --propagation private sh ${script}" /dev/null`],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  while (!initOf(procsOf(dirs[0]!), 'sleep')) await sleep(1);
  const start = ms(t0);
  const t1 = process.hrtime.bigint();
  const exited = new Promise((r) => child.once('exit', r));
  for (;;) {
    const pids = procsOf(dirs[0]!);
    if (!pids.length) break;
    for (const p of pids) process.kill(p, 'SIGKILL');
    await sleep(1);
  }
  await exited;
  for (const d of dirs) fs.rmdirSync(d);
  return { start, destroy: ms(t1) };
}

async function lxcRound(dir: string, name: string): Promise<{ start: number; destroy: number } | null> {
  const t0 = process.hrtime.bigint();
  execFileSync('lxc-start', ['-P', dir, '-n', name, '-d'], { stdio: 'ignore' });
  for (;;) {
    const pid = Number(execFileSync('lxc-info', ['-P', dir, '-n', name, '-p', '-H']).toString().trim() || 0);
    if (pid && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') break;
    await sleep(1);
  }
  const start = ms(t0);
  const t1 = process.hrtime.bigint();
  execFileSync('lxc-stop', ['-P', dir, '-n', name, '-k'], { stdio: 'ignore' });
  return { start, destroy: ms(t1) };
}

/** libvirt's LXC driver puts each container's processes in machine/lxc-PID-NAME.libvirt-lxc. */
function libvirtInit(name: string, comm: string): number {
  const base = '/sys/fs/cgroup/memory/machine';
  const group = fs.existsSync(base) ? fs.readdirSync(base).find((g) => g.endsWith(`-${name}.libvirt-lxc`)) : undefined;
  return group ? initOf(procsOf(path.join(base, group)), comm) : 0;
}

async function libvirtRound(dom: Domain): Promise<{ start: number; destroy: number }> {
  const t0 = process.hrtime.bigint();
  await dom.create();
  while (!libvirtInit('bench', 'sleep')) await sleep(1);
  const start = ms(t0);
  const t1 = process.hrtime.bigint();
  await dom.destroy();
  return { start, destroy: ms(t1) };
}

function lxcConfig(dir: string, name: string, rootfs: string): boolean {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(
    path.join(dir, name, 'config'),
    [
      `lxc.uts.name = ${name}`,
      `lxc.rootfs.path = dir:${rootfs}`,
      'lxc.net.0.type = empty',
      'lxc.init.cmd = /bin/sleep 1000',
      'lxc.cgroup.memory.limit_in_bytes = 67108864',
      'lxc.tty.max = 0',
      'lxc.pty.max = 8',
      'lxc.apparmor.profile = unconfined',
      'lxc.autodev = 1',
      'lxc.mount.auto = proc:rw',
    ].join('\n') + '\n',
  );
  try {
    execFileSync('lxc-start', ['-P', dir, '-n', name, '-d'], { stdio: 'ignore' });
    execFileSync('lxc-wait', ['-P', dir, '-n', name, '-s', 'RUNNING', '-t', '10'], { stdio: 'ignore' });
    execFileSync('lxc-stop', ['-P', dir, '-n', name, '-k'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-lxc-bench-'));
  const rootfs = path.join(work, 'rootfs');
  makeBusyboxRootfs(rootfs, ['sh', 'sleep'], ['sys']);
  process.env.VIRTKIT_LXC_ROOT = path.join(work, 'tree');
  const conn = await open('lxc:///');
  const dom = await conn.defineXML(xml('bench', rootfs));
  // The floor runs the script our driver generates for this definition.
  await dom.create();
  const script = path.join(work, 'floor-init.sh');
  fs.copyFileSync(path.join(work, 'tree', 'run', 'bench.init.sh'), script);
  const controllerPid = Number(JSON.parse(fs.readFileSync(path.join(work, 'tree', 'run', 'bench.pid.json'), 'utf8')).controller);
  const rss = /^VmRSS:\s*(\d+) kB/m.exec(fs.readFileSync(`/proc/${controllerPid}/status`, 'utf8'))?.[1];
  await dom.destroy();
  const lxcDir = path.join(work, 'lxc');
  const haveLxc = lxcConfig(lxcDir, 'lxcbench', rootfs);
  const libvirtd = await startLibvirtd({ drivers: ['lxc'], privateSystemDirs: true });
  const lvConn = await open(`lxc+unix:///system?socket=${libvirtd.sock}`);
  const lvDom = await lvConn.defineXML(xml('bench', rootfs));
  const rows: Record<string, Array<{ start: number; destroy: number }>> = { floor: [], ours: [], 'lxc-start': [], 'libvirt 9.0': [] };
  for (let i = 0; i < ROUNDS; i++) {
    rows.floor!.push(await floorRound(`r${i}`, script));
    let t0 = process.hrtime.bigint();
    await dom.create();
    const start = ms(t0);
    t0 = process.hrtime.bigint();
    await dom.destroy();
    rows.ours!.push({ start, destroy: ms(t0) });
    if (haveLxc) rows['lxc-start']!.push((await lxcRound(lxcDir, 'lxcbench'))!);
    rows['libvirt 9.0']!.push(await libvirtRound(lvDom));
    console.log(
      `round ${i}: ` +
        Object.entries(rows)
          .filter(([, r]) => r[i])
          .map(([k, r]) => `${k} ${r[i]!.start.toFixed(1)}/${r[i]!.destroy.toFixed(1)}`)
          .join('  '),
    );
  }
  for (const [k, r] of Object.entries(rows)) {
    if (!r.length) continue;
    console.log(
      `${k}: start median ${median(r.map((x) => x.start)).toFixed(1)} ms, destroy median ${median(r.map((x) => x.destroy)).toFixed(1)} ms`,
    );
  }
  const ratio = rows.ours!.map((o, i) => o.start / rows.floor![i]!.start);
  console.log(`ours/floor start, paired median: ${median(ratio).toFixed(2)}x`);
  const vsLibvirt = rows.ours!.map((o, i) => o.start / rows['libvirt 9.0']![i]!.start);
  console.log(`ours/libvirt start, paired median: ${median(vsLibvirt).toFixed(2)}x`);
  console.log(`controller RSS: ${rss} kB`);
  await dom.undefine();
  await conn.close();
  await lvDom.undefine();
  await lvConn.close();
  await libvirtd.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

void main();
