/**
 * crash: `kill -9` of virtkitd during define storms on qemu:///system (served from a private
 * --qemu-root, nothing is started). Per trial, clients define new domains and redefine one of
 * their own with a rising generation; at a random moment the daemon is killed, and the config
 * directory is checked: acknowledged domains missing (lost), a generation older than the last
 * acknowledged one (lost update), two files for one name or UUID (duplicated), files that do not
 * parse (torn), and files that are not configs (leftover temp files).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseXml } from '@virtkit/xml';
import type { RawClient } from '@virtkit/testkit';
import { SLOW_CALL_MS, callWithin, errorText, openRaw, seededRandom, sleep, startVirtkitd } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

const CLIENTS = 4;

/** A QEMU domain that is never started; a redefinition must carry the UUID of the first definition. */
function qemuDomainXml(name: string, generation: number, uuid?: string): string {
  return (
    `<domain type='qemu'><name>${name}</name>${uuid ? `<uuid>${uuid}</uuid>` : ''}<description>generation ${generation}</description>` +
    "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
  );
}

interface Acked {
  names: Set<string>;
  generation: Map<string, number>;
  firstError?: string;
}

/** Defines until the connection dies, recording what the daemon acknowledged. */
async function storm(c: RawClient, client: number, acked: Acked): Promise<void> {
  const own = `storm-${client}`;
  for (let k = 0; ; k++) {
    const name = k % 2 ? `storm-${client}-${k}` : own;
    const uuid = name === own ? `00000000-0000-4000-8000-${String(client).padStart(12, '0')}` : undefined;
    const r = await callWithin(c, 'domainDefineXML', { xml: qemuDomainXml(name, k, uuid) }, SLOW_CALL_MS);
    if (r.err) throw new Error(errorText(r.err));
    acked.names.add(name);
    if (name === own) acked.generation.set(own, k);
  }
}

interface TrialResult {
  acked: number;
  lost: number;
  lostUpdates: number;
  duplicated: number;
  torn: number;
  /** Temp files right after the kill, and still there once a new daemon has opened the root. */
  tempAtCrash: number;
  leftover: number;
  /** Acknowledged domains the restarted daemon does not list. */
  missingAfterRestart: number;
}

/** What the config directory holds after the kill, against what was acknowledged. */
/** A trial's counts before anything is found. */
function noFaults(): TrialResult {
  return { acked: 0, lost: 0, lostUpdates: 0, duplicated: 0, torn: 0, tempAtCrash: 0, leftover: 0, missingAfterRestart: 0 };
}

function inspect(configDir: string, acked: Acked): TrialResult {
  const r: TrialResult = { ...noFaults(), acked: acked.names.size };
  const byName = new Map<string, number>();
  const byUuid = new Map<string, number>();
  const generation = new Map<string, number>();
  for (const e of fs.existsSync(configDir) ? fs.readdirSync(configDir, { withFileTypes: true }) : []) {
    if (!e.isFile()) continue;
    if (isTempFile(e.name)) {
      r.tempAtCrash++;
      continue;
    }
    try {
      const root = parseXml(fs.readFileSync(path.join(configDir, e.name), 'utf8'));
      const text = (tag: string): string => root.childText(tag) ?? '';
      const name = text('name');
      byName.set(name, (byName.get(name) ?? 0) + 1);
      byUuid.set(text('uuid'), (byUuid.get(text('uuid')) ?? 0) + 1);
      generation.set(name, Number(/generation (\d+)/.exec(text('description'))?.[1] ?? -1));
    } catch {
      r.torn++;
    }
  }
  for (const n of acked.names) if (!byName.has(n)) r.lost++;
  for (const [n, g] of acked.generation) if ((generation.get(n) ?? -1) < g) r.lostUpdates++;
  r.duplicated = [...byName.values(), ...byUuid.values()].filter((c) => c > 1).length;
  return r;
}

async function trial(rand: () => number): Promise<TrialResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-soak-crash-'));
  const t = await startVirtkitd(['--qemu-root', root]);
  try {
    const acked: Acked = { names: new Set(), generation: new Map() };
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => openRaw(t.sock, 'qemu:///system')));
    let killed = false;
    // A storm ends when the kill closes its connection; an error before that is a failure of the probe.
    const storms = clients.map((c, i) =>
      storm(c, i, acked).catch((e: Error) => {
        if (!killed) acked.firstError ??= e.message;
      }),
    );
    // The first define waits for the QEMU capabilities probe: kill once the storm is under way.
    for (const deadline = Date.now() + 30000; acked.names.size < 10 && Date.now() < deadline && !acked.firstError;) await sleep(20);
    await sleep(rand() * 800);
    killed = true;
    process.kill(t.pid, 'SIGKILL');
    await Promise.all(storms);
    if (acked.firstError) throw new Error(`define failed before the kill: ${acked.firstError}`);
    const r = inspect(path.join(root, 'etc'), acked);
    await t.stop();
    const after = await restarted(root);
    r.leftover = countTempFiles(path.join(root, 'etc'));
    r.missingAfterRestart = [...acked.names].filter((n) => !after.has(n)).length;
    return r;
  } finally {
    await t.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The names a new daemon on `root` lists (inactive domains of qemu:///system). */
async function restarted(root: string): Promise<Set<string>> {
  const t = await startVirtkitd(['--qemu-root', root]);
  try {
    const c = await openRaw(t.sock, 'qemu:///system');
    const r = await callWithin(c, 'connectListDefinedDomains', { maxnames: 16384 }, SLOW_CALL_MS);
    c.close();
    if (r.err) throw new Error(errorText(r.err));
    return new Set(r.ok!.names as string[]);
  } finally {
    await t.stop();
  }
}

function countTempFiles(configDir: string): number {
  if (!fs.existsSync(configDir)) return 0;
  return fs.readdirSync(configDir, { withFileTypes: true }).filter((e) => e.isFile() && isTempFile(e.name)).length;
}

/** Anything in the config directory that is not a `NAME.xml` config is left from a write. */
const isTempFile = (file: string): boolean => !file.endsWith('.xml') || file.startsWith('.');

export const crashProbe: Probe = {
  name: 'crash',
  what: 'kill -9 of virtkitd during define storms: lost, duplicated, torn configs, leftover temp files',
  async run(o: ProbeOptions) {
    const trials = o.ci ? 5 : 20;
    const rand = seededRandom(o.seed);
    const sum = noFaults();
    let trialsWithLeftovers = 0;
    for (let i = 0; i < trials; i++) {
      const r = await trial(rand);
      for (const k of Object.keys(sum) as (keyof TrialResult)[]) sum[k] += r[k];
      if (r.leftover) trialsWithLeftovers++;
    }
    const figures: Figures = { trials };
    figures['virtkitd.definesAcknowledged'] = sum.acked;
    figures['virtkitd.lost'] = sum.lost;
    figures['virtkitd.lostUpdates'] = sum.lostUpdates;
    figures['virtkitd.duplicated'] = sum.duplicated;
    figures['virtkitd.torn'] = sum.torn;
    figures['virtkitd.tempFilesAtCrash'] = sum.tempAtCrash;
    figures['virtkitd.leftoverTempFiles'] = sum.leftover;
    figures['virtkitd.missingAfterRestart'] = sum.missingAfterRestart;
    figures['virtkitd.trialsWithLeftovers'] = trialsWithLeftovers;
    return figures;
  },
};
