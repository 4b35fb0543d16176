import {
  DomainEventStartedDetailType,
  DomainEventStoppedDetailType,
  DomainEventSuspendedDetailType,
  DomainEventType,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainSnapshotCreateFlags,
  DomainSnapshotDeleteFlags,
  DomainSnapshotListFlags,
  DomainSnapshotRevertFlags,
  DomainSnapshotXMLFlags,
  DomainState,
  ErrorDomain,
  ErrorNumber,
  type DomainRef,
  type DomainSnapshotRef,
} from '@virtkit/core';
import {
  formatSnapshotXml,
  newDiskSource,
  parseSnapshotElement,
  parseSnapshotXml,
  parseXml,
  PreservedDomain,
  XmlElement,
  type DomainSnapshotDef,
  type EmbeddedDomain,
  type SnapshotLocation,
} from '@virtkit/xml';
import type { DomainObj } from './domain-obj';
import { domainDisks, formatDomainXml, parseDomainXml, type DomainDef } from './domain-xml';
import type { MomentNode, ParentProblem } from './snapshot-tree';
import { snapshotQuery, type SnapshotFacts } from './moment-list';
import type { TestState } from './state';
import { checkFlags, err, FROM_DOMAIN, opFailed, opInvalid, unsupported } from './errors';
import { shutdownState, startState } from './domains';
import { SNAPSHOT_FILTERS_ALL, STATE_NAMES } from './constants';

const FROM_SNAP = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;
type Snap = MomentNode<DomainSnapshotDef>;

function noSnapshot(detail: string): Error {
  return err(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, detail);
}

/** virDomainMomentCheckCycles' reports (shared by snapshots and checkpoints). */
export function checkMomentParent(problem: ParentProblem | null, name: string, parentName: string | undefined): void {
  if (!problem) return;
  const detail =
    problem.kind === 'self'
      ? `cannot set moment ${name} as its own parent`
      : problem.kind === 'missing'
        ? `parent ${parentName} for moment ${name} not found`
        : `parent ${problem.via} would create cycle to ${name}`;
  throw err(ErrorNumber.VIR_ERR_INVALID_ARG, detail, FROM_DOMAIN);
}

/** testSnapObjFromName. */
export function snapNode(dom: DomainObj, name: string): Snap {
  const s = dom.snapshots.get(name);
  if (!s) throw noSnapshot(`no domain snapshot with matching name '${name}'`);
  return s;
}

function snapRef(dom: DomainObj, name: string): DomainSnapshotRef {
  return { name, domain: dom.ref() };
}

export function isExternal(def: DomainSnapshotDef): boolean {
  return def.memory === 'external' || def.disks.some((d) => d.snapshot === 'external');
}

export function snapshotFacts(def: DomainSnapshotDef): SnapshotFacts {
  return { state: def.state, external: isExternal(def) };
}

/**
 * An embedded copy of a domain definition, as a snapshot or checkpoint keeps it: the formatted
 * element (inactive, with secrets) plus the definition, for formatting without secrets.
 */
export class EmbeddedTestDomain extends PreservedDomain {
  constructor(readonly def: DomainDef) {
    super(parseXml(formatDomainXml(def, { id: -1, inactive: true, secure: true })));
  }

  /** The element as formatted without `--security-info`. */
  insecure(): PreservedDomain {
    return new PreservedDomain(parseXml(formatDomainXml(this.def, { id: -1, inactive: true, secure: false })));
  }
}

export function embedDomain(def: DomainDef): EmbeddedTestDomain {
  return new EmbeddedTestDomain(def);
}

/** The definition an embedded domain holds, parsed with the test driver's hooks when read from XML. */
export function embeddedDef(dom: EmbeddedDomain): DomainDef {
  if (dom instanceof EmbeddedTestDomain) return dom.def;
  return parseDomainXml((dom as PreservedDomain).toXml());
}

/** An embedded domain as `*-dumpxml` writes it, with or without secrets. */
export function embeddedForFormat(dom: EmbeddedDomain | undefined, secure: boolean): EmbeddedDomain | undefined {
  return !secure && dom instanceof EmbeddedTestDomain ? dom.insecure() : dom;
}

/** virDomainSnapshotAlignDisks for the test driver: one entry per domain disk, in domain order. */
function alignDisks(def: DomainSnapshotDef, dom: DomainDef, location: SnapshotLocation, snapName: string): void {
  const disks = domainDisks(dom);
  for (const d of def.disks) {
    if (!disks.some((x) => x.dst === d.name)) {
      throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `no disk named '${d.name}'`, FROM_SNAP);
    }
  }
  def.disks = disks.map((disk) => {
    const given = def.disks.find((d) => d.name === disk.dst);
    const out = given ?? { name: disk.dst, snapshot: 'default' as SnapshotLocation, src: newDiskSource('file') };
    if (out.snapshot === 'default') out.snapshot = disk.hasSource ? location : 'no';
    if (out.snapshot === 'external' && !out.src.path) out.src.path = `${disk.dst}.${snapName}`;
    return out;
  });
}

