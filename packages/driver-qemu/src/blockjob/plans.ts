/**
 * What a block job call means for the chain, decided before anything runs: the checks libvirt
 * makes on `base`/`top` and the flags (in libvirt's order, so the first failing one reports),
 * the chain after a successful end, and the images that leave it. Then the QMP arguments
 * (online) or the qemu-img commands (offline) that do the work.
 */
import { DomainBlockCommitFlags as Commit, DomainBlockJobType as JobType } from '@virtkit/core';
import { lookupBelow, lookupLayer } from './chain';
import * as err from './errors';
import { relativeBacking } from './images';
import { nodeOf, type ImageNodes } from './nodes';
import type { OfflineStep } from './offline';
import { relinkQcow2 } from './qcow2-relink';
import type { ChainLayer, Plan } from './types';

/** libvirt's names of the job kinds (qemuBlockjobType), used in job ids and messages. */
export const TYPE_NAME: Record<number, string> = {
  [JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL]: 'pull',
  [JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY]: 'copy',
  [JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT]: 'commit',
  [JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT]: 'active-commit',
};

export const LLONG_MAX = 2n ** 63n - 1n;
const MIB = 1024 * 1024;

/** A bandwidth argument in bytes/s: MiB/s unless the call's BYTES flag is set. */
export function toBytes(bandwidth: number, bytes: boolean): number {
  const max = bytes ? LLONG_MAX : LLONG_MAX >> 20n;
  if (BigInt(bandwidth) > max) throw err.bandwidthOverflow(max);
  return bytes ? bandwidth : bandwidth * MIB;
}

export interface CommitPlan extends Plan {
  top: number;
  base: number;
  /** Backing string for the overlay above `top` (RELATIVE); QEMU/qemu-img default otherwise. */
  backing?: string;
}

/** virDomainBlockCommit's argument checks and plan. */
export async function planCommit(
  chain: ChainLayer[],
  dst: string,
  base: string | null,
  top: string | null,
  flags: number,
  qemuImg: string,
): Promise<CommitPlan> {
  const topIdx = !top || top === dst ? 0 : lookupLayer(chain, top, dst);
  if (topIdx === chain.length - 1) throw err.topWithoutBacking(chain[topIdx].path, dst);
  const shallow = (flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_SHALLOW) !== 0;
  const baseIdx = !base && shallow ? topIdx + 1 : lookupBelow(chain, topIdx, base, dst);
  if (shallow && baseIdx !== topIdx + 1) throw err.baseNotImmediatelyBelow(chain[baseIdx].path, chain[topIdx].path, dst);
  const active = topIdx === 0;
  if (active && !(flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE)) throw err.activeCommitNeedsFlag(dst);
  if (!active && flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE) throw err.activeFlagButNotActive(chain[topIdx].path);
  const relative = !active && (flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_RELATIVE) !== 0;
  return {
    type: active ? JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT : JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
    after: [...chain.slice(0, topIdx), ...chain.slice(baseIdx)],
    dropped: chain.slice(topIdx, baseIdx),
    deleteDropped: (flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_DELETE) !== 0,
    top: topIdx,
    base: baseIdx,
    backing: relative ? await relativeBacking(chain, topIdx - 1, baseIdx, qemuImg) : undefined,
  };
}

export function commitArgs(chain: ChainLayer[], p: CommitPlan, nodes: Map<string, ImageNodes>, speed: number): Record<string, unknown> {
  const args: Record<string, unknown> = {
    device: nodeOf(nodes, chain[0]).format,
    'top-node': nodeOf(nodes, chain[p.top]).format,
    'base-node': nodeOf(nodes, chain[p.base]).format,
  };
  if (p.backing !== undefined) args['backing-file'] = p.backing;
  if (speed) args.speed = speed;
  return args;
}

/**
 * `qemu-img commit` of top into base (`-d`: top keeps its data, as after a live commit), then,
 * below an overlay, `rebase -u` of that overlay onto the base — what QEMU does to the overlay's
 * header at the end of a live commit.
 */
export function commitSteps(chain: ChainLayer[], p: CommitPlan, speed: number): OfflineStep[] {
  const top = chain[p.top];
  const base = chain[p.base];
  const steps: OfflineStep[] = [
    {
      args: ['commit', '-p', '-f', top.format, '-t', 'writeback', '-b', base.path, '-d', ...(speed ? ['-r', String(speed)] : []), top.path],
      progress: true,
    },
  ];
  if (p.top > 0) {
    const overlay = chain[p.top - 1];
    const backing = p.backing ?? base.path;
    steps.push({
      args: ['rebase', '-u', '-f', overlay.format, '-b', backing, '-F', base.format, overlay.path],
      inProcess: overlay.format === 'qcow2' ? () => relinkQcow2(overlay.path, { backing, format: base.format }) : undefined,
    });
  }
  return steps;
}

export interface PullPlan extends Plan {
  /** Index of the new backing image; the chain length when pulling everything. */
  base: number;
  baseName: string | null;
  backing?: string;
}

/** virDomainBlockRebase without COPY (and virDomainBlockPull): plan. */
export async function planPull(
  chain: ChainLayer[],
  dst: string,
  base: string | null,
  relative: boolean,
  qemuImg: string,
): Promise<PullPlan> {
  const baseIdx = base ? lookupBelow(chain, 0, base, dst) : chain.length;
  return {
    type: JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL,
    after: [chain[0], ...chain.slice(baseIdx)],
    dropped: chain.slice(1, baseIdx),
    base: baseIdx,
    baseName: base,
    backing: relative ? await relativeBacking(chain, 0, baseIdx, qemuImg) : undefined,
  };
}

export function pullArgs(chain: ChainLayer[], p: PullPlan, nodes: Map<string, ImageNodes>, speed: number): Record<string, unknown> {
  const args: Record<string, unknown> = { device: nodeOf(nodes, chain[0]).format };
  if (p.baseName) args['base-node'] = nodeOf(nodes, chain[p.base]).format;
  if (p.backing !== undefined) args['backing-file'] = p.backing;
  if (speed) args.speed = speed;
  return args;
}

/** Safe-mode `qemu-img rebase`: copies what differs from the new backing (none: everything). */
export function pullSteps(chain: ChainLayer[], p: PullPlan): OfflineStep[] {
  const newBacking = p.baseName ? ['-b', p.backing ?? chain[p.base].path, '-F', chain[p.base].format] : ['-b', ''];
  return [{ args: ['rebase', '-p', '-f', chain[0].format, ...newBacking, chain[0].path], progress: true }];
}

/** virDomainBlockCopy: the target replaces the top (shallow) or the whole chain. */
export function planCopy(chain: ChainLayer[], target: ChainLayer, shallow: boolean): Plan {
  return {
    type: JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY,
    after: [target, ...(shallow ? chain.slice(1) : [])],
    dropped: shallow ? [chain[0]] : chain,
    discardOnAbort: [target],
  };
}
