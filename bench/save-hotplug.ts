/**
 * Save + restore of a 256 MiB tiny guest and live attach + detach of a virtio disk, virtkitd
 * against libvirtd 9.0 on the same QEMU (TCG), with the same client: python3-libvirt in one
 * process per contender pass (bench/save_hotplug.py), timing the API calls only. The detach is
 * timed until the disk has left the live XML (both daemons wait for QEMU's DEVICE_DELETED, which
 * the guest's ACPI hotplug driver triggers). The contenders' passes alternate so load drift hits
 * both alike.
 *
 *   npx -y pnpm@9 -s build && npx tsx bench/save-hotplug.ts [ROUNDS=5] [PASSES=2]   (root; libvirt skipped without libvirtd)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killLeftoverQemu, startDaemon, tinyGuest, type RunningDaemon } from '@virtkit/testkit';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';
import { median } from './qemu-compare/measure';

const ROUNDS = Number(process.argv[2] ?? 5);
const PASSES = Number(process.argv[3] ?? 2);
const BOOT_TIMEOUT_S = 180;
const SCRIPT = path.resolve(__dirname, 'save_hotplug.py');

type Times = Record<'save' | 'restore' | 'attach' | 'detach', number[]>;

function pass(uri: string, work: string): Times {
  const { kernel, initrd } = tinyGuest();
  fs.mkdirSync(work, { recursive: true });
  const out = execFileSync('/usr/bin/python3', [SCRIPT, uri, String(ROUNDS), kernel, initrd, work, String(BOOT_TIMEOUT_S)], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Times;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-save-hotplug-'));
  const qemuRoot = path.join(work, 'virtkit-root');
  let daemon: RunningDaemon | undefined;
  let libvirtd: PrivateLibvirtd | undefined;
  const results: Record<string, Times> = {};
  const add = (who: string, t: Times) => {
    const r = (results[who] ??= { save: [], restore: [], attach: [], detach: [] });
    for (const k of Object.keys(r) as Array<keyof Times>) r[k].push(...t[k]);
  };
  try {
    daemon = await startDaemon(['--qemu-root', qemuRoot]);
    const ours = `qemu+unix:///system?socket=${daemon.sock}`;
    const skip = libvirtUnavailable();
    if (!skip) {
      libvirtd = new PrivateLibvirtd(path.join(work, 'libvirtd'));
      await libvirtd.start();
    } else console.log(`libvirt: skipped (${skip})`);
    for (let p = 0; p < PASSES; p++) {
      add('virtkitd', pass(ours, path.join(work, `ours-${p}`)));
      if (libvirtd) add('libvirtd 9.0', pass(libvirtd.uri, path.join(work, `libvirt-${p}`)));
    }
  } finally {
    await daemon?.stop();
    killLeftoverQemu(qemuRoot);
    await libvirtd?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const qemu = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  console.log(`${new Date().toISOString()}; ${os.cpus().length} CPUs; load ${os.loadavg()[0]!.toFixed(2)}; ${qemu}`);
  console.log(`median ms over ${ROUNDS * PASSES} rounds (python3-libvirt calls, 256 MiB tiny guest, TCG)\n`);
  console.log('| contender | save | restore | save+restore | attach disk | detach disk | attach+detach |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [who, t] of Object.entries(results)) {
    const sum = (a: number[], b: number[]) => a.map((x, i) => x + b[i]!);
    const f = (xs: number[]) => median(xs).toFixed(0);
    console.log(
      `| ${who} | ${f(t.save)} | ${f(t.restore)} | ${f(sum(t.save, t.restore))} | ${f(t.attach)} | ${f(t.detach)} | ${f(sum(t.attach, t.detach))} |`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
