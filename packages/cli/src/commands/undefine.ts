import {
  DomainSnapshotListFlags,
  DomainUndefineFlags as U,
  ErrorNumber,
  StorageVolDeleteFlags,
  type Domain,
  type StorageVol,
} from '@virtkit/core';
import { parseXml } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import { CommandFailed } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { isVirError } from '../errors';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, requires, str } from '../opt';
import { DOMAIN_OPT } from './shared-options';

/** One volume to remove: the disk's target and source as virsh prints them. */
interface DoomedVolume {
  target: string;
  source: string;
  vol: StorageVol;
}

const SOURCE_ATTRS = ['file', 'dir', 'name', 'dev', 'volume'];

/** Undefined on a missing volume or pool: VirError codes that mean "not there". */
async function quietly<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (!isVirError(e)) throw e;
    return null;
  }
}

/** The volumes `--storage`/`--remove-all-storage` select, or virsh's errors for disks it cannot take. */
async function volumesToRemove(ctl: Ctl, dom: Domain, wanted: string[] | null): Promise<DoomedVolume[]> {
  const xml = parseXml(await dom.getXMLDesc(0));
  const found: DoomedVolume[] = [];
  const matched = new Set<string>();
  for (const disk of xml.element('devices')?.elements('disk') ?? []) {
    const src = disk.element('source');
    let source = '';
    if (src) for (const [k, v] of src.attrs) if (!source && SOURCE_ATTRS.includes(k)) source = v;
    const target = disk.element('target')?.attr('dev') ?? '';
    if (!source) continue;
    if (wanted) {
      const hits = wanted.filter((w) => w === target || w === source);
      if (!hits.length) continue;
      for (const h of hits) matched.add(h);
    }
    let vol: StorageVol | null;
    if (disk.attr('type') === 'volume') {
      const poolName = src?.attr('pool') ?? '';
      const pool = await quietly(() => ctl.c.storagePoolLookupByName(poolName));
      if (!pool) {
        ctl.error(`Storage pool '${poolName}' for volume '${target}' not found.`);
        continue;
      }
      vol = await quietly(() => pool.storageVolLookupByName(source));
    } else vol = await quietly(() => ctl.c.storageVolLookupByPath(source));
    if (!vol) {
      ctl.error(`Storage volume '${target}'(${source}) is not managed by libvirt. Remove it manually.\n`);
      continue;
    }
    found.push({ target, source, vol });
  }
  for (const w of wanted ?? []) if (!matched.has(w)) ctl.fail(`Volume '${w}' was not found in domain's definition.\n`);
  return found;
}

/** The flags virsh passes: metadata and managed-save bits only when the domain has such things. */
async function undefineFlags(dom: Domain, opts: Opts): Promise<number> {
  let flags = 0;
  if (flag(opts, 'managed-save') && (await quietly(() => dom.hasManagedSaveImage(0)))) flags |= U.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
  if (flag(opts, 'snapshots-metadata')) {
    const snaps = await quietly(() => dom.listAllSnapshots(DomainSnapshotListFlags.VIR_DOMAIN_SNAPSHOT_LIST_METADATA));
    if (snaps?.length) flags |= U.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
  }
  if (flag(opts, 'checkpoints-metadata')) flags |= U.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
  if (flag(opts, 'nvram')) flags |= U.VIR_DOMAIN_UNDEFINE_NVRAM;
  if (flag(opts, 'keep-nvram')) flags |= U.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
  if (flag(opts, 'tpm')) flags |= U.VIR_DOMAIN_UNDEFINE_TPM;
  if (flag(opts, 'keep-tpm')) flags |= U.VIR_DOMAIN_UNDEFINE_KEEP_TPM;
  return flags;
}

/**
 * virDomainUndefineFlags, and where the driver refuses the flags (not supported, invalid
 * argument) and NVRAM removal was not asked for, plain virDomainUndefine as virsh falls back to.
 */
async function undefineDomain(dom: Domain, flags: number, nvram: boolean): Promise<void> {
  if (flags) {
    try {
      await dom.undefineFlags(flags);
      return;
    } catch (e) {
      const refused = isVirError(e) && (e.code === ErrorNumber.VIR_ERR_NO_SUPPORT || e.code === ErrorNumber.VIR_ERR_INVALID_ARG);
      if (!refused || nvram) throw e;
    }
  }
  await dom.undefine();
}

