/**
 * Corpus kind `qemuxml2argv`: domain XML → QEMU command line against libvirt's expected `.args`
 * (or `.err`), using the fake host of libvirt's test suite (see the corpus README).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseDomainXml } from '@virtkit/xml';
import { VirError } from '@virtkit/core';
import {
  QEMU_CONF_DEFAULTS,
  buildCommandLine,
  formatArgs,
  parseQemuCapsXml,
  qemuArgvParseHooks,
  type QemuBuildContext,
  type QemuCaps,
} from '@virtkit/driver-qemu';
import { mockRandomBytes, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from '../common';

const SECRET = Buffer.from('AQCVn5hO6HzFAhAAq0NCv8jtJcIcE+HOBlMQ1A', 'ascii');

/** The fake host of libvirt's qemuxml2argv test; `fixtures` is the folder holding `qemufixtures/`. */
export function testHostContext(fixtures: string): QemuBuildContext {
  const mapHostPath = (p: string) => {
    for (const pre of ['/etc/qemu/', '/usr/share/qemu/']) if (p.startsWith(pre)) return path.join(fixtures, 'qemufixtures', p.slice(1));
    return undefined;
  };
  return {
    config: {
      libDir: '/tmp/lib',
      channelTargetDir: '/tmp/channel',
      memoryBackingDir: '/var/lib/libvirt/qemu/ram',
      nvramDir: '/var/lib/libvirt/qemu/nvram',
      ...QEMU_CONF_DEFAULTS,
      spiceTLS: true,
      spicePassword: '123456',
      hugetlbfs: [
        { mnt: '/dev/hugepages2M', size: 2048, deflt: true },
        { mnt: '/dev/hugepages1G', size: 1048576, deflt: false },
      ],
      stateDir: '/bad-test-used-env-xdg-runtime-dir/libvirt/qemu/run',
      seccompSandbox: 1,
    },
    domainId: -1,
    processEnv: { PATH: '/bin', USER: 'test', LOGNAME: 'test', HOME: '/home/test', LC_ALL: 'C', TZ: 'VIR00:30' },
    randomBytes: mockRandomBytes,
    now: () => 1234567890,
    lookupSecret: (ref) => {
      if (ref.uuid) return SECRET;
      const u = ref.usage ?? '';
      if (u === 'mycluster_myname' || u === 'client.admin secret' || u.startsWith('/storage/guest_disks/')) return SECRET;
      throw VirError.internal(`test provided incorrect usage '${u}'`);
    },
    lookupPool: (name) => {
      if (name === 'inactive') return { xml: '', active: false };
      const f = path.join(fixtures, 'qemufixtures', 'storagepool', `${name}.xml`);
      return existsSync(f) ? { xml: readFileSync(f, 'utf8'), active: true } : undefined;
    },
    lookupVolume: (_pool, vol) => {
      if (vol === 'nonexistent') return undefined;
      const plus = vol.indexOf('+');
      const type = plus >= 0 ? vol.slice(0, plus) : 'block';
      const name = plus >= 0 ? vol.slice(plus + 1) : vol;
      return { type, path: `/some/${type}/device/${name}` };
    },
    numadPlacement: () => '0-3',
    hostNumaNodes: () => [0, 1, 2, 3, 4, 5, 6, 7],
    checkNodesetAvailable: (nodes) => {
      const bad = nodes.find((n) => n > 7);
      if (bad !== undefined) throw VirError.internal(`Mock: no numa node set is available at bit ${bad}`);
    },
    openListenSocket: () => 1729,
    openChardevFile: (_p, kind) => (kind === 'source' ? 1750 : 1751),
    openTap: (ifname, queues) => ({
      ifname: ifname === 'mytap0' ? 'mytap0' : 'vnet0',
      fds: Array.from({ length: queues }, (_, i) => 3 + i),
    }),
    openVhostNet: (queues) => Array.from({ length: queues }, (_, i) => 44 + i),
    // qemuxml2argvmock.c's qemuInterfaceVDPAConnect.
    openVdpa: () => 1732,
    openVhostVsock: (cid) => ({ fd: 6789, cid: cid ?? 42 }),
    openVhostScsi: () => 3,
    tpmEmulatorSocket: () => '/dev/test',
    openTpmPassthrough: () => ({ fd: 1730, cancelFd: 1731 }),
    scsiHostDevicePath: () => '/dev/sg0',
    defaultRenderNode: () => '/dev/dri/foo',
    isHostCdrom: (p) => p === '/dev/cdrom',
    // The test host has QEMU and swtpm (TPM 1.2 and 2.0), as the corpus README describes.
    findProgram: (name) =>
      name.startsWith('qemu-system-') || ['qemu-kvm', 'swtpm', 'swtpm_setup'].includes(name) ? `/usr/bin/${name}` : undefined,
    readFile: (p) => {
      const m = mapHostPath(p);
      return m && existsSync(m) ? readFileSync(m, 'utf8') : undefined;
    },
    listDir: (p) => {
      const m = mapHostPath(p.endsWith('/') ? p : `${p}/`);
      return m && existsSync(m) ? readdirSync(m) : [];
    },
    fileExists: (p) => {
      const m = mapHostPath(p);
      return m !== undefined && existsSync(m);
    },
  };
}

