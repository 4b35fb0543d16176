/**
 * Backup throughput on a running QEMU (TCG, no guest OS) with a 1 GiB qcow2 disk holding
 * 512 MiB of data, through virtkit's Backups module:
 *   - full push backup (with checkpoint c1),
 *   - incremental push backup after 64 MiB of guest writes (64 × 1 MiB spread over the disk),
 *   - incremental push backup with nothing dirty,
 * and, as the reference, the disk's sequential read bandwidth (`qemu-img convert` of
 * the same image into a null-co target, i.e. read and discard). Each timing runs from backupBegin to the job's end (target
 * closed by QEMU). Several rounds, each on a fresh VM; prints every round and the medians.
 *
 * Run: npx tsx bench/backup.ts [rounds=3]   (BENCH_DIR=/dev/shm to leave the host disk out)
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { Backups, Checkpoints } from '../packages/driver-qemu/src/backup';
import { TestVm } from '../packages/driver-qemu/test/backup-fixture';

const ROUNDS = Number(process.argv[2] ?? 3);
if (process.env.BENCH_DIR) process.env.TMPDIR = process.env.BENCH_DIR;
const MiB = 1024 * 1024;

interface Round {
  fullS: number;
  incS: number;
  incBytes: number;
  idleS: number;
  readMiBs: number;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function timed(backups: Backups, vm: TestVm, name: string, incremental?: string, checkpoint?: string): Promise<number> {
  const target = vm.file(`${name}.qcow2`);
  const inc = incremental ? `<incremental>${incremental}</incremental>` : '';
  const t0 = process.hrtime.bigint();
  await backups.begin(
    `<domainbackup>${inc}<disks><disk name='vda' type='file'><target file='${target}'/></disk></disks></domainbackup>`,
    checkpoint ? `<domaincheckpoint><name>${checkpoint}</name></domaincheckpoint>` : null,
    0,
  );
  await backups.settled();
  const s = seconds(t0);
  const ev = vm.events.at(-1)!.params as Record<string, unknown>;
  if (ev.success !== true) throw new Error(`backup ${name} failed: ${String(ev.errmsg)}`);
  return s;
}

async function round(): Promise<Round> {
  const vm = new TestVm(1, '1G');
  try {
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 512M', vm.disks[0]], { stdio: 'ignore' });
    const t0 = process.hrtime.bigint();
    execFileSync('qemu-img', ['convert', '-n', vm.disks[0], '--target-image-opts', 'driver=null-co,size=1073741824']);
    const readMiBs = 512 / seconds(t0);
    await vm.start();
    const checkpoints = new Checkpoints(vm.ctx());
    const backups = new Backups(vm.ctx(), checkpoints);
    const fullS = await timed(backups, vm, 'full', undefined, 'c1');
    for (let i = 0; i < 64; i++) await vm.io(0, `write -P 0x77 ${i * 16}M 1M`);
    const incS = await timed(backups, vm, 'inc', 'c1', 'c2');
    const incBytes = Number((vm.events.at(-1)!.params as Record<string, unknown>).disk_total);
    const idleS = await timed(backups, vm, 'idle', 'c2');
    await vm.stop();
    return { fullS, incS, incBytes, idleS, readMiBs };
  } finally {
    await vm.cleanup();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  console.log(`backup bench: 1 GiB qcow2, 512 MiB allocated, ${ROUNDS} rounds, dir ${process.env.TMPDIR ?? os.tmpdir()}, ${os.cpus().length} CPUs`);
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round();
    rounds.push(r);
    console.log(
      `round ${i + 1}: full ${r.fullS.toFixed(3)} s | incremental (64 MiB dirty, ${(r.incBytes / MiB).toFixed(0)} MiB copied) ${r.incS.toFixed(3)} s | ` +
        `nothing dirty ${r.idleS.toFixed(3)} s | sequential read ${r.readMiBs.toFixed(0)} MiB/s`,
    );
  }
  const full = median(rounds.map((r) => r.fullS));
  const read = median(rounds.map((r) => r.readMiBs));
  console.log(`median: full ${full.toFixed(3)} s (${(512 / full).toFixed(0)} MiB/s of data; read alone ${read.toFixed(0)} MiB/s = ${(512 / read).toFixed(3)} s)`);
  console.log(`median: incremental ${median(rounds.map((r) => r.incS)).toFixed(3)} s, nothing dirty ${median(rounds.map((r) => r.idleS)).toFixed(3)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