export function createXML(state: TestState, ref: DomainRef, xml: string, flags: number): DomainSnapshotRef {
  const C = DomainSnapshotCreateFlags;
  checkFlags(
    flags,
    C.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_HALT |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_LIVE |
      C.VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
    'testDomainSnapshotCreateXML',
  );
  const redefine = !!(flags & C.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
  const updateCurrent = !redefine || !!(flags & C.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
  const dom = state.domObj(ref);
  if (dom.checkpoints.size > 0) throw unsupported('cannot create snapshot while checkpoint exists');
  if (!dom.persistent && flags & C.VIR_DOMAIN_SNAPSHOT_CREATE_HALT) throw opInvalid('cannot halt after transient domain snapshot');
  const { def } = parseSnapshotXml(xml, { redefine, validateName: false });
  const name = def.name!;
  let node: Snap | undefined;
  if (redefine) {
    checkMomentParent(dom.snapshots.checkParent(name, def.parentName), name, def.parentName);
    if (def.dom?.uuid && def.dom.uuid !== dom.uuid) {
      throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `definition for snapshot ${name} must use uuid ${dom.uuid}`, FROM_SNAP);
    }
    const other = dom.snapshots.get(name);
    if (other) {
      const online = (s: string) => s === 'running' || s === 'paused';
      if (online(other.data.state) !== online(def.state)) {
        throw err(
          ErrorNumber.VIR_ERR_INVALID_ARG,
          `cannot change between online and offline snapshot state in snapshot ${name}`,
          FROM_SNAP,
        );
      }
      if ((other.data.state === 'disk-snapshot') !== (def.state === 'disk-snapshot')) {
        throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `cannot change between disk only and full system in snapshot ${name}`, FROM_SNAP);
      }
      if (!def.dom && other.data.dom) def.dom = other.data.dom;
      dom.snapshots.unlink(other);
      other.data = def;
      node = other;
    }
    if (!def.dom) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'missing domain in snapshot', FROM_SNAP);
    // The embedded domain goes through the domain parser (inactive, test driver hooks), as libvirt's snapshot parser does.
    def.dom = embedDomain(embeddedDef(def.dom));
    const external = def.memory === 'external' || def.state === 'disk-snapshot';
    alignDisks(def, embeddedDef(def.dom), external ? 'external' : 'internal', name);
  } else {
    def.dom = embedDomain(dom.def);
    def.state = STATE_NAMES[dom.state];
    let location: SnapshotLocation = 'internal';
    if (def.memory === 'external') location = 'external';
    else def.memory = dom.state === DomainState.VIR_DOMAIN_SHUTOFF ? 'no' : 'internal';
    alignDisks(def, dom.def, location, name);
  }
  if (!node) {
    node = dom.snapshots.add(name, def);
    if (!node) throw opFailed(`domain moment ${name} already exists`, FROM_DOMAIN);
  }
  if (!redefine) {
    def.parentName = dom.snapshots.current?.name;
    if (flags & C.VIR_DOMAIN_SNAPSHOT_CREATE_HALT && dom.active) {
      shutdownState(dom, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
      state.emitLifecycle(
        dom,
        DomainEventType.VIR_DOMAIN_EVENT_STOPPED,
        DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT,
      );
    }
  }
  if (updateCurrent) dom.snapshots.current = node;
  dom.snapshots.link(node, def.parentName);
  return snapRef(dom, name);
}

/** virDomainSnapshotObjListGetNames through a MomentTree, in one pass. */
function listNodes(dom: DomainObj, from: Snap | null, flags: number): Snap[] {
  const q = snapshotQuery(flags);
  const filter = q.filter;
  return dom.snapshots.list(from, q.options, filter ? (d) => filter(snapshotFacts(d)) : undefined);
}

const LIST_MASK =
  DomainSnapshotListFlags.VIR_DOMAIN_SNAPSHOT_LIST_ROOTS |
  DomainSnapshotListFlags.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL |
  SNAPSHOT_FILTERS_ALL;

export function listAll(state: TestState, ref: DomainRef, flags: number, fn = 'testDomainListAllSnapshots'): DomainSnapshotRef[] {
  checkFlags(flags, LIST_MASK, fn);
  const dom = state.domObj(ref);
  return listNodes(dom, null, flags).map((n) => snapRef(dom, n.name));
}

export function listAllChildren(
  state: TestState,
  snap: DomainSnapshotRef,
  flags: number,
  fn = 'testDomainSnapshotListAllChildren',
): DomainSnapshotRef[] {
  checkFlags(flags, LIST_MASK, fn);
  const dom = state.domObj(snap.domain);
  return listNodes(dom, snapNode(dom, snap.name), flags).map((n) => snapRef(dom, n.name));
}

export function lookupByName(state: TestState, ref: DomainRef, name: string, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotLookupByName');
  const dom = state.domObj(ref);
  return snapRef(dom, snapNode(dom, name).name);
}

export function hasCurrent(state: TestState, ref: DomainRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainHasCurrentSnapshot');
  return state.domObj(ref).snapshots.current !== null;
}

