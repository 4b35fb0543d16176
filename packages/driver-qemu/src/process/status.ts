/**
 * The JSON status file of a running domain (libvirt's `<stateDir>/<name>.xml` domstatus,
 * here JSON): everything needed to find and re-attach to the QEMU process after the driver
 * restarts. Written atomically (not durably: see writeFileAtomic) on every state change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fsutil';
import { fileNameFor } from '../state/file-names';
import { loadStateDir, type LoadReport, type StateFile } from '../state/state-dir';

export interface DomainStatus {
  /** Format version of this file. */
  format: 1;
  name: string;
  uuid: string;
  /** Domain id while running. */
  id: number;
  pid: number;
  /** Process start time in clock ticks since boot (guards against pid reuse). */
  pidStartTicks?: number;
  /** QMP socket. */
  monitorPath: string;
  pidFile: string;
  logPath: string;
  /** Private per-domain directory (monitor socket etc.), removed on stop. */
  privateDir: string;
  emulator: string;
  argv: string[];
  /** Live domain XML. */
  xml: string;
  /** Start time (ms since epoch). */
  startTime: number;
  /**
   * Last known state and reason (libvirt numbers). Paused / starting up until the start has
   * made its last write: a record that still says so describes a start that never finished.
   */
  state: number;
  reason: number;
  /** A guest-initiated SHUTDOWN event was seen (EOF after it is a shutdown, not a crash). */
  gotShutdown?: boolean;
  /** What extension modules keep with the running domain across driver restarts (block jobs), by module. */
  extensions?: Record<string, unknown>;
}

export function statusPath(stateDir: string, name: string): string {
  return path.join(stateDir, fileNameFor(name, '.json'));
}

/**
 * The pid file QEMU writes and keeps locked while it runs (`-pidfile`): the domain's lock
 * (see pidfile.ts), so its path depends on the domain's name only, never on a run.
 */
export function pidFilePath(stateDir: string, name: string): string {
  return path.join(stateDir, fileNameFor(name, '.pid'));
}

export async function writeStatus(stateDir: string, st: DomainStatus): Promise<void> {
  await writeFileAtomic(statusPath(stateDir, st.name), `${JSON.stringify(st, null, 2)}\n`, 0o600, { durable: false });
}

export async function removeStatus(stateDir: string, name: string): Promise<void> {
  await fs.promises.rm(statusPath(stateDir, name), { force: true });
}

function parseStatus(text: string): DomainStatus {
  const st = JSON.parse(text) as DomainStatus;
  if (st.format !== 1 || typeof st.name !== 'string' || typeof st.pid !== 'number' || typeof st.monitorPath !== 'string') {
    throw new Error('unsupported status file');
  }
  return st;
}

/** Every usable status file in the state dir; the others are reported and removed (nothing can re-attach through them). */
export function readAllStatus(stateDir: string, report: LoadReport): Promise<Array<StateFile<DomainStatus>>> {
  return loadStateDir(stateDir, { suffix: '.json', parse: parseStatus, nameOf: (st) => st.name, removeUnusable: true }, report);
}
