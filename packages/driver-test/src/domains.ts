/** Domain definition and lifecycle (testDomainCreateXML ... testDomainUndefineFlags). */
import { ErrorNumber, type DomainRef } from '@virtkit/core';
import { DomainObj } from './domain-obj';
import { generateIfnames, parseDomainXml, type DomainDef } from './domain-xml';
import type { TestState } from './state';
import { checkFlags, err, FROM_DOMAIN, internal, notRunning, opFailed, opInvalid } from './errors';
import {
  DefineFlags, DefinedDetail, DestroyFlags, DomainState, LifecycleEvent, ListDomains, LIST_DOMAINS_FILTERS_ALL,
  PausedReason, RebootFlags, ResumedDetail, RunningReason, ShutoffReason, StartedDetail, StoppedDetail,
  SuspendedDetail, UndefineFlags, UndefinedDetail,
} from './constants';

/** testDomainStartState. */
export function startState(state: TestState, dom: DomainObj, reason: number): void {
  dom.setState(DomainState.RUNNING, reason);
  dom.id = state.nextDomId++;
  dom.setDefTransient();
  dom.hasManagedSave = false;
}

/** testDomainShutdownState. */
export function shutdownState(dom: DomainObj, reason: number): void {
  dom.removeTransientDef();
  dom.setState(DomainState.SHUTOFF, reason);
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
  startState(state, dom, RunningReason.BOOTED);
  state.emitLifecycle(dom, LifecycleEvent.STARTED, StartedDetail.BOOTED);
  return dom.ref();
}

export function defineXML(state: TestState, xml: string, flags: number): DomainRef {
  checkFlags(flags, DefineFlags.VALIDATE, 'testDomainDefineXMLFlags');
  const def = parseDomainXml(xml);
  if (def.name.includes('\n')) throw err(ErrorNumber.VIR_ERR_XML_DETAIL, `name ${def.name} contains illegal character`, FROM_DOMAIN);
  generateIfnames(def);
  const { dom, oldDef } = addDomain(state, def);
  dom.persistent = true;
  state.emitLifecycle(dom, LifecycleEvent.DEFINED, oldDef ? DefinedDetail.UPDATED : DefinedDetail.ADDED);
  return dom.ref();
}

export function createWithFlags(state: TestState, ref: DomainRef, flags: number): DomainRef {
  checkFlags(flags, 0, 'testDomainCreateWithFlags');
  const dom = state.domObj(ref);
  if (dom.state !== DomainState.SHUTOFF) throw internal(`Domain '${ref.name}' is already running`);
  startState(state, dom, RunningReason.BOOTED);
  state.emitLifecycle(dom, LifecycleEvent.STARTED, StartedDetail.BOOTED);
  return dom.ref();
}

export function destroyFlags(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, DestroyFlags.GRACEFUL, 'testDomainDestroyFlags');
  const dom = state.domObj(ref);
  if (!dom.active) throw notRunning();
  shutdownState(dom, ShutoffReason.DESTROYED);
  state.emitLifecycle(dom, LifecycleEvent.STOPPED, StoppedDetail.DESTROYED);
  dropIfTransient(state, dom);
}

export function suspend(state: TestState, ref: DomainRef): void {
  const dom = state.domObj(ref);
  if (dom.state === DomainState.SHUTOFF || dom.state === DomainState.PAUSED) throw internal(`domain '${ref.name}' not running`);
  dom.setState(DomainState.PAUSED, PausedReason.USER);
  state.emitLifecycle(dom, LifecycleEvent.SUSPENDED, SuspendedDetail.PAUSED);
}

export function resume(state: TestState, ref: DomainRef): void {
  const dom = state.domObj(ref);
  if (dom.state !== DomainState.PAUSED) throw internal(`domain '${ref.name}' not paused`);
  dom.setState(DomainState.RUNNING, RunningReason.UNPAUSED);
  state.emitLifecycle(dom, LifecycleEvent.RESUMED, ResumedDetail.UNPAUSED);
}

