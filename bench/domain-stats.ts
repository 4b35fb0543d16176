/**
 * virConnectGetAllDomainStats for N running QEMU domains, all stats groups, virtkitd next to
 * libvirtd 9.0 on this machine. Each daemon in turn gets N tiny-guest domains (64 MiB, one vCPU,
 * a qcow2 disk over its own backing image, a virtio balloon, one IOThread), started paused so
 * N TCG guests do not load the shared CPUs while the call is timed; then the same python3-libvirt
 * client times ROUNDS calls of getAllDomainStats(0, 0) (every group the daemon has) and, with
 * the backing chain, of getAllDomainStats(0, BACKING). Medians are printed, with the records'
 * field count as a check that both answered the same question.
 *
 *   npx -y pnpm@9 -s build && npx tsx bench/domain-stats.ts [DOMAINS=50] [ROUNDS=20]   (root)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killLeftoverQemu, startDaemon, tinyGuest } from '@virtkit/testkit';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';

const DOMAINS = Number(process.argv[2] ?? 50);
const ROUNDS = Number(process.argv[3] ?? 20);

function domainXml(name: string, dir: string): string {
  const { kernel, initrd } = tinyGuest();
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><iothreads>1</iothreads>` +
    `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
    `<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${dir}/${name}.qcow2'/>` +
    `<target dev='vda' bus='virtio'/></disk><memballoon model='virtio'/></devices></domain>\n`
  );
}

/** Times the calls with Debian's python3-libvirt (/usr/bin/python3), the same client for both daemons: median ms and fields per call. */
const TIMER = `
import libvirt, statistics, sys, time
conn = libvirt.open(sys.argv[1])
rounds = int(sys.argv[2])
for flags, label in ((0, 'all groups'), (libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING, 'all groups + backing')):
    conn.getAllDomainStats(0, flags)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        recs = conn.getAllDomainStats(0, flags)
        times.append((time.perf_counter() - t0) * 1000)
    fields = sum(len(r[1]) for r in recs)
    print(f"{label}\\t{len(recs)}\\t{fields}\\t{statistics.median(times):.1f}")
`;

function timeCalls(uri: string): string[][] {
  const out = execFileSync('/usr/bin/python3', ['-c', TIMER, uri, String(ROUNDS)], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
}

function populate(uri: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, 'base.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
  for (let i = 0; i < DOMAINS; i++) {
    const name = `stats${i}`;
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', path.join(dir, `${name}.qcow2`)]);
    const xml = path.join(dir, `${name}.xml`);
    fs.writeFileSync(xml, domainXml(name, dir));
    const r = spawnSync('virsh', ['-c', uri, 'create', '--paused', xml], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`virsh create ${name}: ${r.stdout}${r.stderr}`);
  }
}

function destroyAll(uri: string): void {
  for (let i = 0; i < DOMAINS; i++) spawnSync('virsh', ['-c', uri, 'destroy', `stats${i}`], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-domstats-'));
  const rows: Array<[string, string[][]]> = [];
  try {
    const root = path.join(work, 'virtkit');
    const virtkitd = await startDaemon(['--qemu-root', root]);
    const vkUri = `qemu+unix:///system?socket=${virtkitd.sock}`;
    try {
      populate(vkUri, path.join(work, 'vk-images'));
      rows.push(['virtkitd', timeCalls(vkUri)]);
    } finally {
      destroyAll(vkUri);
      await virtkitd.stop();
      killLeftoverQemu(root);
    }
    const why = libvirtUnavailable();
    if (why) console.log(`libvirt 9.0 skipped: ${why}`);
    else {
      const libvirtd = new PrivateLibvirtd(path.join(work, 'libvirt'));
      await libvirtd.start();
      try {
        populate(libvirtd.uri, path.join(work, 'lv-images'));
        rows.push(['libvirtd 9.0', timeCalls(libvirtd.uri)]);
      } finally {
        destroyAll(libvirtd.uri);
        await libvirtd.stop();
        libvirtd.removeMountPoints();
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`GetAllDomainStats, ${DOMAINS} running (paused) domains, ${ROUNDS} calls each, python3-libvirt client`);
  console.log('| daemon | call | records | fields | median ms |');
  console.log('|---|---|---|---|---|');
  for (const [daemon, lines] of rows)
    for (const [label, recs, fields, ms] of lines) console.log(`| ${daemon} | ${label} | ${recs} | ${fields} | ${ms} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
