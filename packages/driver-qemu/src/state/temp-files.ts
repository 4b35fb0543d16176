/**
 * Names of the temp files atomic writes go through: `.vk-tmp.<pid>.<random>`, short and fixed
 * whatever the target (a long target name no longer makes it exceed NAME_MAX), never colliding
 * with a state file (those never start with a dot, see file-names.ts), and naming its writer so
 * that the next load can tell a crashed write (state-dir.ts removes it) from one in progress.
 */
import * as path from 'node:path';

const PREFIX = '.vk-tmp.';
const PATTERN = /^\.vk-tmp\.(\d+)\.[0-9a-z]+$/;

/** A fresh temp file name in `dir`, owned by this process. */
export function tempFileIn(dir: string): string {
  return path.join(dir, `${PREFIX}${process.pid}.${Math.random().toString(36).slice(2, 12)}`);
}

/** The pid of the writer of directory entry `name`, or undefined when it is not a temp file. */
export function tempFileWriter(name: string): number | undefined {
  const m = PATTERN.exec(name);
  return m ? Number(m[1]) : undefined;
}
