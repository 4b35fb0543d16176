/**
 * The cgroup tuning calls of the LXC driver (lxcDomainGet/SetBlkioParameters,
 * Get/SetMemoryParameters, GetSchedulerType, Get/SetSchedulerParametersFlags): libvirt's shared
 * semantics from @virtkit/cgroups over the container's group, reading live values from it.
 */
import {
  blkioParameters,
  memoryParameters,
  schedulerParameters,
  schedulerType,
  setBlkioParameters,
  setMemoryParameters,
  setMemoryLimit,
  setSchedulerParameters,
} from '@virtkit/cgroups';
import {
  DomainMemoryModFlags,
  DomainModificationImpact as M,
  ErrorDomain,
  ErrorNumber,
  modificationImpact,
  VirError,
  type TypedParams,
} from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { groupOf } from '../container/cgroups';
import type { LxcDriver } from '../lxc-driver';
import type { LxcDomainObj } from './obj';

const FROM_LXC = ErrorDomain.VIR_FROM_LXC;
const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;

/** For a getter: the persistent definition when the flags (or an inactive domain) ask for it, else null. */
function configForGet(obj: LxcDomainObj, flags: number): DomainDef | null {
  return modificationImpact({ active: obj.active, persistent: obj.persistent !== null }, flags & IMPACT).config ? obj.persistent! : null;
}

/** The running container's definition and group. */
const live = (d: LxcDriver, obj: LxcDomainObj) => ({ def: obj.live!, cg: groupOf(d.plan(obj).cgroup) });

export function getBlkio(d: LxcDriver, obj: LxcDomainObj, flags: number): TypedParams {
  const config = configForGet(obj, flags);
  return blkioParameters(config ? null : live(d, obj), config, FROM_LXC);
}

export function setBlkio(d: LxcDriver, obj: LxcDomainObj, params: TypedParams, flags: number): Promise<void> {
  return d.modifyDefs(obj, flags, (l, config) => setBlkioParameters(params, l, config, FROM_LXC));
}

export function getMemory(d: LxcDriver, obj: LxcDomainObj, flags: number): TypedParams {
  const config = configForGet(obj, flags);
  return memoryParameters(config ? null : live(d, obj).cg, config, FROM_LXC);
}

export function setMemory(d: LxcDriver, obj: LxcDomainObj, params: TypedParams, flags: number): Promise<void> {
  return d.modifyDefs(obj, flags, (l, config) => setMemoryParameters(params, l, config, FROM_LXC));
}

/**
 * lxcDomainSetMemoryFlags: VIR_DOMAIN_MEM_MAXIMUM changes the persistent maximum only (the current
 * size follows it down); otherwise the current size, at most the maximum, becomes the running
 * container's hard memory limit.
 */
export function setMemorySize(d: LxcDriver, obj: LxcDomainObj, kib: bigint, flags: number): Promise<void> {
  const maximum = (flags & DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM) !== 0;
  return d.modifyDefs(obj, flags & IMPACT, (l, config) => {
    if (maximum) {
      if (l) throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, FROM_LXC, 'Cannot resize the max memory on an active domain');
      config!.memory = kib;
      if (config!.currentMemory > kib) config!.currentMemory = kib;
      return;
    }
    let max = l ? l.def.memory : 0n;
    if (config && (!max || max > config.memory)) max = config.memory;
    if (kib > max) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_LXC, 'Cannot set memory higher than max memory');
    if (l) {
      try {
        setMemoryLimit(l.cg, 'hard_limit', kib);
      } catch {
        throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, FROM_LXC, 'Failed to set memory for domain');
      }
      l.def.currentMemory = kib;
    }
    if (config) config.currentMemory = kib;
  });
}

export function getSchedType(d: LxcDriver, obj: LxcDomainObj): { type: string; nparams: number } {
  return schedulerType('lxc', obj.active ? live(d, obj).cg : null, FROM_LXC);
}

/** The container's one group stands for all of its threads. */
const schedLive = (d: LxcDriver, obj: LxcDomainObj) => {
  const { def, cg } = live(d, obj);
  return { def, groups: { domain: cg, vcpus: [], emulator: null, iothreads: [] } };
};

export function getSched(d: LxcDriver, obj: LxcDomainObj, flags: number): TypedParams {
  const config = configForGet(obj, flags);
  return schedulerParameters('lxc', config ? null : schedLive(d, obj), config, FROM_LXC);
}

export function setSched(d: LxcDriver, obj: LxcDomainObj, params: TypedParams, flags: number): Promise<void> {
  return d.modifyDefs(obj, flags, (l, config) =>
    setSchedulerParameters(
      'lxc',
      params,
      l && { def: l.def, groups: { domain: l.cg, vcpus: [], emulator: null, iothreads: [] } },
      config,
      FROM_LXC,
    ),
  );
}
