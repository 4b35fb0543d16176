/**
 * QEMU domain start and capability probe, side by side (issue 4 item 6):
 *
 *   floor      the command line our driver builds, launched bare: spawn → QMP greeting →
 *              qmp_capabilities → cont (monitor by socket path + 1 ms polling, and by a
 *              pre-bound socket passed as fd 3, which is how libvirt does it); SIGTERM → exit
 *   ours       define + create → running, destroy, through the public API (in-process,
 *              `qemu:///embed?root=DIR`), with a per-phase breakdown of create
 *   vsh        `bin/vsh -c qemu:///embed?root=DIR start|destroy NAME` as whole processes
 *   libvirt    a private libvirtd 9.0 (see bench/qemu-compare/libvirtd.ts): `virsh start|destroy`
 *              as whole processes and python3-libvirt `dom.create()` / `destroy()` in-process,
 *              same domain XML
 *   probe      our cold probe (empty cache) vs cache-hit open; libvirt's first
 *              `virsh capabilities` on an empty cache vs the next one
 *
 * All on TCG (`<domain type='qemu'>`), no guest OS. Medians over ROUNDS (default 7); the
 * rounds of the different contenders are interleaved so load drift hits all of them alike.
 *
 *     npx -y pnpm@9 -s build        # vsh runs the built CLI
 *     npx tsx bench/qemu-compare.ts [rounds=7]
 *
 * Without libvirtd (or without root) the libvirt columns are skipped.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchFloor, type FloorTimes, type RecordedLaunch } from './qemu-compare/floor';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';
import { median, runTimed, Series } from './qemu-compare/measure';
import { inProcessRound, loadDriverModules, openWithCaps, probeTimes, recordLaunch, vshTimed } from './qemu-compare/ours';
import { PHASES, type StartMarks } from './qemu-compare/phases';

const ROUNDS = Number(process.argv[2] ?? 7);
const REPO = path.resolve(__dirname, '..');
const NAME = 'vkbench';

/** The same small domain for everyone: 64 MiB, 1 vCPU, no disk, TCG. */
const domainXml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os></domain>\n`;

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '—');

function machineFacts(): string[] {
  const qemu = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  return [
    `date: ${new Date().toISOString()}`,
    `cpus: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
    `kvm: ${fs.existsSync('/dev/kvm') ? 'present' : 'absent (TCG)'}`,
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
    `${qemu}; node ${process.version}`,
  ];
}

/**
 * vsh as a user's shell runs it: without the NODE_PATH that `npx` adds (it makes the pnpm store
 * resolvable). When the built CLI cannot load the QEMU driver on its own, name it explicitly.
 */
async function vshEnv(root: string): Promise<{ env: NodeJS.ProcessEnv; note: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_PATH' && !k.startsWith('npm_')));
  try {
    await vshTimed(REPO, base, root, ['list', '--all']);
    return { env: base, note: 'plain bin/vsh' };
  } catch {
    const dist = path.join(REPO, 'packages', 'driver-qemu', 'dist', 'index.cjs');
    const env = { ...base, VIRTKIT_DRIVERS: dist };
    await vshTimed(REPO, env, root, ['list', '--all']);
    return {
      env,
      note: `bin/vsh with VIRTKIT_DRIVERS=${path.relative(REPO, dist)}: the built CLI does not resolve @virtkit/driver-qemu by itself`,
    };
  }
}

interface Results {
  series: Map<string, Series>;
  marks: StartMarks[];
  floorFd: FloorTimes[];
  notes: string[];
}

function s(r: Results, label: string): Series {
  let x = r.series.get(label);
  if (!x) r.series.set(label, (x = new Series(label)));
  return x;
}

async function probeSection(r: Results, work: string): Promise<void> {
  await loadDriverModules(path.join(work, 'modules-root'));
  const p = await probeTimes(path.join(work, 'probe-root'), ROUNDS);
  s(r, 'ours: cold open (probe + cache write)').add(p.coldMs);
  s(r, 'ours: probe alone (recorded in the cache file)').add(p.probeMs);
  for (const ms of p.hitMs) s(r, 'ours: cache-hit open').add(ms);
}

