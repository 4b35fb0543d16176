/**
 * Live migration of a 256 MiB tiny guest between two hosts on this machine, virtkitd against
 * libvirtd 9.0. Each pair of daemons runs in two network namespaces joined by a veth pair and
 * serves qemu+tcp; every round starts the guest on host A, lets it boot, and times
 * `virsh -c qemu+tcp://A/system migrate --live --p2p guest qemu+tcp://B/system` (whole process),
 * then reads the completed job's time and downtime on B (`domjobinfo --completed`). The two
 * contenders' rounds alternate so load drift hits both alike.
 *
 *   npx -y pnpm@9 -s build && npx tsx bench/migration.ts [ROUNDS]   (root; libvirt skipped without libvirtd)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killLeftoverQemu, makeNetNs, startDaemon, tinyGuest, type NetNs, type RunningDaemon } from '@virtkit/testkit';
import { libvirtUnavailable } from './qemu-compare/libvirtd';
import { median, now, since } from './qemu-compare/measure';

const SUBNET = '10.231.78';
const BOOT_MS = 20_000;

interface Pair {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const hostUuid = (n: number) => `0000000${n}-0000-4000-8000-00000000000${n}`;

function virshIn(ns: NetNs, args: string[]): string {
  const argv = ns.exec(['virsh', ...args]);
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 300_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Two virtkitd, each with its own root. */
function virtkitPair(work: string, ns: NetNs[]): Pair {
  const daemons: RunningDaemon[] = [];
  const roots = ['A', 'B'].map((h) => path.join(work, `virtkit-${h}`));
  return {
    name: 'virtkitd',
    async start() {
      for (let i = 0; i < 2; i++) {
        fs.mkdirSync(path.join(roots[i]!, 'etc'), { recursive: true });
        fs.writeFileSync(path.join(roots[i]!, 'etc', 'qemu.conf'), `migration_host = "${SUBNET}.${i + 1}"\n`);
        const conf = path.join(work, `virtkitd-${i}.conf`);
        fs.writeFileSync(conf, 'listen_tcp = 1\nauth_tcp = "none"\nlisten_tls = 0\n');
        daemons.push(await startDaemon(['--listen', '--config', conf, '--qemu-root', roots[i]!], {}, ['ip', 'netns', 'exec', ns[i]!.name]));
      }
    },
    async stop() {
      for (const d of daemons) await d.stop();
      for (const r of roots) killLeftoverQemu(r);
    },
  };
}

