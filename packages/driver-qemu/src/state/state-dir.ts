/**
 * Loading a directory of state files (domain configs and status, snapshot and checkpoint
 * metadata, storage pools), the one way every store does it: stale temp files are removed, and
 * every file that cannot be used is logged and counted in a `LoadReport` instead of skipped
 * silently. A file is used only when it is named after the object it holds (file-names.ts);
 * one in the layout written before names were escaped is renamed into the escaped one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidAlive } from '../fsutil';
import { fileNameFor } from './file-names';
import { tempFileWriter } from './temp-files';

/** A state file that could not be loaded, and why. */
export interface LoadProblem {
  /** The file (or directory) that could not be used. */
  file: string;
  /** Why: the parse error, `empty file`, or which name it holds. */
  reason: string;
}

/** Where a driver's loads report: what failed (each also logged) and which temp files were removed. */
export class LoadReport {
  /** Every file that could not be loaded, in load order. */
  readonly problems: LoadProblem[] = [];
  /** Temp files of interrupted writes removed while loading. */
  readonly removedTempFiles: string[] = [];

  /** @param log - one line per problem; stderr by default, as libvirt logs errors without a log config */
  constructor(private readonly log: (line: string) => void = (l) => process.stderr.write(l)) {}

  /** Record and log a file that cannot be loaded. */
  problem(file: string, reason: string): void {
    this.problems.push({ file, reason });
    this.log(`${new Date().toISOString()}: ${process.pid}: error : Failed to load state file '${file}': ${reason}\n`);
  }

  /** Record and log a temp file removed. */
  removedTemp(file: string): void {
    this.removedTempFiles.push(file);
    this.log(`${new Date().toISOString()}: ${process.pid}: warning : Removed '${file}', left by an interrupted write\n`);
  }
}

/** One loaded state file. */
export interface StateFile<T> {
  file: string;
  value: T;
}

export interface StateDirSpec<T> {
  /** File name suffix of this kind of state (`.xml`, `.json`). */
  suffix: string;
  /** Parse a file's text; throws when unusable. */
  parse(text: string): T;
  /** The object name the parsed file holds. */
  nameOf(value: T): string;
  /** Remove an unusable file after reporting it (runtime state nothing can re-attach to). */
  removeUnusable?: boolean;
}

/** Entries of `dir`; a missing directory has none, another failure is reported. */
async function entriesOf(dir: string, report: LoadReport): Promise<string[]> {
  try {
    return (await fs.promises.readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') report.problem(dir, (e as Error).message);
    return [];
  }
}

/** Remove the temp files of a writer that is gone (a crash between write and rename). */
async function removeIfStaleTemp(dir: string, entry: string, report: LoadReport): Promise<boolean> {
  const writer = tempFileWriter(entry);
  if (writer === undefined) return false;
  if (writer !== process.pid && !pidAlive(writer)) {
    const file = path.join(dir, entry);
    await fs.promises.rm(file, { force: true });
    report.removedTemp(file);
  }
  return true;
}

/** The file named as `name` wants, renaming one in the unescaped layout (`NAME.xml`) into it. */
async function canonicalFile(dir: string, entry: string, name: string, suffix: string): Promise<string | undefined> {
  const wanted = fileNameFor(name, suffix);
  if (entry === wanted) return path.join(dir, entry);
  if (entry !== `${name}${suffix}`) return undefined;
  const target = path.join(dir, wanted);
  if (fs.existsSync(target)) return undefined;
  await fs.promises.rename(path.join(dir, entry), target);
  return target;
}

async function loadOne<T>(dir: string, entry: string, spec: StateDirSpec<T>, report: LoadReport): Promise<StateFile<T> | undefined> {
  const file = path.join(dir, entry);
  let value: T;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) throw new Error('not a regular file');
    const text = await fs.promises.readFile(file, 'utf8');
    if (text.trim() === '') throw new Error('empty file');
    value = spec.parse(text);
  } catch (e) {
    report.problem(file, `${(e as Error).message}${spec.removeUnusable ? ' (removed)' : ''}`);
    if (spec.removeUnusable) await fs.promises.rm(file, { recursive: true, force: true });
    return undefined;
  }
  const name = spec.nameOf(value);
  const canonical = await canonicalFile(dir, entry, name, spec.suffix).catch(() => undefined);
  if (!canonical) {
    report.problem(file, `it holds '${name}', whose file is '${fileNameFor(name, spec.suffix)}'`);
    return undefined;
  }
  return { file: canonical, value };
}

/**
 * Every usable `*<suffix>` file of `dir`, parsed, in file name order. Stale temp files are
 * removed; other entries (other suffixes, subdirectories) are left alone.
 */
export async function loadStateDir<T>(dir: string, spec: StateDirSpec<T>, report: LoadReport): Promise<Array<StateFile<T>>> {
  const out: Array<StateFile<T>> = [];
  for (const entry of await entriesOf(dir, report)) {
    if (await removeIfStaleTemp(dir, entry, report)) continue;
    if (!entry.endsWith(spec.suffix)) continue;
    const loaded = await loadOne(dir, entry, spec, report);
    if (loaded) out.push(loaded);
  }
  return out;
}

/**
 * The directory of object `name` under `base` (a domain's snapshot or checkpoint metadata),
 * escaped like a file name: a domain named `..` must not own its parent. A directory left in
 * the unescaped layout by an older version is renamed into place (never one of `.`, `..` or a
 * hidden name, which that layout could not tell from others).
 */
export function objectDir(base: string, name: string): string {
  const dir = path.join(base, fileNameFor(name, ''));
  if (fileNameFor(name, '') === name || name.startsWith('.') || name.includes('/')) return dir;
  const legacy = path.join(base, name);
  try {
    if (fs.statSync(legacy).isDirectory() && !fs.existsSync(dir)) fs.renameSync(legacy, dir);
  } catch {
    /* no directory in the old layout */
  }
  return dir;
}
