/**
 * Block commit throughput: a 512 MiB layer committed into its base
 *   - by plain `qemu-img commit -b base top` (the reference),
 *   - by that plus `qemu-img rebase -u` of the overlay onto the base (the same work as the job),
 *   - by virtkit's offline block job (BlockJobs.commit on a shut-off domain: qemu-img underneath),
 *   - by a hand-issued QMP block-commit in a running QEMU (TCG, no guest OS): the live floor,
 *   - by virtkit's online block job (BlockJobs.commit on that running QEMU),
 * each on an identical fresh chain `base <- top(512 MiB of data) <- active`, over several rounds
 * (the order rotates per round); prints MiB/s per round, the medians, and the ratio to the
 * reference. Every timing ends when the base is durable (`sync base`): qemu-img flushes on
 * close, QEMU's block job does not.
 *
 * Run: npx tsx bench/blockcommit.ts [rounds=3] [MiB=512] [offline|online]   (BENCH_DIR=/dev/shm
 * to leave the host disk out and measure the software path only; default: /var/tmp, on disk;
 * `offline` or `online` runs only the reference and that side's variants, for more rounds in
 * the same time)
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDomainXml } from '@virtkit/xml';
import { BlockJobs, QmpClient } from '@virtkit/driver-qemu';

const ROUNDS = Number(process.argv[2] ?? 3);
const MIB = Number(process.argv[3] ?? 512);
const ONLY = process.argv[4] as 'offline' | 'online' | undefined;
const DIR = process.env.BENCH_DIR ?? '/var/tmp';

interface Chain {
  dir: string;
  base: string;
  top: string;
  active: string;
}

/** A template chain made once; every run gets a sparse copy of it. */
function makeTemplate(): Chain {
  const dir = fs.mkdtempSync(path.join(DIR, 'vk-bench-tpl-'));
  const c = { dir, base: path.join(dir, 'base.qcow2'), top: path.join(dir, 'top.qcow2'), active: path.join(dir, 'active.qcow2') };
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', c.base, `${MIB + 64}M`]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', c.base, '-F', 'qcow2', c.top]);
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${MIB}M`, c.top], { stdio: 'ignore' });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', c.top, '-F', 'qcow2', c.active]);
  return c;
}

function copyOf(tpl: Chain): Chain {
  const dir = fs.mkdtempSync(path.join(DIR, 'vk-bench-'));
  const c = { dir, base: path.join(dir, 'base.qcow2'), top: path.join(dir, 'top.qcow2'), active: path.join(dir, 'active.qcow2') };
  for (const k of ['base', 'top'] as const) execFileSync('cp', ['--sparse=always', tpl[k], c[k]]);
  // Backing names are absolute: point the copied top at the copied base, recreate the active layer.
  execFileSync('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-b', c.base, '-F', 'qcow2', c.top]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', c.top, '-F', 'qcow2', c.active]);
  execFileSync('sync');
  return c;
}

function check(c: Chain): void {
  execFileSync('qemu-io', ['-f', 'qcow2', '-r', '-c', `read -P 0x5a 0 ${MIB}M`, c.base], { stdio: 'ignore' });
}

function def(c: Chain) {
  return parseDomainXml(
    `<domain type='qemu'><name>bench</name><memory>65536</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${c.active}'/>
      <target dev='vda' bus='virtio'/></disk></devices></domain>`,
    { inactive: false },
  );
}

/** Seconds since `t`, once the base image is on disk. */
function elapsedDurable(t: bigint, c: Chain): number {
  execFileSync('sync', [c.base]);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function plain(c: Chain): Promise<number> {
  const t = process.hrtime.bigint();
  execFileSync('qemu-img', ['commit', '-q', '-f', 'qcow2', '-t', 'writeback', '-b', c.base, c.top]);
  return elapsedDurable(t, c);
}

async function offline(c: Chain): Promise<number> {
  const jobs = new BlockJobs({
    qmp: () => undefined,
    def: (
      (d) => () =>
        d
    )(def(c)),
    save: async () => undefined,
    emit: () => undefined,
  });
  const t = process.hrtime.bigint();
  await jobs.commit('vda', c.base, c.top, 0, 0);
  await jobs.settled('vda');
  return elapsedDurable(t, c);
}

/** QEMU with the chain as libvirt's -blockdev nodes libvirt-1 (base) … libvirt-3 (active). */
async function startQemu(c: Chain) {
  const sock = path.join(c.dir, 'qmp.sock');
  const args = ['-S', '-nodefaults', '-machine', 'pc,accel=tcg', '-display', 'none', '-qmp', `unix:${sock},server=on,wait=off`];
  [c.base, c.top, c.active].forEach((file, i) => {
    args.push(
      '-blockdev',
      JSON.stringify({ driver: 'file', filename: file, 'node-name': `libvirt-${i + 1}-storage`, 'auto-read-only': true, discard: 'unmap' }),
    );
    args.push(
      '-blockdev',
      JSON.stringify({
        'node-name': `libvirt-${i + 1}-format`,
        'read-only': i < 2,
        driver: 'qcow2',
        file: `libvirt-${i + 1}-storage`,
        backing: i === 0 ? null : `libvirt-${i}-format`,
      }),
    );
  });
  args.push('-device', 'virtio-blk-pci,drive=libvirt-3-format,id=virtio-disk0');
  const child = spawn('qemu-system-x86_64', args, { stdio: 'ignore' });
  const qmp = await QmpClient.connect(sock, { connectTimeoutMs: 20_000 });
  const quit = async () => {
    const gone = new Promise((r) => child.once('exit', r));
    await qmp.execute('quit').catch(() => undefined);
    await gone;
    await qmp.close();
  };
  return { qmp, quit };
}

/** The whole offline job by hand: the commit, then the overlay moved onto the base (`rebase -u`). */
async function plainWithRebase(c: Chain): Promise<number> {
  const t = process.hrtime.bigint();
  execFileSync('qemu-img', ['commit', '-q', '-f', 'qcow2', '-t', 'writeback', '-b', c.base, c.top]);
  execFileSync('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-b', c.base, '-F', 'qcow2', c.active]);
  return elapsedDurable(t, c);
}

/** The same live commit issued by hand over QMP: the floor for any wrapper. */
async function rawQmp(c: Chain): Promise<number> {
  const { qmp, quit } = await startQemu(c);
  const t = process.hrtime.bigint();
  const done = qmp.waitEvent('BLOCK_JOB_COMPLETED', 600_000);
  await qmp.execute('block-commit', {
    'job-id': 'bench',
    device: 'libvirt-3-format',
    'top-node': 'libvirt-2-format',
    'base-node': 'libvirt-1-format',
  });
  await done;
  const secs = elapsedDurable(t, c);
  await quit();
  return secs;
}

async function online(c: Chain): Promise<number> {
  const { qmp, quit } = await startQemu(c);
  const d = def(c);
  const jobs = new BlockJobs({ qmp: () => qmp, def: () => d, save: async () => undefined, emit: () => undefined });
  qmp.on('event', (e) => jobs.handleQmpEvent(e));
  const t = process.hrtime.bigint();
  await jobs.commit('vda', c.base, c.top, 0, 0);
  const status = await jobs.settled('vda');
  const secs = elapsedDurable(t, c);
  if (status !== 0) throw new Error(`online commit ended with status ${status}`);
  await quit();
  return secs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const tpl = makeTemplate();
  const sides = {
    offline: { 'commit+rebase -u': plainWithRebase, 'virtkit offline': offline },
    online: { 'QMP block-commit': rawQmp, 'virtkit online': online },
  };
  const fns: Record<string, (c: Chain) => Promise<number>> = {
    'qemu-img commit': plain,
    ...(ONLY ? sides[ONLY] : { ...sides.offline, ...sides.online }),
  };
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = Object.entries(fns);
      for (let k = 0; k < r % order.length; k++) order.push(order.shift()!);
      for (const [name, fn] of order) {
        const c = copyOf(tpl);
        try {
          const secs = await fn(c);
          check(c);
          runs[name].push(MIB / secs);
          console.log(`round ${r + 1}  ${name.padEnd(16)} ${(MIB / secs).toFixed(1).padStart(8)} MiB/s  (${secs.toFixed(2)} s)`);
        } finally {
          fs.rmSync(c.dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    fs.rmSync(tpl.dir, { recursive: true, force: true });
  }
  const ref = median(runs['qemu-img commit']);
  console.log(`\nmedian of ${ROUNDS} rounds, ${MIB} MiB layer:`);
  for (const [name, xs] of Object.entries(runs)) {
    console.log(`  ${name.padEnd(16)} ${median(xs).toFixed(1).padStart(8)} MiB/s   vs qemu-img commit ${(median(xs) / ref).toFixed(3)}`);
  }
  const ratio = (a: string, b: string) => (median(runs[a]) / median(runs[b])).toFixed(3);
  // Paired: the ratio within each round (same minute, same page-cache state), then its median.
  const paired = (a: string, b: string) => {
    const rs = runs[a].map((x, i) => x / runs[b][i]);
    return `${median(rs).toFixed(3)}  (rounds: ${rs.map((r) => r.toFixed(2)).join(' ')})`;
  };
  const show = (side: 'offline' | 'online', floor: string) => {
    if (ONLY && ONLY !== side) return;
    console.log(`  virtkit ${side} vs ${floor}: ${ratio(`virtkit ${side}`, floor)}`);
    console.log(
      `  virtkit ${side} vs qemu-img commit, paired (median of the per-round ratios): ${paired(`virtkit ${side}`, 'qemu-img commit')}`,
    );
  };
  show('offline', 'commit+rebase -u');
  show('online', 'QMP block-commit');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
