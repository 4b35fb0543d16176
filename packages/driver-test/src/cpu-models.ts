/**
 * testConnectGetCPUModelNames: the models of libvirt's CPU map, whose index the package ships in
 * data/cpu_map (found from this module's location, in the sources and in the built bundle).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuModelNames } from '@virtkit/xml';
import { checkFlags, FROM_TEST, internal } from './errors';

/** This module's folder: `__dirname` under CJS and jest, else the file named by a fresh stack frame (ES module sources). */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(new Error().stack ?? '');
  if (!frame) throw internal('cannot tell where the test driver is installed');
  return path.dirname(frame[1].startsWith('file:') ? fileURLToPath(frame[1]) : frame[1]);
}

let index: string | undefined;

function cpuMapIndex(): string {
  if (index !== undefined) return index;
  for (let dir = moduleDir(); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'data', 'cpu_map', 'index.xml');
    if (existsSync(file)) return (index = readFileSync(file, 'utf8'));
    if (path.dirname(dir) === dir) throw internal('cannot find the CPU map of the test driver');
  }
}

export function getCPUModelNames(arch: string, flags: number): string[] {
  checkFlags(flags, 0, 'testConnectGetCPUModelNames');
  return cpuModelNames(cpuMapIndex(), arch, FROM_TEST);
}
