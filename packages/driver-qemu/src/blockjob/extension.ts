import {
  ConnectDomainEventBlockJobStatus as Status,
  DomainBlockCommitFlags as Commit,
  DomainBlockJobAbortFlags as Abort,
  ErrorDomain,
  ErrorNumber,
  VirError,
  wideToNumber,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import { type DomainDef } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { diskChain, writeDiskChain } from './chain';
import { BlockJobs } from './engine';
import type { JobRecord } from './types';

const STATUS_KEY = 'blockjobs';

/** Disk target → top image path, of a definition. */
function diskSources(def: DomainDef): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of def.devices) if (d.disk?.source.path) out.set(d.disk.targetDev, d.disk.source.path);
  return out;
}

interface DomainBlockJobs {
  jobs: BlockJobs;
  /** The live disk sources when the latest job started: what a pivot moved away from. */
  sourcesAtStart: Map<string, string>;
}

/** Point the persistent disks that still name an image a live disk left at the live disk's image. */
async function followPivots(driver: QemuDriver, obj: QemuDomainObj, live: DomainDef, before: Map<string, string>): Promise<void> {
  const persistent = obj.persistentDef;
  if (!persistent || persistent === live) return;
  let changed = false;
  for (const dev of live.devices) {
    const disk = dev.disk;
    const old = disk && before.get(disk.targetDev);
    if (!disk?.source.path || !old || old === disk.source.path) continue;
    const saved = persistent.devices.find((p) => p.disk?.targetDev === disk.targetDev && p.disk.source.path === old);
    if (!saved) continue;
    writeDiskChain(saved, [{ path: disk.source.path, format: disk.driverType ?? 'raw', type: disk.type }]);
    changed = true;
  }
  if (changed) await driver.saveDef(obj, persistent);
}

function stateOf(driver: QemuDriver, obj: QemuDomainObj): DomainBlockJobs {
  return obj.extension('blockjobs', () => {
    const state: DomainBlockJobs = {
      sourcesAtStart: new Map(),
      jobs: new BlockJobs({
        qmp: () => (obj.active ? obj.monitor() : undefined),
        def: () => obj.def,
        save: async (def) => {
          await driver.saveDef(obj, def);
          if (obj.active && def === obj.liveDef) await followPivots(driver, obj, def, state.sourcesAtStart);
        },
        emit: (e) => driver.emit(e.eventId, obj.ref(), { ...e }),
        persist: async (records) => {
          if (obj.active) await obj.runtime.saveExtensionState(STATUS_KEY, records);
        },
      }),
    };
    return state;
  });
}

function jobsOf(driver: QemuDriver, obj: QemuDomainObj): BlockJobs {
  return stateOf(driver, obj).jobs;
}

/** Where `top` sits in the chain of disk `target`, and the image below it; an INVALID_ARG when it is not an overlay there. */
async function overlayInChain(obj: QemuDomainObj, target: string, top: string): Promise<{ active: boolean; base: string }> {
  const dev = obj.def.devices.find((d) => d.disk?.targetDev === target);
  const chain = dev ? await diskChain(dev) : [];
  const at = chain.findIndex((l) => l.path === top);
  if (at < 0 || at === chain.length - 1) {
    throw VirError.invalidArg(
      `could not find image '${top}' above a backing image in the chain of disk '${target}'`,
      ErrorDomain.VIR_FROM_QEMU,
    );
  }
  return { active: at === 0, base: chain[at + 1].path };
}

/**
 * Merge each image `top` of disk `target` into the image below it and drop it from the chain,
 * deleting its file: a block commit — an active one, pivoted once ready, when `top` is the
 * disk's image — waited for to the end. Every pair is checked before the first merge starts.
 * For callers that already hold the domain job (the deletion of an external snapshot).
 */