async function inProcessSection(r: Results, root: string): Promise<RecordedLaunch> {
  const { conn } = await openWithCaps(root);
  try {
    await conn.defineXML(domainXml(NAME));
    const rec = await recordLaunch(conn, root, NAME);
    await inProcessRound(conn, domainXml('warmup'));
    await launchFloor(rec, 'fd');
    for (let i = 0; i < ROUNDS; i++) {
      const ours = await inProcessRound(conn, domainXml(`bench${i}`));
      s(r, 'ours: define').add(ours.defineMs);
      s(r, 'ours: start → running').add(ours.startMs);
      s(r, 'ours: define + start').add(ours.defineMs + ours.startMs);
      s(r, 'ours: destroy').add(ours.destroyMs);
      r.marks.push(ours.marks);
      const fp = await launchFloor(rec, 'path');
      s(r, 'floor (socket path, 1 ms poll): start → running').add(fp.startMs);
      s(r, 'floor: destroy (SIGTERM → exit)').add(fp.destroyMs);
      const ff = await launchFloor(rec, 'fd');
      s(r, 'floor (pre-bound fd): start → running').add(ff.startMs);
      r.floorFd.push(ff);
      s(r, 'paired: ours start ÷ floor (pre-bound fd), same round').add(ours.startMs / ff.startMs);
      s(r, 'paired: ours start ÷ floor (socket path), same round').add(ours.startMs / fp.startMs);
      s(r, 'floor: destroy (SIGTERM → exit)').add(ff.destroyMs);
    }
    return rec;
  } finally {
    await conn.close();
  }
}

async function libvirtProbe(r: Results, lv: PrivateLibvirtd): Promise<void> {
  const cold = await runTimed(['virsh', '-c', lv.uri, 'capabilities']);
  const warm = await runTimed(['virsh', '-c', lv.uri, 'capabilities']);
  const binaries = fs.readdirSync(lv.capsCacheDir).filter((f) => f.endsWith('.xml')).length;
  s(r, 'libvirt: first virsh capabilities (empty cache)').add(cold.ms);
  s(r, 'libvirt: next virsh capabilities').add(warm.ms);
  s(r, `libvirt: probe per binary ((first − next) / ${binaries})`).add((cold.ms - warm.ms) / binaries);
}

async function processSection(r: Results, root: string, lv: PrivateLibvirtd | undefined, work: string): Promise<void> {
  const { env, note } = await vshEnv(root);
  r.notes.push(`vsh: ${note}`);
  if (lv) {
    const xmlFile = path.join(work, `${NAME}.xml`);
    fs.writeFileSync(xmlFile, domainXml(NAME));
    await runTimed(['virsh', '-c', lv.uri, 'define', xmlFile]);
    await runTimed(['virsh', '-c', lv.uri, 'start', NAME]);
    await runTimed(['virsh', '-c', lv.uri, 'destroy', NAME]);
  }
  await vshTimed(REPO, env, root, ['start', NAME]);
  await vshTimed(REPO, env, root, ['destroy', NAME]);
  for (let i = 0; i < ROUNDS; i++) {
    s(r, 'node -e 0 (process floor)').add((await runTimed([process.execPath, '-e', '0'])).ms);
    s(r, 'vsh list --all (process + open)').add(await vshTimed(REPO, env, root, ['list', '--all']));
    s(r, 'vsh start (process)').add(await vshTimed(REPO, env, root, ['start', NAME]));
    s(r, 'vsh destroy (process)').add(await vshTimed(REPO, env, root, ['destroy', NAME]));
    if (!lv) continue;
    s(r, 'virsh list --all (process)').add((await runTimed(['virsh', '-c', lv.uri, 'list', '--all'])).ms);
    const virshStart = (await runTimed(['virsh', '-c', lv.uri, 'start', NAME])).ms;
    s(r, 'virsh start (process)').add(virshStart);
    s(r, 'paired: vsh start ÷ virsh start, same round').add(s(r, 'vsh start (process)').samples.at(-1)! / virshStart);
    s(r, 'virsh destroy (process)').add((await runTimed(['virsh', '-c', lv.uri, 'destroy', NAME])).ms);
  }
  if (!lv) return;
  const py = await runTimed([
    '/usr/bin/python3',
    path.join(__dirname, 'qemu-compare', 'libvirt_rounds.py'),
    lv.uri,
    NAME,
    String(ROUNDS + 1),
  ]);
  const pyr = JSON.parse(py.stdout) as { start: number[]; destroy: number[] };
  for (const ms of pyr.start.slice(1)) s(r, 'libvirt (python dom.create): start → running').add(ms);
  for (const ms of pyr.destroy.slice(1)) s(r, 'libvirt (python dom.destroy)').add(ms);
  r.notes.push(`libvirt command line:\n${libvirtArgv(lv.domainLog(NAME))}`);
  await runTimed(['virsh', '-c', lv.uri, 'undefine', NAME]);
}

