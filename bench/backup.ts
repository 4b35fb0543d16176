/**
 * Push backups on a running TCG domain (no guest OS) with a 1 GiB qcow2 disk holding 512 MiB
 * of data, virtkit next to libvirt 9.0 on the same QEMU, in the same run (issue 7 item 6):
 *   - full push backup with checkpoint c1,
 *   - incremental since c1 (checkpoint c2) after 64 MiB of guest writes (64 × 1 MiB spread
 *     over the disk, HMP qemu-io),
 *   - incremental since c2 with nothing dirty,
 * each timed from the backupBegin call to the JOB_COMPLETED event; the bytes the incremental
 * copied (`qemu-img map` of its target) against the dirty bytes; and, as the reference, the
 * disk's sequential read bandwidth (`qemu-img convert` of the image into a null-co target).
 *
 *   ours     public API on `qemu:///embed?root=DIR`, in-process (bench/backup/ours.ts)
 *   libvirt  a private libvirtd 9.0 (bench/qemu-compare/libvirtd.ts) through python3-libvirt
 *            (bench/backup/libvirt_round.py); skipped without root or libvirtd
 *
 * Each contender gets its own fresh copy of the same image every round; the contenders' order
 * alternates between rounds so load drift hits both alike. Every QEMU, libvirtd and virtlogd
 * started here is stopped and the work directory removed at the end, also on failure.
 *
 * Run: npx tsx bench/backup.ts [rounds=3]   (BENCH_DIR=/dev/shm to leave the host disk out)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyImage, dataBytes, DIRTY_BYTES, makeTemplate, MiB, offlineCopyS, sequentialReadMiBs } from './backup/disk';
import { libvirtRound, pythonLibvirtMissing } from './backup/libvirt';
import { OursContender } from './backup/ours';
import type { BackupRound } from './backup/result';
import { killStrayQemus } from './backup/strays';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';
import { median } from './qemu-compare/measure';

const ROUNDS = Number(process.argv[2] ?? 3);
const BASE = process.env.BENCH_DIR ?? os.tmpdir();

interface Measured extends BackupRound {
  incBytes: number;
  idleBytes: number;
}

type Contender = 'ours' | 'libvirt';

const loadNow = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

function measured(r: BackupRound): Measured {
  return { ...r, incBytes: dataBytes(r.inc), idleBytes: dataBytes(r.idle) };
}

function describe(who: Contender, r: Measured): string {
  return (
    `${who.padEnd(7)} full ${r.fullS.toFixed(3)} s | incremental ${r.incS.toFixed(3)} s (${(r.incBytes / MiB).toFixed(2)} MiB copied) | ` +
    `nothing dirty ${r.idleS.toFixed(3)} s (${(r.idleBytes / MiB).toFixed(2)} MiB)`
  );
}

interface References {
  readMiBs: number[];
  copyS: number[];
}

function summary(results: Map<Contender, Measured[]>, refs: References): void {
  const col = (who: Contender, pick: (r: Measured) => number) => median((results.get(who) ?? []).map(pick));
  const fmt = (x: number, unit: string, digits = 3) => (Number.isFinite(x) ? `${x.toFixed(digits)} ${unit}` : '—');
  const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');
  const row = (label: string, pick: (r: Measured) => number, unit = 's', digits = 3) => {
    const o = col('ours', pick);
    const l = col('libvirt', pick);
    // Same-round ratios: load drift between rounds cancels out of them.
    const lv = results.get('libvirt') ?? [];
    const paired = median((results.get('ours') ?? []).slice(0, lv.length).map((r, i) => pick(r) / pick(lv[i]!)));
    console.log(`| ${label} | ${fmt(o, unit, digits)} | ${fmt(l, unit, digits)} | ${times(o / l)} | ${times(paired)} |`);
  };
  const all = [...results.values()].flat();
  const exact = all.every((r) => r.incBytes === DIRTY_BYTES && r.idleBytes === 0);
  console.log(
    `\nincremental copied exactly the dirty bytes and the idle one nothing, in all ${all.length} rounds of both contenders: ${exact ? 'yes' : 'NO'}`,
  );
  const read = median(refs.readMiBs);
  console.log(`\nmedians over ${ROUNDS} rounds:\n`);
  console.log('| | ours | libvirt 9.0 | ours / libvirt (medians) | ours / libvirt (same round, median) |');
  console.log('|---|---|---|---|---|');
  row('full push (512 MiB of data)', (r) => r.fullS);
  row('incremental after 64 MiB of writes', (r) => r.incS);
  row('incremental, nothing dirty', (r) => r.idleS);
  row('bytes copied by the incremental', (r) => r.incBytes / MiB, 'MiB', 2);
  console.log(
    `\ndirty bytes: ${DIRTY_BYTES / MiB} MiB; sequential read of the disk: ${read.toFixed(0)} MiB/s ` +
      `(512 MiB in ${(512 / read).toFixed(3)} s); full push at ours ${(512 / col('ours', (r) => r.fullS)).toFixed(0)} MiB/s, ` +
      `libvirt ${(512 / col('libvirt', (r) => r.fullS)).toFixed(0)} MiB/s; ` +
      `qemu-img convert of the disk to a new qcow2 (no VM): ${median(refs.copyS).toFixed(3)} s`,
  );
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(BASE, 'vk-bkb-'));
  let lv: PrivateLibvirtd | undefined;
  let ours: OursContender | undefined;
  // Once, whether reached from the end of main or from a signal in the middle of a round.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await ours?.close().catch(() => undefined);
      let strays = await killStrayQemus(work);
      if (lv) {
        await lv.stop();
        lv.removeMountPoints();
        // A domain libvirtd was starting while it stopped outlives it.
        strays += await killStrayQemus(work);
      }
      if (strays) console.error(`killed ${strays} QEMU process(es) left running`);
      fs.rmSync(work, { recursive: true, force: true });
    })());
  const onSignal = (sig: NodeJS.Signals) => void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(
      `backup bench: 1 GiB qcow2, 512 MiB allocated, ${ROUNDS} rounds, dir ${BASE}, ${os.cpus().length} CPUs, ` +
        `${fs.existsSync('/dev/kvm') ? 'KVM present' : 'TCG'}`,
    );
    console.log(execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).split('\n')[0]);
    console.log(`load at start: ${loadNow()}`);
    const template = path.join(work, 'template.qcow2');
    makeTemplate(template);
    ours = await OursContender.open(path.join(work, 'o'));
    const skip = libvirtUnavailable() ?? (await pythonLibvirtMissing());
    if (skip) console.log(`libvirt column skipped: ${skip}`);
    else {
      lv = new PrivateLibvirtd(path.join(work, 'lv'));
      await lv.start();
    }

    const results = new Map<Contender, Measured[]>([
      ['ours', []],
      ['libvirt', []],
    ]);
    const refs: References = { readMiBs: [], copyS: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order: Contender[] = !lv ? ['ours'] : i % 2 === 0 ? ['ours', 'libvirt'] : ['libvirt', 'ours'];
      console.log(`round ${i + 1}:`);
      for (const who of order) {
        const dir = path.join(work, `r${i}-${who}`);
        const disk = copyImage(template, path.join(dir, 'disk.qcow2'));
        if (who === 'ours') {
          refs.readMiBs.push(sequentialReadMiBs(disk));
          refs.copyS.push(offlineCopyS(disk, path.join(dir, 'convert.qcow2')));
        }
        const r = who === 'ours' ? await ours.round(`bk${i}`, disk, dir) : await libvirtRound(lv!.uri, `bk${i}`, disk, dir);
        const m = measured(r);
        results.get(who)!.push(m);
        console.log(`  ${describe(who, m)}`);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      console.log(
        `  sequential read ${refs.readMiBs.at(-1)!.toFixed(0)} MiB/s, qemu-img convert to qcow2 ${refs.copyS.at(-1)!.toFixed(3)} s`,
      );
    }
    summary(results, refs);
    console.log(`\nload at end: ${loadNow()}`);
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
