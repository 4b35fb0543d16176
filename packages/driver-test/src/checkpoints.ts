import {
  DomainCheckpointCreateFlags,
  DomainCheckpointDeleteFlags,
  DomainCheckpointListFlags,
  DomainCheckpointXMLFlags,
  ErrorDomain,
  ErrorNumber,
  type DomainCheckpointRef,
  type DomainRef,
} from '@virtkit/core';
import { formatCheckpointXml, parseCheckpointXml, type DomainCheckpointDef } from '@virtkit/xml';
import type { DomainObj } from './domain-obj';
import { domainDisks, type DomainDef } from './domain-xml';
import type { MomentNode } from './snapshot-tree';
import { checkpointQuery } from './moment-list';
import type { TestState } from './state';
import { checkFlags, err, FROM_DOMAIN, notRunning, opFailed, unsupported } from './errors';
import { checkMomentParent, embedDomain, embeddedDef, embeddedForFormat } from './snapshots';

const FROM_CHK = ErrorDomain.VIR_FROM_DOMAIN_CHECKPOINT;
type Chk = MomentNode<DomainCheckpointDef>;

function chkNode(dom: DomainObj, name: string): Chk {
  const c = dom.checkpoints.get(name);
  if (!c) throw err(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT, `no domain checkpoint with matching name '${name}'`);
  return c;
}

function chkRef(dom: DomainObj, name: string): DomainCheckpointRef {
  return { name, domain: dom.ref() };
}

/** virDomainCheckpointAlignDisks: every domain disk gets an entry, bitmaps named after the checkpoint. */
function alignDisks(def: DomainCheckpointDef, dom: DomainDef): void {
  const disks = domainDisks(dom);
  const seen = new Set<string>();
  for (const d of def.disks) {
    if (!d.name || !disks.some((x) => x.dst === d.name)) {
      throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `no disk named '${d.name}'`, FROM_CHK);
    }
    if (seen.has(d.name)) throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `disk '${d.name}' specified twice`, FROM_CHK);
    seen.add(d.name);
    if (d.type === 'default') d.type = 'bitmap';
    if (d.type === 'bitmap' && !d.bitmap) d.bitmap = def.name;
  }
  def.disks = disks.map((disk) => {
    const given = def.disks.find((d) => d.name === disk.dst);
    if (given) return given;
    if (!disk.hasSource || disk.readonly) return { name: disk.dst, type: 'no' };
    return { name: disk.dst, type: 'bitmap', bitmap: def.name };
  });
}

export function createXML(state: TestState, ref: DomainRef, xml: string, flags: number): DomainCheckpointRef {
  checkFlags(
    flags,
    DomainCheckpointCreateFlags.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE | DomainCheckpointCreateFlags.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE,
    'testDomainCheckpointCreateXML',
  );
  const redefine = !!(flags & DomainCheckpointCreateFlags.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE);
  let updateCurrent = !redefine;
  const dom = state.domObj(ref);
  if (dom.snapshots.size > 0) throw unsupported('cannot create checkpoint while snapshot exists');
  if (!dom.active) throw unsupported('cannot create checkpoint for inactive domain');
  const def = parseCheckpointXml(xml, { redefine });
  const name = def.name!;
  const tree = dom.checkpoints;
  let node: Chk | undefined;
  if (redefine) {
    checkMomentParent(tree.checkParent(name, def.parentName), name, def.parentName);
    if (def.dom?.uuid && def.dom.uuid !== dom.uuid) {
      throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `definition for checkpoint ${name} must use uuid ${dom.uuid}`, FROM_CHK);
    }
    if (def.dom) def.dom = embedDomain(embeddedDef(def.dom));
    alignDisks(def, dom.def);
    if (def.parentName && tree.get(def.parentName) === tree.current && tree.current) updateCurrent = true;
    const other = tree.get(name);
    if (other) {
      tree.unlink(other);
      other.data = def;
      node = other;
    }
  } else {
    def.dom = embedDomain(dom.def);
    alignDisks(def, dom.def);
  }
  if (!node) {
    node = tree.add(name, def);
    if (!node) throw opFailed(`domain moment ${name} already exists`, FROM_DOMAIN);
  }
  const cur = tree.current;
  if (cur && cur !== node) {
    if (!redefine) def.parentName = cur.name;
    if (updateCurrent) tree.current = null;
  }
  if (updateCurrent) tree.current = node;
  tree.link(node, def.parentName);
  return chkRef(dom, name);
}

