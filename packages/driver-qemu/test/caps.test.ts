/** Capability probing: replay of libvirt's recorded probe, live probe, and the on-disk cache. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { capsFromReplies, findQemuBinaries, parseReplies, probeBinary, QapiSchema, QemuCapsCache, VIRTKIT_VERSION } from '../src/caps';
import { parseQemuCapsXml } from '../src/caps/libvirt-xml';
import type { QemuCaps } from '../src/caps/types';
import { tempFileWriter } from '../src/state/temp-files';
import { kvmUsable } from '@virtkit/testkit';
import { QEMU, tmpDir } from './helpers';

const FIX = path.join(__dirname, 'fixtures', 'qemucaps');
const execFileP = promisify(execFile);

describe("capabilities from libvirt's recorded QMP probe (QEMU 7.2.0 x86_64)", () => {
  let caps: QemuCaps;
  let expected: QemuCaps;

  beforeAll(async () => {
    caps = await capsFromReplies(fs.readFileSync(path.join(FIX, 'caps_7.2.0.x86_64.replies'), 'utf8'));
    expected = parseQemuCapsXml(fs.readFileSync(path.join(FIX, 'caps_7.2.0.x86_64.xml'), 'utf8'));
  });

  it('splits the conversation into the KVM and TCG sessions', () => {
    const sessions = parseReplies(fs.readFileSync(path.join(FIX, 'caps_7.2.0.x86_64.replies'), 'utf8'));
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.map((e) => e.execute)).toContain('query-machines');
  });

  it('derives the same version, package and arch as libvirt', () => {
    expect(caps.version).toBe(7002000);
    expect(caps.version).toBe(expected.version);
    expect(caps.package).toBe(expected.package);
    expect(caps.arch).toBe('x86_64');
    expect(caps.kvmVersion).toBe(expected.kvmVersion);
  });

  it("derives exactly libvirt's capability flags", () => {
    const got = [...caps.flags].sort();
    const want = [...expected.flags].sort();
    expect(got.filter((f) => !expected.flags.has(f))).toEqual([]);
    expect(want.filter((f) => !caps.flags.has(f))).toEqual([]);
    expect(got).toHaveLength(199);
  });

  it("derives libvirt's machine types per accelerator (none dropped, default first)", () => {
    expect(caps.machines.kvm).toEqual(expected.machines.kvm);
    expect(caps.machines.tcg).toEqual(expected.machines.tcg);
    expect(caps.machines.kvm[0]).toMatchObject({ name: 'pc-i440fx-7.2', alias: 'pc', isDefault: true, maxCpus: 255 });
    expect(caps.machines.kvm.find((m) => m.alias === 'q35')).toMatchObject({ name: 'pc-q35-7.2', maxCpus: 288 });
  });

  it("derives libvirt's CPU models with usability and blockers", () => {
    expect(caps.cpuModels.kvm).toEqual(expected.cpuModels.kvm);
    expect(caps.cpuModels.tcg).toEqual(expected.cpuModels.tcg);
    expect(caps.hostCpuModel.kvm).toBe(expected.hostCpuModel.kvm);
  });
});

describe('QAPI schema path queries', () => {
  const schema = new QapiSchema([
    { name: 'blockdev-add', 'meta-type': 'command', 'arg-type': 'O', 'ret-type': '0' },
    { name: 'device_add', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0', features: ['json-cli'] },
    { name: 'query-x', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '[R]' },
    { name: '[R]', 'meta-type': 'array', 'element-type': 'R' },
    { name: 'R', 'meta-type': 'object', members: [{ name: 'poll', type: 'int' }] },
    {
      name: 'O',
      'meta-type': 'object',
      members: [
        { name: 'driver', type: 'E' },
        { name: 'discard', type: 'str', default: null },
      ],
      variants: [{ case: 'file', type: 'F' }],
    },
    { name: 'E', 'meta-type': 'enum', values: ['file', 'io_uring'] },
    {
      name: 'F',
      'meta-type': 'object',
      members: [
        { name: 'aio', type: 'E' },
        { name: 'drop-cache', type: 'bool', default: null },
      ],
    },
    { name: '0', 'meta-type': 'object', members: [] },
    { name: 'int', 'meta-type': 'builtin' },
    { name: 'str', 'meta-type': 'builtin' },
    { name: 'bool', 'meta-type': 'builtin' },
  ]);
  it.each([
    ['blockdev-add', true],
    ['blockdev-add/arg-type/+file/drop-cache', true],
    ['blockdev-add/arg-type/+file/aio/^io_uring', true],
    ['blockdev-add/arg-type/+file/aio/^threads', false],
    ['blockdev-add/arg-type/+nvme', false],
    ['blockdev-add/arg-type/*discard', true],
    ['blockdev-add/arg-type/*driver', false],
    ['device_add/$json-cli', true],
    ['device_add/$json-cli-hotplug', false],
    ['query-x/ret-type/poll', true],
    ['query-x/ret-type/nope', false],
    ['E', false],
  ])('%s → %s', (q, want) => expect(schema.query(q)).toBe(want));
});

describe('live probe of the installed QEMU', () => {
  let live: QemuCaps;
  let ms: number;

  beforeAll(async () => {
    const t0 = performance.now();
    live = await probeBinary(QEMU);
    ms = performance.now() - t0;
  });

  it('finds qemu-system binaries in PATH', () => {
    expect(findQemuBinaries([], '/usr/bin:/bin')).toContain(QEMU);
  });

  it('reports version, arch, machines and CPU models', () => {
    expect(Math.floor(live.version / 1000)).toBe(7002);
    expect(live.arch).toBe('x86_64');
    expect(live.emulator).toBe(QEMU);
    expect(live.machines.tcg.find((m) => m.alias === 'q35')?.name).toMatch(/^pc-q35-/);
    expect(live.machines.tcg.some((m) => m.isDefault)).toBe(true);
    expect(live.cpuModels.tcg.map((c) => c.name)).toEqual(expect.arrayContaining(['qemu64', 'max']));
    if (kvmUsable()) {
      expect(live.flags.has('kvm')).toBe(true);
      expect(live.machines.kvm.length).toBeGreaterThan(0);
    } else {
      expect(live.machines.kvm).toEqual([]);
    }
    console.log(`live probe of ${QEMU}: ${ms.toFixed(0)} ms, ${live.flags.size} flags`);
  });

  it("agrees with libvirt's flags for the same QEMU release on the core flags", async () => {
    const recorded = parseQemuCapsXml(fs.readFileSync(path.join(FIX, 'caps_7.2.0.x86_64.xml'), 'utf8'));
    const core = [
      'tcg',
      'device.json+hotplug',
      'object.qapified',
      'netdev.json',
      'qemu-xhci',
      'pcie-root-port',
      'virtio-net',
      'query-cpu-definitions',
      'blockdev-reopen',
      'incremental-backup',
    ];
    for (const f of core) expect(live.flags.has(f)).toBe(true);
    // Distribution builds differ a little (e.g. spice/gl); most flags must agree.
    const shared = [...recorded.flags].filter((f) => live.flags.has(f)).length;
    expect(shared / recorded.flags.size).toBeGreaterThan(0.85);
  });
});

describe('capability cache', () => {
  let dir: string;
  let bin: string;

  beforeAll(() => {
    dir = tmpDir('vk-caps-');
    // A wrapper whose ctime the tests may change. A copy of the binary would not do: QEMU finds
    // its accelerator modules relative to its real location.
    bin = path.join(dir, 'qemu-system-x86_64');
    fs.writeFileSync(bin, `#!/bin/sh\nexec ${QEMU} "$@"\n`, { mode: 0o755 });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cacheDir = () => path.join(dir, 'cache', 'capabilities');

  it('probes once, then reuses the cache file from a new instance; measures cold vs hit', async () => {
    const a = new QemuCapsCache({ dir: cacheDir() });
    let t0 = performance.now();
    const cold = await a.get(bin);
    const coldMs = performance.now() - t0;
    expect(a.stats).toEqual({ probes: 1, fileHits: 0, memoryHits: 0 });
    expect(cold.emulator).toBe(bin);
    const file = a.fileFor(bin);
    expect(path.basename(file)).toMatch(/^[0-9a-f]{64}\.json$/);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(entry).toMatchObject({ binary: bin, ctimeMs: fs.statSync(bin).ctimeMs, virtkitVersion: VIRTKIT_VERSION });
    expect(fs.readdirSync(cacheDir()).filter((f) => tempFileWriter(f) !== undefined || f.endsWith('.lock'))).toEqual([]);

    const b = new QemuCapsCache({ dir: cacheDir() });
    t0 = performance.now();
    const hit = await b.get(bin);
    const hitMs = performance.now() - t0;
    expect(b.stats).toEqual({ probes: 0, fileHits: 1, memoryHits: 0 });
    expect([...hit.flags].sort()).toEqual([...cold.flags].sort());
    expect(hit.machines).toEqual(cold.machines);
    await b.get(bin);
    expect(b.stats.memoryHits).toBe(1);
    console.log(`capability probe: cold ${coldMs.toFixed(0)} ms, cache-file hit ${hitMs.toFixed(1)} ms`);
    expect(hitMs).toBeLessThan(coldMs);
  });

  it("re-probes when the binary's ctime changes (touch / chmod)", async () => {
    const c = new QemuCapsCache({ dir: cacheDir() });
    await c.get(bin);
    expect(c.stats.probes).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const now = new Date();
    fs.utimesSync(bin, now, now); // touch: ctime changes too
    await c.get(bin);
    expect(c.stats.probes).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    fs.chmodSync(bin, 0o750);
    const d = new QemuCapsCache({ dir: cacheDir() });
    await d.get(bin);
    expect(d.stats.probes).toBe(1);
    const again = new QemuCapsCache({ dir: cacheDir() });
    await again.get(bin);
    expect(again.stats).toMatchObject({ probes: 0, fileHits: 1 });
  });

  it("re-probes when virtkit's version changes", async () => {
    const c = new QemuCapsCache({ dir: cacheDir(), version: '99.0.0' });
    await c.get(bin);
    expect(c.stats.probes).toBe(1);
    const d = new QemuCapsCache({ dir: cacheDir(), version: '99.0.0' });
    await d.get(bin);
    expect(d.stats.probes).toBe(0);
    const e = new QemuCapsCache({ dir: cacheDir() });
    await e.get(bin);
    expect(e.stats.probes).toBe(1);
  });

  it('concurrent opens in one process probe once', async () => {
    const c = new QemuCapsCache({ dir: path.join(dir, 'cache2') });
    const all = await Promise.all([c.get(bin), c.get(bin), c.get(bin)]);
    expect(c.stats.probes).toBe(1);
    expect(all[0]).toBe(all[1]);
  });

  it('concurrent opens from two instances / processes probe once (lock file)', async () => {
    const shared = path.join(dir, 'cache3');
    let probes = 0;
    const slowProbe = async (b: string) => {
      probes++;
      return probeBinary(b);
    };
    const x = new QemuCapsCache({ dir: shared, probe: slowProbe });
    const y = new QemuCapsCache({ dir: shared, probe: slowProbe });
    await Promise.all([x.get(bin), y.get(bin)]);
    expect(probes).toBe(1);
    expect(x.stats.probes + y.stats.probes).toBe(1);
    expect(x.stats.fileHits + y.stats.fileHits).toBe(1);

    // Two real processes racing on a fresh cache.
    const fresh = path.join(dir, 'cache4');
    const fixture = path.join(__dirname, 'fixtures', 'caps-open.ts');
    const run = () =>
      execFileP(process.execPath, ['--import', 'tsx', fixture, fresh, bin], { cwd: path.resolve(__dirname, '../../..') }).then((r) =>
        JSON.parse(r.stdout.trim()),
      );
    const [r1, r2] = await Promise.all([run(), run()]);
    expect(r1.probes + r2.probes).toBe(1);
    expect(r1.fileHits + r2.fileHits).toBe(1);
  });

  it('breaks a stale lock left by a dead process', async () => {
    const c = new QemuCapsCache({ dir: path.join(dir, 'cache5') });
    fs.mkdirSync(c.dir, { recursive: true });
    fs.writeFileSync(`${c.fileFor(bin).slice(0, -5)}.lock`, '999999999\n');
    await c.get(bin);
    expect(c.stats.probes).toBe(1);
  });
});
