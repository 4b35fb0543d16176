/** Small filesystem helpers shared by the runtime modules. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempFileIn } from './state/temp-files';

export interface AtomicWriteOptions {
  /**
   * fsync the file and its directory (default). Runtime state of live processes (status files,
   * a start's private files) passes false: a power loss ends the processes such a file
   * describes, so only the rename's atomicity protects anything, and two fsyncs per write are
   * a visible share of a domain start.
   */
  durable?: boolean;
}

/**
 * Write a file atomically: temp file in the same directory, fsync, rename, fsync the directory
 * (the fsyncs only when durable). A crash leaves the temp file, which the next load removes
 * (state/temp-files.ts).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
  { durable = true }: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = tempFileIn(dir);
  const fh = await fs.promises.open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  if (!durable) return;
  try {
    const dh = await fs.promises.open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* directory fsync is best effort */
  }
}

/** Whether a process exists (signal 0). EPERM means it exists but is not ours. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0; treat it as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    /* no procfs: trust kill(0) */
  }
  return true;
}

/** Start time of a process in clock ticks since boot (`/proc/pid/stat` field 22), to detect pid reuse. */
export function pidStartTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How many `*.xml` metadata files a directory holds (0 when it does not exist), without reading them. */
export function countXmlFiles(dir: string): number {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.xml') && !f.startsWith('.')).length;
  } catch {
    return 0;
  }
}
