/**
 * Files the test driver ships in its package's data/ folder (libvirt's CPU map index, the
 * screenshot image), found from this module's location in the sources and in the built bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { internal } from './errors';

/** This module's folder: `__dirname` under CJS and jest, else the file named by a fresh stack frame (ES module sources). */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(new Error().stack ?? '');
  if (!frame) throw internal('cannot tell where the test driver is installed');
  return path.dirname(frame[1].startsWith('file:') ? fileURLToPath(frame[1]) : frame[1]);
}

/** The bytes of `data/<relative>`, from the nearest folder up from this module that has it. */
export function readDataFile(relative: string): Buffer {
  for (let dir = moduleDir(); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'data', relative);
    if (existsSync(file)) return readFileSync(file);
    if (path.dirname(dir) === dir) throw internal(`cannot find the test driver's data file ${relative}`);
  }
}