/** Wipe (when asked) and delete each volume, with virsh's progress and error lines. */
async function removeVolumes(ctl: Ctl, vols: DoomedVolume[], wipe: boolean, withSnapshots: boolean): Promise<boolean> {
  let ok = true;
  for (const v of vols) {
    if (wipe) {
      ctl.printExtra(`Wiping volume '${v.target}'(${v.source}) ... `);
      if (!(await quietly(() => v.vol.wipe(0).then(() => true)))) {
        ctl.error('Failed! Volume not removed.');
        ok = false;
        continue;
      }
      ctl.printExtra('Done.\n');
    }
    const flags = withSnapshots ? StorageVolDeleteFlags.VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;
    if (await quietly(() => v.vol.delete(flags).then(() => true))) ctl.printExtra(`Volume '${v.target}'(${v.source}) removed.\n`);
    else {
      ctl.error(`Failed to remove storage volume '${v.target}'(${v.source})`);
      ok = false;
    }
  }
  return ok;
}

export const undefineCommand: CmdDef = {
  name: 'undefine',
  group: 'domain',
  help: 'undefine a domain',
  opts: [
    DOMAIN_OPT,
    { name: 'managed-save', type: 'bool', help: 'remove domain managed state file' },
    {
      name: 'storage',
      type: 'string',
      help: 'remove associated storage volumes (comma separated list of targets or source paths) (see domblklist)',
    },
    { name: 'remove-all-storage', type: 'bool', help: 'remove all associated storage volumes (use with caution)' },
    {
      name: 'delete-storage-volume-snapshots',
      type: 'bool',
      help: 'delete snapshots associated with volume(s), requires --remove-all-storage (must be supported by storage driver)',
    },
    { name: 'delete-snapshots', type: 'bool', aliasOf: 'delete-storage-volume-snapshots' },
    { name: 'wipe-storage', type: 'bool', help: 'wipe data on the removed volumes' },
    { name: 'snapshots-metadata', type: 'bool', help: 'remove all domain snapshot metadata (vm must be inactive)' },
    { name: 'checkpoints-metadata', type: 'bool', help: 'remove all domain checkpoint metadata (vm must be inactive)' },
    { name: 'nvram', type: 'bool', help: 'remove nvram file' },
    { name: 'keep-nvram', type: 'bool', help: 'keep nvram file' },
    { name: 'tpm', type: 'bool', help: 'remove TPM state' },
    { name: 'keep-tpm', type: 'bool', help: 'keep TPM state' },
  ],
  async handler(ctl, opts) {
    requires(ctl, opts, 'delete-storage-volume-snapshots', 'remove-all-storage');
    exclusive(ctl, opts, 'nvram', 'keep-nvram');
    exclusive(ctl, opts, 'tpm', 'keep-tpm');
    const storage = str(ctl, opts, 'storage');
    const removeAll = flag(opts, 'remove-all-storage');
    const wipe = flag(opts, 'wipe-storage');
    if (wipe && storage === null && !removeAll) ctl.fail("'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
    // virsh names the domain in its messages as the argument gave it (`undefine 1`: Domain '1').
    const n = req(ctl, opts, 'domain');
    const dom = await lookupDomain(ctl, n);
    let vols: DoomedVolume[] = [];
    if (storage !== null || removeAll) {
      if (await dom.isActive()) ctl.fail('Storage volume deletion is supported only on stopped domains');
      if (storage !== null && removeAll) ctl.fail('Specified both --storage and --remove-all-storage');
      vols = await volumesToRemove(ctl, dom, storage === null ? null : storage.split(',').filter(Boolean));
    }
    const flags = await undefineFlags(dom, opts);
    await ctl.attempt(`Failed to undefine domain '${n}'`, () => undefineDomain(dom, flags, flag(opts, 'nvram')));
    ctl.printExtra(`Domain '${n}' has been undefined\n`);
    if (!(await removeVolumes(ctl, vols, wipe, flag(opts, 'delete-storage-volume-snapshots')))) throw new CommandFailed();
    return true;
  },
};