/** Two privileged libvirtd, each in its own mount namespace (as bench/qemu-compare) inside its network namespace. */
function libvirtPair(work: string, ns: NetNs[]): Pair {
  const dirs = ['A', 'B'].map((h) => path.join(work, `libvirt-${h}`));
  const MOUNTS = [
    ['etc', '/etc/libvirt'],
    ['lib', '/var/lib/libvirt'],
    ['cache', '/var/cache/libvirt'],
    ['log', '/var/log/libvirt'],
    ['run', '/run/libvirt'],
  ];
  return {
    name: 'libvirtd 9.0',
    async start() {
      for (let i = 0; i < 2; i++) {
        const dir = dirs[i]!;
        for (const [sub] of MOUNTS) fs.mkdirSync(path.join(dir, sub!), { recursive: true });
        fs.mkdirSync(path.join(dir, 'sock'), { recursive: true });
        fs.writeFileSync(
          path.join(dir, 'etc', 'qemu.conf'),
          `user = "root"\ngroup = "root"\nsecurity_driver = "none"\nmigration_host = "${SUBNET}.${i + 1}"\n`,
        );
        fs.writeFileSync(
          path.join(dir, 'libvirtd.conf'),
          `unix_sock_dir = "${dir}/sock"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlisten_tcp = 1\nauth_tcp = "none"\n` +
            `listen_tls = 0\nhost_uuid = "${hostUuid(i + 1)}"\nlog_outputs = "3:file:${dir}/libvirtd.log"\n`,
        );
        const script = [
          'set -e',
          ...MOUNTS.map(([sub, target]) => `mount --bind '${path.join(dir, sub!)}' '${target}'`),
          `virtlogd -d --pid-file '${dir}/virtlogd.pid'`,
          `exec libvirtd --listen --config '${dir}/libvirtd.conf' --pid-file '${dir}/libvirtd.pid' -d`,
        ].join('\n');
        execFileSync('ip', ['netns', 'exec', ns[i]!.name, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script]);
        for (let t = 0; t < 200 && spawnSync('virsh', ['-c', `qemu+unix:///system?socket=${dir}/sock/libvirt-sock`, 'uri']).status; t++) {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async stop() {
      for (const dir of dirs) {
        for (const f of ['libvirtd.pid', 'virtlogd.pid']) {
          try {
            process.kill(Number(fs.readFileSync(path.join(dir, f), 'utf8').trim()), 'SIGTERM');
          } catch {
            // not running
          }
        }
      }
      await new Promise((r) => setTimeout(r, 2000));
    },
  };
}

interface Round {
  wallMs: number;
  elapsedMs: number;
  downtimeMs: number;
}

async function round(ns: NetNs[], xml: string): Promise<Round> {
  const [a, b] = [`qemu+tcp://${SUBNET}.1/system`, `qemu+tcp://${SUBNET}.2/system`];
  virshIn(ns[0]!, ['-c', a, 'create', xml]);
  await new Promise((r) => setTimeout(r, BOOT_MS));
  const t0 = now();
  virshIn(ns[0]!, ['-c', a, 'migrate', '--live', '--p2p', 'guest', b]);
  const wallMs = since(t0);
  const job = virshIn(ns[1]!, ['-c', b, 'domjobinfo', 'guest', '--completed']);
  virshIn(ns[1]!, ['-c', b, 'destroy', 'guest']);
  const num = (re: RegExp) => Number(re.exec(job)?.[1] ?? NaN);
  return { wallMs, elapsedMs: num(/Time elapsed:\s+(\d+)/), downtimeMs: num(/Total downtime:\s+(\d+)/) };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-migration-'));
  const ns = [makeNetNs('bmiga'), makeNetNs('bmigb')];
  ns[0]!.run('ip', 'link', 'add', 'bm0', 'type', 'veth', 'peer', 'name', 'bm1', 'netns', ns[1]!.name);
  ns.forEach((n, i) => {
    n.run('ip', 'addr', 'add', `${SUBNET}.${i + 1}/24`, 'dev', `bm${i}`);
    n.run('ip', 'link', 'set', `bm${i}`, 'up');
  });
  const { kernel, initrd } = tinyGuest();
  const xml = path.join(work, 'guest.xml');
  fs.writeFileSync(
    xml,
    `<domain type='qemu'><name>guest</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>` +
      `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
      `<devices/></domain>\n`,
  );
  const why = libvirtUnavailable();
  const pairs = [virtkitPair(work, ns), ...(why ? [] : [libvirtPair(work, ns)])];
  if (why) console.log(`libvirt skipped: ${why}`);
  const results = new Map<string, Round[]>(pairs.map((p) => [p.name, []]));
  try {
    for (let i = 0; i < rounds; i++) {
      for (const p of pairs) {
        await p.start();
        try {
          const r = await round(ns, xml);
          results.get(p.name)!.push(r);
          console.log(`round ${i + 1} ${p.name}: ${JSON.stringify(r)} (load ${os.loadavg()[0]!.toFixed(1)})`);
        } finally {
          await p.stop();
        }
      }
    }
  } finally {
    ns.forEach((n) => n.remove());
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log('\n| contender | virsh migrate wall (median) | job time elapsed | downtime |\n|---|---:|---:|---:|');
  for (const [name, rs] of results) {
    const m = (k: keyof Round) => median(rs.map((r) => r[k])).toFixed(0);
    console.log(`| ${name} | ${m('wallMs')} ms | ${m('elapsedMs')} ms | ${m('downtimeMs')} ms |`);
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
