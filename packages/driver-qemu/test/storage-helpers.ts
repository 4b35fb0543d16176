/** Shared pieces of the storage tests: scratch storage directories and error capture. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VirError } from '@virtkit/core';
import { DirStorage } from '../src/storage';
import type { StorageDirs } from '../src/storage/pool-files';
import { tmpDir } from './helpers';

export interface Scratch {
  root: string;
  dirs: StorageDirs;
  open(): Promise<DirStorage>;
  cleanup(): void;
}

/** A temp root holding the driver's config/autostart/state dirs and room for pool directories. */
export function scratch(): Scratch {
  const root = tmpDir('virtkit-stg-');
  const dirs = { configDir: path.join(root, 'etc'), autostartDir: path.join(root, 'etc', 'autostart'), stateDir: path.join(root, 'run') };
  return { root, dirs, open: () => DirStorage.open(dirs), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** [code, domain, message] of the VirError a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<[number, number, string]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VirError) return [e.code, e.domain, e.message];
    throw e;
  }
  throw new Error('expected a VirError');
}

export const POOL = (name: string, dir: string, extra = '') =>
  `<pool type='dir'><name>${name}</name>${extra}<target><path>${dir}</path></target></pool>`;

/** `qemu-img info --output=json` of a file. */
export function imgInfo(file: string): Record<string, unknown> {
  return JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' }));
}

export const mode = (file: string) => fs.statSync(file).mode & 0o777;
