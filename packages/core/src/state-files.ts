/**
 * A driver's state files: whole-file atomic writes, and the `NAME.EXT` files of one directory
 * (with the leftovers of interrupted writes removed). Shared by the drivers that keep one file per
 * domain and status.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

const TEMP_PREFIX = '.vk-tmp.';

/**
 * Write `file` so that a reader or a crash sees the old content or the new, never a mix.
 * `durable: false` skips the fsync, for the status of running processes: a power loss ends
 * what such a file describes (libvirt keeps it on tmpfs, /run), and the fsync is a visible
 * share of a start on a busy disk.
 */
export async function writeFileAtomic(file: string, data: string, { durable = true }: { durable?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  try {
    const fh = await fs.promises.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/** The text of every `*EXT` file in `dir` by base name; temp files of interrupted writes are removed. */
export function readFilesOf(dir: string, ext: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    if (name.startsWith(TEMP_PREFIX)) fs.rmSync(file, { force: true });
    else if (name.endsWith(ext)) out.set(name.slice(0, -ext.length), fs.readFileSync(file, 'utf8'));
  }
  return out;
}
