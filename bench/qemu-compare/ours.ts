/**
 * virtkit's side of the comparison, on `qemu:///embed?root=DIR`: in-process define → start →
 * running → destroy through the public API, the capability probe cold and from the cache, and
 * `bin/vsh` as a whole process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainState, open, type Connect } from '@virtkit/core';
import { pathsForUri, statusPath } from '@virtkit/driver-qemu';
import type { RecordedLaunch } from './floor';
import { now, runTimed, since } from './measure';
import { traceStart, type StartMarks } from './phases';

export const embedUri = (root: string): string => `qemu:///embed?root=${root}`;

/** Open a driver state of `root` and run the first call that needs the capabilities. */
export async function openWithCaps(root: string): Promise<{ conn: Connect; ms: number }> {
  const t0 = now();
  const conn = await open(embedUri(root));
  await conn.getVersion();
  return { conn, ms: since(t0) };
}

/** Load the driver's modules with an open that needs no capabilities, so the timings below leave them out. */
export async function loadDriverModules(root: string): Promise<void> {
  const conn = await open(embedUri(root));
  await conn.numOfDomains();
  await conn.close();
}

/** Cold probe (empty cache) then `hits` cache-hit opens, each in a fresh driver state of the same root. */
export async function probeTimes(root: string, hits: number): Promise<{ coldMs: number; probeMs: number; hitMs: number[] }> {
  const cold = await openWithCaps(root);
  await cold.conn.close();
  const cacheDir = path.join(pathsForUri(embedUri(root)).cacheDir, 'capabilities');
  const entry = fs.readdirSync(cacheDir).find((f) => f.endsWith('.json'))!;
  const probeMs = (JSON.parse(fs.readFileSync(path.join(cacheDir, entry), 'utf8')) as { probeMs: number }).probeMs;
  const hitMs: number[] = [];
  for (let i = 0; i < hits; i++) {
    // The last close drops the driver state: the next open reads the cache file again.
    const o = await openWithCaps(root);
    hitMs.push(o.ms);
    await o.conn.close();
  }
  return { coldMs: cold.ms, probeMs, hitMs };
}

export interface InProcessRound {
  defineMs: number;
  startMs: number;
  destroyMs: number;
  undefineMs: number;
  marks: StartMarks;
}

/** One define → create (until running) → destroy → undefine round. */
export async function inProcessRound(conn: Connect, xml: string): Promise<InProcessRound> {
  let t0 = now();
  const dom = await conn.defineXML(xml);
  const defineMs = since(t0);
  let startMs = 0;
  const marks = await traceStart(async () => {
    t0 = now();
    await dom.create();
    startMs = since(t0);
  });
  if ((await dom.getState()).state !== DomainState.VIR_DOMAIN_RUNNING) throw new Error('not running after create');
  t0 = now();
  await dom.destroy();
  const destroyMs = since(t0);
  t0 = now();
  await dom.undefine();
  return { defineMs, startMs, destroyMs, undefineMs: since(t0), marks };
}

/** Start `name` once and read back the command line the driver ran (for the floor). */
export async function recordLaunch(conn: Connect, root: string, name: string): Promise<RecordedLaunch> {
  const dom = await conn.lookupByName(name);
  await dom.create();
  try {
    const file = statusPath(pathsForUri(embedUri(root)).stateDir, name);
    const st = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedLaunch;
    return { argv: st.argv, privateDir: st.privateDir, monitorPath: st.monitorPath, pidFile: st.pidFile };
  } finally {
    await dom.destroy();
  }
}

/** `bin/vsh -c URI <args>` as a whole process; ms. */
export async function vshTimed(repo: string, env: NodeJS.ProcessEnv, root: string, args: string[]): Promise<number> {
  return (await runTimed([path.join(repo, 'bin', 'vsh'), '-c', embedUri(root), ...args], env)).ms;
}