export async function mergeIntoBacking(
  driver: QemuDriver,
  obj: QemuDomainObj,
  merges: ReadonlyArray<[target: string, top: string]>,
): Promise<void> {
  for (const [target, top] of merges) await overlayInChain(obj, target, top);
  const state = stateOf(driver, obj);
  for (const [target, top] of merges) {
    const { active, base } = await overlayInChain(obj, target, top);
    state.sourcesAtStart = diskSources(obj.def);
    const activeFlag = active ? Commit.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE : 0;
    await state.jobs.commit(target, base, top, 0, activeFlag | Commit.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    if (active && (await state.jobs.readied(target))) await state.jobs.abort(target, Abort.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    if ((await state.jobs.settled(target)) !== Status.VIR_DOMAIN_BLOCK_JOB_COMPLETED) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        ErrorDomain.VIR_FROM_QEMU,
        `merging image '${top}' of disk '${target}' into its backing image failed`,
      );
    }
  }
}

export const blockJobHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, e) => jobsOf(driver, obj).handleQmpEvent(e),
    stopped: (obj) => jobsOf(driver, obj).monitorLost(),
    // An offline job is qemu-img run by this process: were the process to exit, it would be
    // orphaned and its end (the overlay's new backing, the definition) never recorded.
    closing: async () => {
      await Promise.all(driver.domains.all().map((obj) => jobsOf(driver, obj).offlineWorkDone()));
    },
    reconnected: async (obj) => {
      const records = obj.runtime.extensionState<JobRecord[]>(STATUS_KEY) ?? [];
      const state = stateOf(driver, obj);
      // What each disk left at its job's start: what a pivot after the restart moves away from.
      state.sourcesAtStart = new Map(records.map((r) => [r.dst, r.path]));
      await state.jobs.adopt(records);
    },
  });
};

type BlockJobMethods = Pick<
  Required<DriverConnection>,
  | 'domainBlockCommit'
  | 'domainBlockPull'
  | 'domainBlockRebase'
  | 'domainBlockCopy'
  | 'domainBlockJobAbort'
  | 'domainBlockJobSetSpeed'
  | 'domainGetBlockJobInfo'
>;

export const blockJobMethods: QemuConnectionExtension = (driver): BlockJobMethods => {
  /** Run `fn` under the job lock; `starts`: it starts a job, so record the disks it may move. */
  const withJobs = <T>(dom: DomainRef, owner: string, fn: (jobs: BlockJobs) => Promise<T>, starts = true): Promise<T> => {
    const obj = driver.domains.get(dom);
    return driver.withJob(obj, 'modify', owner, () => {
      const state = stateOf(driver, obj);
      if (starts) state.sourcesAtStart = diskSources(obj.def);
      return fn(state.jobs);
    });
  };
  return {
    domainBlockCommit: (dom, disk, base, top, bw, flags) =>
      withJobs(dom, 'virDomainBlockCommit', (j) => j.commit(disk, base, top, wideToNumber(bw), flags)),
    domainBlockPull: (dom, disk, bw, flags) => withJobs(dom, 'virDomainBlockPull', (j) => j.pull(disk, wideToNumber(bw), flags)),
    domainBlockRebase: (dom, disk, base, bw, flags) =>
      withJobs(dom, 'virDomainBlockRebase', (j) => j.rebase(disk, base, wideToNumber(bw), flags)),
    domainBlockCopy: (dom, disk, destxml, params, flags) =>
      withJobs(dom, 'virDomainBlockCopy', (j) => j.copy(disk, destxml, params, flags)),
    domainBlockJobAbort: (dom, disk, flags) => withJobs(dom, 'virDomainBlockJobAbort', (j) => j.abort(disk, flags), false),
    domainBlockJobSetSpeed: (dom, disk, bw, flags) =>
      withJobs(dom, 'virDomainBlockJobSetSpeed', (j) => j.setSpeed(disk, wideToNumber(bw), flags), false),
    // A query: libvirt answers it without waiting for a modifying job to end.
    domainGetBlockJobInfo: (dom, disk, flags) => jobsOf(driver, driver.domains.get(dom)).info(disk, flags),
  };
};
