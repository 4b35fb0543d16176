/** Domain definition and lifecycle (testDomainCreateXML ... testDomainUndefineFlags). */
import {
  domainListMatches,
  DomainDefineFlags,
  DomainDestroyFlags,
  DomainEventDefinedDetailType,
  DomainEventResumedDetailType,
  DomainEventStartedDetailType,
  DomainEventStoppedDetailType,
  DomainEventSuspendedDetailType,
  DomainEventType,
  DomainEventUndefinedDetailType,
  DomainPausedReason,
  DomainRebootFlags,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  DomainUndefineFlags,
  ErrorNumber,
  type DomainRef,
} from '@virtkit/core';
import { DomainObj } from './domain-obj';
import { generateIfnames, parseDomainXml, type DomainDef } from './domain-xml';
import type { TestState } from './state';
import { checkFlags, err, FROM_DOMAIN, internal, notRunning, opFailed, opInvalid } from './errors';
import { LIST_DOMAINS_FILTERS_ALL } from './constants';

/** testDomainStartState. */
export function startState(state: TestState, dom: DomainObj, reason: number): void {
  dom.setState(DomainState.VIR_DOMAIN_RUNNING, reason);
  dom.id = state.nextDomId++;
  dom.setDefTransient();
  dom.hasManagedSave = false;
}

/** testDomainShutdownState. */
export function shutdownState(dom: DomainObj, reason: number): void {
  dom.removeTransientDef();
  dom.setState(DomainState.VIR_DOMAIN_SHUTOFF, reason);
  dom.id = -1;
}

export interface AddOptions {
  /** VIR_DOMAIN_OBJ_LIST_ADD_LIVE. */
  live?: boolean;
  /** VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE. */
  checkLive?: boolean;
}

/** virDomainObjListAdd: a new object, or the existing one with the definition installed. */
export function addDomain(state: TestState, def: DomainDef, opts: AddOptions = {}): { dom: DomainObj; oldDef?: DomainDef; added: boolean } {
  const byUuid = state.domains.get(def.uuid);
  if (byUuid) {
    if (byUuid.name !== def.name) {
      throw opFailed(`domain '${byUuid.name}' is already defined with uuid ${byUuid.uuid}`, FROM_DOMAIN);
    }
    if (opts.checkLive) {
      if (byUuid.active) throw opInvalid(`domain '${def.name}' is already active`, FROM_DOMAIN);
      if (!byUuid.persistent) throw opInvalid(`domain '${def.name}' is already being started`, FROM_DOMAIN);
    }
    const oldDef = byUuid.assignDef(def, !!opts.live);
    return { dom: byUuid, oldDef, added: false };
  }
  const byName = state.findByName(def.name);
  if (byName) throw opFailed(`domain '${def.name}' already exists with uuid ${byName.uuid}`, FROM_DOMAIN);
  const dom = new DomainObj(def);
  state.domains.set(def.uuid, dom);
  return { dom, added: true };
}

function dropIfTransient(state: TestState, dom: DomainObj): void {
  if (!dom.persistent) state.removeDomain(dom);
}

export function createXML(state: TestState, xml: string, flags: number): DomainRef {
  checkFlags(flags, 16 /* VIR_DOMAIN_START_VALIDATE */, 'testDomainCreateXML');
  const def = parseDomainXml(xml);
  generateIfnames(def);
  const { dom } = addDomain(state, def, { live: true, checkLive: true });
  startState(state, dom, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED);
  return dom.ref();
}

export function defineXML(state: TestState, xml: string, flags: number): DomainRef {
  checkFlags(flags, DomainDefineFlags.VIR_DOMAIN_DEFINE_VALIDATE, 'testDomainDefineXMLFlags');
  const def = parseDomainXml(xml);
  if (def.name.includes('\n')) throw err(ErrorNumber.VIR_ERR_XML_DETAIL, `name ${def.name} contains illegal character`, FROM_DOMAIN);
  generateIfnames(def);
  const { dom, oldDef } = addDomain(state, def);
  dom.persistent = true;
  state.emitLifecycle(
    dom,
    DomainEventType.VIR_DOMAIN_EVENT_DEFINED,
    oldDef ? DomainEventDefinedDetailType.VIR_DOMAIN_EVENT_DEFINED_UPDATED : DomainEventDefinedDetailType.VIR_DOMAIN_EVENT_DEFINED_ADDED,
  );
  return dom.ref();
}

export function createWithFlags(state: TestState, ref: DomainRef, flags: number): DomainRef {
  checkFlags(flags, 0, 'testDomainCreateWithFlags');
  const dom = state.domObj(ref);
  if (dom.state !== DomainState.VIR_DOMAIN_SHUTOFF) throw internal(`Domain '${ref.name}' is already running`);
  startState(state, dom, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED);
  return dom.ref();
}

