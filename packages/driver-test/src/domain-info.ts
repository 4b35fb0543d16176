/** Domain queries and tunables (testDomainGetInfo, testDomainGetXMLDesc, testDomainSetMemoryFlags, ...). */
import {
  DomainEventStoppedDetailType,
  DomainEventType,
  DomainMemoryModFlags,
  DomainMessageType,
  DomainModificationImpact,
  DomainShutoffReason,
  DomainXMLFlags,
  modificationImpact,
  oneDefIsLive,
  type BlockInfo,
  type DomainInfo,
  type DomainRef,
} from '@virtkit/core';
import type { DomainObj } from './domain-obj';
import { currentMemory, formatDomainXml, maxMemory, vcpus, type DomainDef } from './domain-xml';
import type { TestState } from './state';
import { domainDiskByName, taintMessages } from '@virtkit/xml';
import { checkFlags, invalidArg, notRunning, opInvalid } from './errors';
import { DOMAIN_XML_COMMON_FLAGS } from './constants';
import { shutdownState } from './domains';

export interface DomainStateReason {
  state: number;
  reason: number;
}

export function getInfo(state: TestState, ref: DomainRef): DomainInfo {
  const d = state.domObj(ref);
  return {
    state: d.state,
    maxMem: maxMemory(d.def),
    memory: currentMemory(d.def),
    nrVirtCpu: vcpus(d.def),
    // testDomainGetInfo: the wall clock in ns, near 2^61, so a bigint (see Wide).
    cpuTime: BigInt(Date.now()) * 1_000_000n,
  };
}

export function getState(state: TestState, ref: DomainRef, flags: number): DomainStateReason {
  checkFlags(flags, 0, 'testDomainGetState');
  const d = state.domObj(ref);
  return { state: d.state, reason: d.reason };
}

export function getXMLDesc(state: TestState, ref: DomainRef, flags: number): string {
  checkFlags(flags, DOMAIN_XML_COMMON_FLAGS, 'testDomainGetXMLDesc');
  const d = state.domObj(ref);
  const inactive = !!(flags & DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE);
  const def = inactive && d.newDef ? d.newDef : d.def;
  return formatDomainXml(def, { id: d.id, inactive, secure: !!(flags & DomainXMLFlags.VIR_DOMAIN_XML_SECURE) });
}

/**
 * virDomainObjGetOneDefState: the definition a LIVE / CONFIG / CURRENT request addresses, and
 * whether it is the live one.
 */
export function oneDefState(d: DomainObj, flags: number): { def: DomainDef; live: boolean } {
  return oneDefIsLive(d, flags) ? { def: d.def, live: true } : { def: d.persistentDef(), live: false };
}

/** virDomainObjGetDefs: the live and/or persistent definitions the flags name. */
export function defsOf(d: DomainObj, flags: number): DomainDef[] {
  const { live, config } = modificationImpact(d, flags);
  return [...(live ? [d.def] : []), ...(config ? [d.persistentDef()] : [])];
}

export function setMemoryFlags(state: TestState, ref: DomainRef, memory: number, flags: number): void {
  checkFlags(
    flags,
    DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE |
      DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG |
      DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM,
    'testDomainSetMemoryFlags',
  );
  const d = state.domObj(ref);
  const { def, live } = oneDefState(d, flags);
  if (flags & DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM) {
    if (live) throw opInvalid('cannot resize the maximum memory on an active domain');
    def.memory = BigInt(memory);
    if (def.currentMemory > def.memory) def.currentMemory = def.memory;
  } else {
    if (memory > maxMemory(def)) throw invalidArg('cannot set memory higher than max memory');
    def.currentMemory = BigInt(memory);
  }
}

export function getAutostart(state: TestState, ref: DomainRef): boolean {
  return state.domObj(ref).autostart;
}

export function setAutostart(state: TestState, ref: DomainRef, autostart: boolean): void {
  state.domObj(ref).autostart = !!autostart;
}

/** testDomainManagedSave. */
export function managedSave(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 1 | 2 | 4, 'testDomainManagedSave');
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  if (!d.persistent) throw opInvalid('cannot do managed save for transient domain');
  shutdownState(d, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED);
  state.emitLifecycle(d, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SAVED);
  d.hasManagedSave = true;
}

export function hasManagedSaveImage(state: TestState, ref: DomainRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainHasManagedSaveImage');
  return state.domObj(ref).hasManagedSave;
}

export function managedSaveRemove(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainManagedSaveRemove');
  state.domObj(ref).hasManagedSave = false;
}

/** testDomainGetMessages: the taint and deprecation messages recorded when the node file was loaded. */
export function getMessages(state: TestState, ref: DomainRef, flags: number): string[] {
  checkFlags(
    flags,
    DomainMessageType.VIR_DOMAIN_MESSAGE_DEPRECATION | DomainMessageType.VIR_DOMAIN_MESSAGE_TAINTING,
    'testDomainGetMessages',
  );
  const { taint } = state.domObj(ref);
  const all = flags === 0;
  return taintMessages(
    taint,
    all || (flags & DomainMessageType.VIR_DOMAIN_MESSAGE_TAINTING) !== 0,
    all || (flags & DomainMessageType.VIR_DOMAIN_MESSAGE_DEPRECATION) !== 0,
  );
}

/**
 * testDomainGetBlockInfo: fixed sizes for any disk of the domain, named by target or source
 * path (libvirt's test driver has no images to measure).
 */
export function getBlockInfo(state: TestState, ref: DomainRef, disk: string, flags: number): BlockInfo {
  checkFlags(flags, 0, 'testDomainGetBlockInfo');
  const def = state.domObj(ref).def;
  const found = domainDiskByName(def, disk) !== undefined;
  if (!found) throw invalidArg(`invalid path ${disk} not assigned to domain`);
  return { capacity: 1099506450432, allocation: 1099511627776, physical: 1099511627776 };
}
