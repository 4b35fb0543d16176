/** Image file work around block jobs: creating a copy target, probing a format, relative backing names. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { VirError } from '@virtkit/core';
import { probeChain } from './chain';
import { cannotKeepRelative } from './errors';
import type { ChainLayer } from './types';

const run = promisify(execFile);

async function qemuImg(bin: string, args: string[]): Promise<string> {
  try {
    return (await run(bin, args)).stdout;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw VirError.internal(`qemu-img ${args[0]} failed: ${stderr || (e as Error).message}`);
  }
}

/** Create an image of `size` bytes, optionally over a backing image (a shallow copy's target). */
export async function createImage(layer: ChainLayer, size: number, backing: ChainLayer | undefined, bin: string): Promise<void> {
  const args = ['create', '-q', '-f', layer.format];
  if (backing) args.push('-b', backing.path, '-F', backing.format);
  args.push(layer.path, String(size));
  await qemuImg(bin, args);
}

/** The format of an existing image (a reused copy destination without an explicit one). */
export async function probeFormat(image: string, bin: string): Promise<string> {
  const out = await qemuImg(bin, ['info', '-U', '--output=json', image]);
  return (JSON.parse(out) as { format: string }).format;
}

/**
 * The backing string that keeps the chain relative when the images between `overlay` and
 * `base` (top first indexes) leave it: every link on the way must be stored relative, as
 * libvirt requires for the RELATIVE flags. The result is relative to the overlay's directory.
 */
export async function relativeBacking(chain: readonly ChainLayer[], overlay: number, base: number, bin: string): Promise<string> {
  const probed = await probeChain(chain[overlay].path, bin);
  for (let i = 0; i < base - overlay; i++) {
    const raw = probed[i]?.backingRaw;
    if (!raw || path.isAbsolute(raw) || raw.startsWith('json:')) throw cannotKeepRelative();
  }
  return path.relative(path.dirname(chain[overlay].path), chain[base].path);
}
