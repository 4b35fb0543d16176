/**
 * Internal snapshots, stored inside the qcow2 images: while QEMU runs, its `snapshot-save`,
 * `snapshot-load` and `snapshot-delete` jobs (vCPUs stopped by QEMU while they work; memory
 * state saved into the vmstate image); while shut off, `qemu-img snapshot -c/-a/-d`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { QmpClient, QmpEvent } from '../qmp/client';
import { imageToolFailed } from './errors';

const run = promisify(execFile);

export type SnapshotJob = 'snapshot-save' | 'snapshot-load' | 'snapshot-delete';

interface JobInfo {
  id: string;
  status: string;
  error?: string;
}

let jobCounter = 0;

/** Resolves when job `id` concludes; `cancel` drops the wait (the job never started). */
function whenConcluded(qmp: QmpClient, id: string, command: string): { done: Promise<void>; cancel: () => void } {
  let cleanup = () => {};
  const done = new Promise<void>((resolve, reject) => {
    const onEvent = (e: QmpEvent) => {
      if (e.data.id !== id || e.data.status !== 'concluded') return;
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, `QEMU exited during ${command}`));
    };
    cleanup = () => {
      qmp.off('JOB_STATUS_CHANGE', onEvent);
      qmp.off('close', onClose);
    };
    qmp.on('JOB_STATUS_CHANGE', onEvent);
    qmp.once('close', onClose);
  });
  return { done, cancel: () => cleanup() };
}

/** A job id no other snapshot job of this QEMU has (journaled before the job starts). */
export function snapshotJobId(command: SnapshotJob): string {
  return `virtkit-${command}-${process.pid}-${++jobCounter}`;
}

/**
 * Wait for job `id`, started by a process that is gone, to conclude, and dismiss it; nothing
 * to do when QEMU no longer has it (it never started, or was dismissed).
 */
export async function settleOrphanJob(qmp: QmpClient, id: string): Promise<void> {
  const wait = whenConcluded(qmp, id, 'snapshot job');
  const job = (await qmp.execute<JobInfo[]>('query-jobs')).find((j) => j.id === id);
  if (!job) {
    wait.cancel();
    return;
  }
  if (job.status === 'concluded') wait.cancel();
  else await wait.done;
  await qmp.execute('job-dismiss', { id });
}

/** The internal snapshot tags of QEMU's block nodes `nodes`, together. */
export async function liveSnapshotTags(qmp: QmpClient, nodes: readonly string[]): Promise<Set<string>> {
  const all = await qmp.execute<Array<{ 'node-name': string; image: { snapshots?: Array<{ name: string }> } }>>('query-named-block-nodes', {
    flat: true,
  });
  return new Set(all.filter((n) => nodes.includes(n['node-name'])).flatMap((n) => (n.image.snapshots ?? []).map((s) => s.name)));
}

/**
 * Run one snapshot job to its end: start it, wait for it to conclude, read its outcome and
 * dismiss it. `vmstate` names the node holding the memory state (save and load only).
 */
export async function runSnapshotJob(
  qmp: QmpClient,
  command: SnapshotJob,
  tag: string,
  devices: readonly string[],
  vmstate?: string,
  id = snapshotJobId(command),
): Promise<void> {
  // Listen before starting: a short job may conclude before its start command's reply.
  const wait = whenConcluded(qmp, id, command);
  const args: Record<string, unknown> = { 'job-id': id, tag, devices: [...devices] };
  if (vmstate !== undefined) args.vmstate = vmstate;
  try {
    await qmp.execute(command, args);
  } catch (e) {
    wait.cancel();
    throw e;
  }
  await wait.done;
  const jobs = await qmp.execute<JobInfo[]>('query-jobs');
  const job = jobs.find((j) => j.id === id);
  await qmp.execute('job-dismiss', { id });
  if (job?.error) throw VirError.internal(`${command} job failed: ${job.error}`, ErrorDomain.VIR_FROM_QEMU);
}

/** The internal snapshots of an image at rest (`qemu-img snapshot -l`), by tag. */
export async function imageSnapshotTags(qemuImg: string, image: string): Promise<string[]> {
  const { stdout } = await run(qemuImg, ['info', '-U', '--output=json', image]);
  const info = JSON.parse(stdout) as { snapshots?: Array<{ name: string }> };
  return (info.snapshots ?? []).map((s) => s.name);
}

/** `qemu-img snapshot -c|-a|-d tag image` on an image QEMU does not hold. */
export async function editImageSnapshot(qemuImg: string, op: 'create' | 'apply' | 'delete', image: string, tag: string): Promise<void> {
  const args = ['snapshot', { create: '-c', apply: '-a', delete: '-d' }[op], tag, image];
  try {
    await run(qemuImg, args);
  } catch (e) {
    throw imageToolFailed(args, (e as { stderr?: string }).stderr ?? (e as Error).message);
  }
}

/** Create `tag` in every image, removing the ones already made when one fails. */
export async function createInImages(qemuImg: string, images: readonly string[], tag: string): Promise<void> {
  const done: string[] = [];
  try {
    for (const image of images) {
      await editImageSnapshot(qemuImg, 'create', image, tag);
      done.push(image);
    }
  } catch (e) {
    for (const image of done) await editImageSnapshot(qemuImg, 'delete', image, tag).catch(() => undefined);
    throw e;
  }
}