function list(dom: DomainObj, from: Chk | null, flags: number): DomainCheckpointRef[] {
  return dom.checkpoints.list(from, checkpointQuery(flags).options).map((n) => chkRef(dom, n.name));
}

export function listAll(state: TestState, ref: DomainRef, flags: number): DomainCheckpointRef[] {
  const L = DomainCheckpointListFlags;
  checkFlags(
    flags,
    L.VIR_DOMAIN_CHECKPOINT_LIST_ROOTS |
      L.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL |
      L.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES |
      L.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES,
    'testDomainListAllCheckpoints',
  );
  return list(state.domObj(ref), null, flags);
}

export function listAllChildren(state: TestState, chk: DomainCheckpointRef, flags: number): DomainCheckpointRef[] {
  const L = DomainCheckpointListFlags;
  checkFlags(
    flags,
    L.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS |
      L.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL |
      L.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES |
      L.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES,
    'testDomainCheckpointListAllChildren',
  );
  const dom = state.domObj(chk.domain);
  return list(dom, chkNode(dom, chk.name), flags);
}

export function lookupByName(state: TestState, ref: DomainRef, name: string, flags: number): DomainCheckpointRef {
  checkFlags(flags, 0, 'testDomainCheckpointLookupByName');
  const dom = state.domObj(ref);
  return chkRef(dom, chkNode(dom, name).name);
}

export function getParent(state: TestState, chk: DomainCheckpointRef, flags: number): DomainCheckpointRef {
  checkFlags(flags, 0, 'testDomainCheckpointGetParent');
  const dom = state.domObj(chk.domain);
  const node = chkNode(dom, chk.name);
  if (!node.data.parentName) {
    throw err(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT, `checkpoint '${node.name}' does not have a parent`);
  }
  return chkRef(dom, node.data.parentName);
}

export function getXMLDesc(state: TestState, chk: DomainCheckpointRef, flags: number): string {
  const X = DomainCheckpointXMLFlags;
  checkFlags(
    flags,
    X.VIR_DOMAIN_CHECKPOINT_XML_SECURE | X.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN | X.VIR_DOMAIN_CHECKPOINT_XML_SIZE,
    'testDomainCheckpointGetXMLDesc',
  );
  const dom = state.domObj(chk.domain);
  const node = chkNode(dom, chk.name);
  if (flags & X.VIR_DOMAIN_CHECKPOINT_XML_SIZE) {
    if (!dom.active) throw notRunning();
  }
  const data = { ...node.data, dom: embeddedForFormat(node.data.dom, !!(flags & X.VIR_DOMAIN_CHECKPOINT_XML_SECURE)) };
  return formatCheckpointXml(data, {
    secure: !!(flags & X.VIR_DOMAIN_CHECKPOINT_XML_SECURE),
    noDomain: !!(flags & X.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN),
  });
}

export function deleteCheckpoint(state: TestState, chk: DomainCheckpointRef, flags: number): void {
  const D = DomainCheckpointDeleteFlags;
  checkFlags(
    flags,
    D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN | D.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY | D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
    'testDomainCheckpointDelete',
  );
  const dom = state.domObj(chk.domain);
  const node = chkNode(dom, chk.name);
  const mode =
    flags & D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY
      ? 'children-only'
      : flags & D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN
        ? 'children'
        : 'single';
  const children = mode === 'single' ? [...node.children] : [];
  dom.checkpoints.remove(node, mode);
  for (const c of children) c.data.parentName = dom.checkpoints.parentName(c);
}
