/**
 * Where the QEMU driver's copy of libvirt's CPU map lives (the package's data folder, found from
 * this module's location both in the sources and in the built bundle), and the x86 map read from
 * it once.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadX86Map, type X86Map } from '@virtkit/xml';
import { VirError } from '@virtkit/core';

/**
 * This module's folder. CJS builds and jest give `__dirname`; the source run as an ES module (tsx,
 * through the workspace's path mapping) has none, and `import.meta` would not parse in the CJS
 * builds, so there the first frame of a fresh stack, which is this file, names it.
 */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(new Error().stack ?? '');
  if (!frame) throw VirError.internal('cannot tell where the QEMU driver is installed');
  return path.dirname(frame[1].startsWith('file:') ? fileURLToPath(frame[1]) : frame[1]);
}

/** A data folder of the package, `<package>/data/<folder>` holding `marker`, searched upwards from `start`. */
export function packageDataDir(folder: string, marker: string, start: string = moduleDir()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', folder);
    if (existsSync(path.join(candidate, marker))) return candidate;
    if (path.dirname(dir) === dir) throw VirError.internal(`cannot find the data folder '${folder}' above '${start}'`);
  }
}

/** The data folder of the package: `<package>/data/cpu_map`, searched upwards from here. */
export function cpuMapDir(start: string = moduleDir()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', 'cpu_map');
    if (existsSync(path.join(candidate, 'index.xml'))) return candidate;
    if (path.dirname(dir) === dir) throw VirError.internal(`cannot find the CPU map folder above '${start}'`);
  }
}

let loaded: X86Map | undefined;

/** The x86 CPU map, read on first use. */
export function x86Map(): X86Map {
  const dir = cpuMapDir();
  loaded ??= loadX86Map((file) => readFileSync(path.join(dir, file), 'utf8'));
  return loaded;
}