let capsCache: { file: string; caps: QemuCaps } | undefined;

/** The "latest" x86_64 capabilities with machine aliases flattened. */
export function latestCaps(fixtures: string): QemuCaps {
  const file = path.join(fixtures, 'qemucaps', 'caps_8.0.0.x86_64.xml');
  if (capsCache?.file !== file) capsCache = { file, caps: parseQemuCapsXml(readFileSync(file, 'utf8'), { flattenAliases: true }) };
  return capsCache.caps;
}

/** Convert one case's XML to `.args` text (throws the libvirt error on failure). */
export function caseArgs(xml: string, fixtures: string, stage?: { parsed?: boolean }): string {
  const caps = latestCaps(fixtures);
  const ctx = testHostContext(fixtures);
  const def = parseDomainXml(xml, qemuArgvParseHooks(caps, ctx));
  if (stage) stage.parsed = true;
  return formatArgs(buildCommandLine(def, caps, ctx));
}

async function runOne(dir: string, fixtures: string, row: CaseRow): Promise<CaseResult> {
  const name = row.name;
  const xml = await fs.readFile(path.join(dir, `${name}.xml`), 'utf8');
  const expect = row.columns.expect ?? 'args';
  const stage = { parsed: false };
  if (expect === 'args') {
    const expected = await fs.readFile(path.join(dir, `${name}.args`), 'utf8');
    return resultFromComparison(name, expected, caseArgs(xml, fixtures), { joinBackslashNewline: false });
  }
  const expectedErr = await fs.readFile(path.join(dir, `${name}.err`), 'utf8');
  try {
    caseArgs(xml, fixtures, stage);
  } catch (e) {
    const msg = `${(e as Error).message}\n`;
    if (expect === 'parse-error' && stage.parsed) return { name, ok: false, diff: `expected a parse error, failed at start: ${msg}` };
    if (expect === 'start-failure' && !stage.parsed) return { name, ok: false, diff: `expected a start failure, failed at parse: ${msg}` };
    return resultFromComparison(name, expectedErr, msg);
  }
  return { name, ok: false, diff: `expected failure:\n${expectedErr}` };
}

/** Where `qemucaps/` and `qemufixtures/` live for a case folder (its parent, or the shared corpus). */
function fixturesFor(dir: string): string {
  const parent = path.dirname(path.resolve(dir));
  if (existsSync(path.join(parent, 'qemucaps'))) return parent;
  const testFixtures = path.resolve(parent, '..');
  if (existsSync(path.join(testFixtures, 'qemucaps'))) return testFixtures;
  return parent;
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const fixtures = fixturesFor(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runOne(dir, fixtures, row)));
  return results;
}