export function current(state: TestState, ref: DomainRef, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotCurrent');
  const dom = state.domObj(ref);
  const cur = dom.snapshots.current;
  if (!cur) throw noSnapshot('the domain does not have a current snapshot');
  return snapRef(dom, cur.name);
}

export function getParent(state: TestState, snap: DomainSnapshotRef, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotGetParent');
  const dom = state.domObj(snap.domain);
  const node = snapNode(dom, snap.name);
  if (!node.data.parentName) throw noSnapshot(`snapshot '${node.name}' does not have a parent`);
  return snapRef(dom, node.data.parentName);
}

export function getXMLDesc(state: TestState, snap: DomainSnapshotRef, flags: number): string {
  checkFlags(flags, DomainSnapshotXMLFlags.VIR_DOMAIN_SNAPSHOT_XML_SECURE, 'testDomainSnapshotGetXMLDesc');
  const dom = state.domObj(snap.domain);
  const node = snapNode(dom, snap.name);
  const secure = !!(flags & DomainSnapshotXMLFlags.VIR_DOMAIN_SNAPSHOT_XML_SECURE);
  const data = { ...node.data, dom: embeddedForFormat(node.data.dom, secure) };
  return formatSnapshotXml(data, { domainUuid: snap.domain.uuid, secure });
}

export function isCurrent(state: TestState, snap: DomainSnapshotRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainSnapshotIsCurrent');
  const dom = state.domObj(snap.domain);
  return snapNode(dom, snap.name) === dom.snapshots.current;
}

export function hasMetadata(state: TestState, snap: DomainSnapshotRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainSnapshotHasMetadata');
  snapNode(state.domObj(snap.domain), snap.name);
  return true;
}

export function deleteSnapshot(state: TestState, snap: DomainSnapshotRef, flags: number): void {
  checkFlags(
    flags,
    DomainSnapshotDeleteFlags.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | DomainSnapshotDeleteFlags.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
    'testDomainSnapshotDelete',
  );
  const dom = state.domObj(snap.domain);
  const node = snapNode(dom, snap.name);
  const tree = dom.snapshots;
  const mode =
    flags & DomainSnapshotDeleteFlags.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY
      ? 'children-only'
      : flags & DomainSnapshotDeleteFlags.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN
        ? 'children'
        : 'single';
  const children = mode === 'single' ? [...node.children] : [];
  tree.remove(node, mode);
  for (const c of children) c.data.parentName = tree.parentName(c);
}

/** testDomainRevertToSnapshot, with the transitions and events libvirt 9.0 produces. */
export function revert(state: TestState, snap: DomainSnapshotRef, flags: number): void {
  const R = DomainSnapshotRevertFlags;
  checkFlags(
    flags,
    R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED | R.VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
    'testDomainRevertToSnapshot',
  );
  const dom = state.domObj(snap.domain);
  const node = snapNode(dom, snap.name);
  const sdef = node.data;
  const online = sdef.state === 'running' || sdef.state === 'paused';
  if (!dom.persistent && !online && !(flags & (R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
    throw opInvalid('transient domain needs to request run or pause to revert to inactive snapshot');
  }
  if (!sdef.dom) {
    throw err(ErrorNumber.VIR_ERR_SNAPSHOT_REVERT_RISKY, `snapshot '${node.name}' lacks domain '${dom.name}' rollback info`);
  }
  dom.snapshots.current = null;
  const config = parseDomainXml((sdef.dom as PreservedDomain).toXml());
  const emit = (e: number, d: number) => state.emitLifecycle(dom, e, d);
  if (online) {
    if (dom.active) {
      shutdownState(dom, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
      emit(DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    dom.assignDef(config, false);
    startState(state, dom, DomainRunningReason.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    emit(DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    if (!(flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) && (sdef.state === 'paused' || flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
      dom.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
      emit(DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
  } else {
    dom.assignDef(config, false);
    if (dom.active) {
      shutdownState(dom, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
      emit(DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    if (flags & (R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
      emit(DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
      if (flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)
        emit(DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
  }
  dom.snapshots.current = node;
}

/** The `<test:domainsnapshot>` elements of a node file (testParseDomainSnapshots). */
export function loadSnapshots(dom: DomainObj, elements: XmlElement[]): void {
  for (const el of elements) {
    const copy = new XmlElement('domainsnapshot');
    el.attrs.forEach((v, k) => copy.attrs.set(k, v));
    copy.children.push(...el.children);
    const { def, current: cur } = parseSnapshotElement(copy, { redefine: true, internal: true, validateName: false });
    if (def.dom) def.dom = embedDomain(embeddedDef(def.dom));
    const node = dom.snapshots.add(def.name!, def);
    if (!node) throw opFailed(`domain moment ${def.name} already exists`, FROM_DOMAIN);
    if (cur) {
      if (dom.snapshots.current) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'more than one snapshot claims to be active');
      dom.snapshots.current = node;
    }
  }
  for (const n of dom.snapshots.all()) dom.snapshots.link(n, n.data.parentName);
}