/** The last command line in a libvirt QEMU log. */
function libvirtArgv(log: string): string {
  const text = fs.readFileSync(log, 'utf8');
  const at = text.lastIndexOf('/usr/bin/qemu-system');
  const end = text.indexOf('\n20', at);
  return text.slice(at, end < 0 ? undefined : end).replace(/ \\\n/g, ' ');
}

function report(r: Results, facts: string[], rec: RecordedLaunch): void {
  const m = (label: string) => r.series.get(label)?.median ?? NaN;
  console.log(
    `\n${facts.join('\n')}\nload average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  console.log(`rounds: ${ROUNDS} (medians, ms)\n`);
  console.log('| measurement | median ms | samples |\n|---|---:|---|');
  for (const x of r.series.values()) {
    const digits = x.label.startsWith('paired') ? 2 : 0;
    console.log(`| ${x.label} | ${x.median.toFixed(digits ? 2 : 1)} | ${x.samples.map((v) => v.toFixed(digits)).join(' ')} |`);
  }
  const floorFd = m('floor (pre-bound fd): start → running');
  const floorPath = m('floor (socket path, 1 ms poll): start → running');
  console.log('\n| ratio | value |\n|---|---:|');
  const rows: Array<[string, number, number]> = [
    ['ours start / floor (pre-bound fd)', m('ours: start → running'), floorFd],
    ['ours start / floor (socket path)', m('ours: start → running'), floorPath],
    ['ours destroy / floor destroy', m('ours: destroy'), m('floor: destroy (SIGTERM → exit)')],
    ['ours start / libvirt dom.create() (in-process)', m('ours: start → running'), m('libvirt (python dom.create): start → running')],
    ['vsh start / virsh start (process)', m('vsh start (process)'), m('virsh start (process)')],
    ['vsh destroy / virsh destroy (process)', m('vsh destroy (process)'), m('virsh destroy (process)')],
    [
      'ours cold probe / libvirt probe per binary',
      m('ours: probe alone (recorded in the cache file)'),
      m([...r.series.keys()].find((k) => k.startsWith('libvirt: probe per binary')) ?? ''),
    ],
  ];
  for (const [label, a, b] of rows) console.log(`| ${label} | ${ratio(a, b)} |`);
  console.log('\nphases of start → running (median ms over the rounds)\n| phase | ours | floor (pre-bound fd) |\n|---|---:|---:|');
  for (const [label, ours, floor] of PHASES) {
    const o = median(r.marks.map(ours).filter((v): v is number => v !== undefined));
    const f = floor ? fmt(median(r.floorFd.map(floor))) : '';
    console.log(`| ${label} | ${fmt(o)} | ${f} |`);
  }
  console.log(`\nour command line (floor):\n${rec.argv.join(' ')}`);
  for (const n of r.notes) console.log(`\n${n}`);
}

async function main(): Promise<void> {
  const facts = machineFacts();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-qemu-compare-'));
  const root = path.join(work, 'root');
  const r: Results = { series: new Map(), marks: [], floorFd: [], notes: [] };
  const why = libvirtUnavailable();
  const lv = why ? undefined : new PrivateLibvirtd(path.join(work, 'libvirt'));
  if (why) r.notes.push(`libvirt skipped: ${why}`);
  try {
    await probeSection(r, work);
    const rec = await inProcessSection(r, root);
    if (lv) {
      for (let i = 0; i < Math.min(3, ROUNDS); i++) {
        fs.rmSync(lv.capsCacheDir, { recursive: true, force: true });
        s(r, 'libvirtd -d until its socket answers').add(await lv.start());
        await libvirtProbe(r, lv);
        if (i < Math.min(3, ROUNDS) - 1) await lv.stop();
      }
    }
    await processSection(r, root, lv, work);
    report(r, facts, rec);
  } finally {
    // After a failure half-way, a domain may still run: stop it before its manager goes away.
    if (lv) await runTimed(['virsh', '-c', lv.uri, 'destroy', NAME]).catch(() => undefined);
    await vshTimed(REPO, process.env, root, ['destroy', NAME]).catch(() => undefined);
    await lv?.stop();
    lv?.removeMountPoints();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
