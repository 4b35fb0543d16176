/**
 * Persistent dirty bitmaps: reading their state from a running QEMU (`query-named-block-nodes`)
 * or from an image at rest (`qemu-img info`), the QMP transaction actions that add and remove
 * them, and `qemu-img bitmap` for images of a shut-off domain.
 */
import { execFile } from 'node:child_process';
import { ErrorDomain, VirError } from '@virtkit/core';
import type { QmpClient } from '../qmp/client';

/** What a backup needs to know of one bitmap. */
export interface BitmapState {
  name: string;
  /** Records guest writes (`auto` flag at rest). */
  recording: boolean;
  /** Not saved properly when its QEMU last stopped (`in-use` flag at rest): unusable. */
  inconsistent: boolean;
  granularity: number;
  /** Dirty bytes; only a running QEMU knows it. */
  count?: number;
}

interface QmpBitmap {
  name?: string;
  recording: boolean;
  inconsistent?: boolean;
  granularity: number;
  count: number;
}

/** Node name → its named bitmaps. */
export async function liveBitmaps(qmp: QmpClient): Promise<Map<string, BitmapState[]>> {
  const nodes = await qmp.execute<Array<{ 'node-name': string; 'dirty-bitmaps'?: QmpBitmap[] }>>('query-named-block-nodes', {
    flat: true,
  });
  const out = new Map<string, BitmapState[]>();
  for (const n of nodes) {
    const named = (n['dirty-bitmaps'] ?? []).filter((b) => b.name !== undefined);
    out.set(
      n['node-name'],
      named.map((b) => ({
        name: b.name!,
        recording: b.recording,
        inconsistent: !!b.inconsistent,
        granularity: b.granularity,
        count: b.count,
      })),
    );
  }
  return out;
}

/** Why a bitmap cannot serve an incremental backup, or undefined when it can. */
export function bitmapProblem(bitmaps: readonly BitmapState[] | undefined, name: string): string | undefined {
  const b = bitmaps?.find((x) => x.name === name);
  if (!b) return 'missing';
  if (b.inconsistent) return 'inconsistent';
  if (!b.recording) return 'not recording';
  return undefined;
}

/** A QMP transaction action. */
export interface TransactionAction {
  type: string;
  data: Record<string, unknown>;
}

export function addBitmapAction(node: string, name: string): TransactionAction {
  return { type: 'block-dirty-bitmap-add', data: { node, name, persistent: true } };
}

export function removeBitmapAction(node: string, name: string): TransactionAction {
  return { type: 'block-dirty-bitmap-remove', data: { node, name } };
}

/** Run a tool; failures become libvirt's "Child process ... unexpected exit status" error. */
export function runTool(bin: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const status = typeof error.code === 'number' ? error.code : 1;
      reject(
        VirError.internal(
          `Child process (${[bin, ...args].join(' ')}) unexpected exit status ${status}: ${String(stderr).trim()}`,
          ErrorDomain.VIR_FROM_NONE,
        ),
      );
    });
  });
}

interface ImageInfo {
  'format-specific'?: { data?: { bitmaps?: Array<{ name: string; flags: string[]; granularity: number }> } };
}

/** The bitmaps of a qcow2 image at rest. */
export async function imageBitmaps(qemuImg: string, path: string): Promise<BitmapState[]> {
  const info = JSON.parse(await runTool(qemuImg, ['info', '-U', '--output=json', '-f', 'qcow2', path])) as ImageInfo;
  return (info['format-specific']?.data?.bitmaps ?? []).map((b) => ({
    name: b.name,
    recording: b.flags.includes('auto'),
    inconsistent: b.flags.includes('in-use'),
    granularity: b.granularity,
  }));
}

/** `qemu-img bitmap --add|--remove` on an image nobody has open. */
export async function editImageBitmap(qemuImg: string, op: 'add' | 'remove', path: string, name: string): Promise<void> {
  await runTool(qemuImg, ['bitmap', `--${op}`, '-f', 'qcow2', path, name]);
}