export function destroyFlags(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, DomainDestroyFlags.VIR_DOMAIN_DESTROY_GRACEFUL, 'testDomainDestroyFlags');
  const dom = state.domObj(ref);
  if (!dom.active) throw notRunning();
  shutdownState(dom, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
  dropIfTransient(state, dom);
}

export function suspend(state: TestState, ref: DomainRef): void {
  const dom = state.domObj(ref);
  if (dom.state === DomainState.VIR_DOMAIN_SHUTOFF || dom.state === DomainState.VIR_DOMAIN_PAUSED)
    throw internal(`domain '${ref.name}' not running`);
  dom.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

export function resume(state: TestState, ref: DomainRef): void {
  const dom = state.domObj(ref);
  if (dom.state !== DomainState.VIR_DOMAIN_PAUSED) throw internal(`domain '${ref.name}' not paused`);
  dom.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

/** testDomainActionSetState. */
function applyAction(dom: DomainObj, action: string): void {
  if (action === 'restart' || action === 'rename-restart')
    dom.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
  else dom.setState(DomainState.VIR_DOMAIN_SHUTOFF, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN);
}

function afterAction(state: TestState, dom: DomainObj): void {
  if (dom.state !== DomainState.VIR_DOMAIN_SHUTOFF) return;
  shutdownState(dom, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
  dropIfTransient(state, dom);
}

export function shutdownFlags(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainShutdownFlags');
  const dom = state.domObj(ref);
  if (dom.state === DomainState.VIR_DOMAIN_SHUTOFF) throw internal(`domain '${ref.name}' not running`);
  applyAction(dom, dom.def.onPoweroff ?? 'destroy');
  afterAction(state, dom);
}

export function reboot(state: TestState, ref: DomainRef, flags: number): void {
  const all =
    DomainRebootFlags.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN |
    DomainRebootFlags.VIR_DOMAIN_REBOOT_GUEST_AGENT |
    DomainRebootFlags.VIR_DOMAIN_REBOOT_INITCTL |
    DomainRebootFlags.VIR_DOMAIN_REBOOT_SIGNAL |
    DomainRebootFlags.VIR_DOMAIN_REBOOT_PARAVIRT;
  checkFlags(flags, all, 'testDomainReboot');
  const dom = state.domObj(ref);
  if (!dom.active) throw notRunning();
  applyAction(dom, dom.def.onReboot ?? 'restart');
  afterAction(state, dom);
}

export function reset(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainReset');
  if (!state.domObj(ref).active) throw notRunning();
}

export function undefineFlags(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(
    flags,
    DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
    'testDomainUndefineFlags',
  );
  const dom = state.domObj(ref);
  if (dom.hasManagedSave && !(flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
    throw opInvalid('Refusing to undefine while domain managed save image exists');
  }
  const nsnap = dom.snapshots.size;
  if (!dom.active && nsnap && !(flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
    throw opInvalid(`cannot delete inactive domain with ${nsnap} snapshots`);
  }
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_UNDEFINED, DomainEventUndefinedDetailType.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
  dom.hasManagedSave = false;
  if (dom.active) dom.persistent = false;
  else state.removeDomain(dom);
}

/** virDomainObjListFilter + export: every domain matching the filter groups. */
export function listAll(state: TestState, flags: number): DomainRef[] {
  checkFlags(flags, LIST_DOMAINS_FILTERS_ALL, 'testConnectListAllDomains');
  return filterDomains([...state.domains.values()], flags).map((d) => d.ref());
}

/**
 * virDomainObjListFilter: the domains the VIR_CONNECT_LIST_DOMAINS_* filter bits select (the
 * bulk stats flags share the first eight bits).
 */
export function filterDomains(domains: DomainObj[], flags: number): DomainObj[] {
  return domains.filter((d) =>
    domainListMatches(flags, {
      active: d.active,
      persistent: d.persistent,
      state: d.state,
      managedSave: d.hasManagedSave,
      autostart: d.autostart,
      hasSnapshot: d.snapshots.size > 0,
      hasCheckpoint: d.checkpoints.size > 0,
    }),
  );
}

export function lookupByName(state: TestState, name: string): DomainRef {
  const d = state.findByName(name);
  if (!d) throw err(ErrorNumber.VIR_ERR_NO_DOMAIN, null);
  return d.ref();
}

export function lookupByUUID(state: TestState, uuid: string): DomainRef {
  const d = state.domains.get(uuid.toLowerCase());
  if (!d) throw err(ErrorNumber.VIR_ERR_NO_DOMAIN, null);
  return d.ref();
}

export function lookupByID(state: TestState, id: number): DomainRef {
  const d = state.findById(id);
  if (!d) throw err(ErrorNumber.VIR_ERR_NO_DOMAIN, null);
  return d.ref();
}