/** testDomainActionSetState. */
function applyAction(dom: DomainObj, action: string): void {
  if (action === 'restart' || action === 'rename-restart') dom.setState(DomainState.RUNNING, RunningReason.BOOTED);
  else dom.setState(DomainState.SHUTOFF, ShutoffReason.SHUTDOWN);
}

function afterAction(state: TestState, dom: DomainObj): void {
  if (dom.state !== DomainState.SHUTOFF) return;
  shutdownState(dom, ShutoffReason.SHUTDOWN);
  state.emitLifecycle(dom, LifecycleEvent.STOPPED, StoppedDetail.SHUTDOWN);
  dropIfTransient(state, dom);
}

export function shutdownFlags(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainShutdownFlags');
  const dom = state.domObj(ref);
  if (dom.state === DomainState.SHUTOFF) throw internal(`domain '${ref.name}' not running`);
  applyAction(dom, dom.def.onPoweroff ?? 'destroy');
  afterAction(state, dom);
}

export function reboot(state: TestState, ref: DomainRef, flags: number): void {
  const all = RebootFlags.ACPI_POWER_BTN | RebootFlags.GUEST_AGENT | RebootFlags.INITCTL | RebootFlags.SIGNAL | RebootFlags.PARAVIRT;
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
  checkFlags(flags, UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA, 'testDomainUndefineFlags');
  const dom = state.domObj(ref);
  if (dom.hasManagedSave && !(flags & UndefineFlags.MANAGED_SAVE)) {
    throw opInvalid('Refusing to undefine while domain managed save image exists');
  }
  const nsnap = dom.snapshots.size;
  if (!dom.active && nsnap && !(flags & UndefineFlags.SNAPSHOTS_METADATA)) {
    throw opInvalid(`cannot delete inactive domain with ${nsnap} snapshots`);
  }
  state.emitLifecycle(dom, LifecycleEvent.UNDEFINED, UndefinedDetail.REMOVED);
  dom.hasManagedSave = false;
  if (dom.active) dom.persistent = false;
  else state.removeDomain(dom);
}

/** virDomainObjListFilter + export: every domain matching the filter groups. */
export function listAll(state: TestState, flags: number): DomainRef[] {
  checkFlags(flags, LIST_DOMAINS_FILTERS_ALL, 'testConnectListAllDomains');
  const group = (a: number, b: number, hasA: boolean) => {
    const g = flags & (a | b);
    return !g || (g & a && hasA) || (g & b && !hasA);
  };
  const out: DomainRef[] = [];
  for (const d of state.domains.values()) {
    const L = ListDomains;
    if (!group(L.ACTIVE, L.INACTIVE, d.active)) continue;
    if (!group(L.PERSISTENT, L.TRANSIENT, d.persistent)) continue;
    const st = flags & (L.RUNNING | L.PAUSED | L.SHUTOFF | L.OTHER);
    if (st) {
      const s = d.state;
      const ok = (st & L.RUNNING && s === DomainState.RUNNING) || (st & L.PAUSED && s === DomainState.PAUSED) ||
        (st & L.SHUTOFF && s === DomainState.SHUTOFF) ||
        (st & L.OTHER && s !== DomainState.RUNNING && s !== DomainState.PAUSED && s !== DomainState.SHUTOFF);
      if (!ok) continue;
    }
    if (!group(L.MANAGEDSAVE, L.NO_MANAGEDSAVE, d.hasManagedSave)) continue;
    if (!group(L.AUTOSTART, L.NO_AUTOSTART, d.autostart)) continue;
    if (!group(L.HAS_SNAPSHOT, L.NO_SNAPSHOT, d.snapshots.size > 0)) continue;
    if (!group(L.HAS_CHECKPOINT, L.NO_CHECKPOINT, d.checkpoints.size > 0)) continue;
    out.push(d.ref());
  }
  return out;
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
