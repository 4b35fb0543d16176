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
  setSchedulerParameters,
} from '@virtkit/cgroups';
import { DomainModificationImpact as M, ErrorDomain, modificationImpact, type TypedParams } from '@virtkit/core';
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
