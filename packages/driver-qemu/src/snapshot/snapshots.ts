import {
  DomainSnapshotCreateFlags as CreateFlag,
  DomainSnapshotDeleteFlags as DeleteFlag,
  DomainSnapshotRevertFlags as RevertFlag,
  DomainSnapshotXMLFlags as XmlFlag,
  ErrorDomain,
  ErrorNumber,
  VirError,
} from '@virtkit/core';
import { MomentTree, formatSnapshotXml, snapshotQuery, type DomainSnapshotDef, type MomentNode, type SnapshotFacts } from '@virtkit/xml';
import { checkFlags } from '../domains/errors';
import type { SnapshotContext } from './context';
import { createSnapshot, redefineSnapshot } from './create';
import { CreateJournal } from './journal';
import { finishOrUndo } from './recover';
import { deleteFromImages, checkDeletable } from './remove';
import { revertTo } from './revert';
import { embeddedForFormat } from './embed';
import { isExternal } from './kind';
import { exclusiveFlags, noSnapshot, noSnapshotNamed, requiredFlag } from './errors';
import { SnapshotStore } from './store';
import { crashPoint } from '../test-hooks';

export type SnapshotNode = MomentNode<DomainSnapshotDef>;

const C = {
  REDEFINE: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE,
  CURRENT: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT,
  NO_METADATA: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA,
  HALT: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_HALT,
  DISK_ONLY: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
  REUSE_EXT: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT,
  QUIESCE: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE,
  ATOMIC: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC,
  LIVE: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_LIVE,
  VALIDATE: CreateFlag.VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
};
const CREATE_MASK = Object.values(C).reduce((a, b) => a | b, 0);
/** ROOTS/DESCENDANTS, TOPOLOGICAL and every filter group (bits 0-10). */
const LIST_MASK = 0x7ff;
const SNAP = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;

function facts(def: DomainSnapshotDef): SnapshotFacts {
  return { state: def.state, external: isExternal(def) };
}

export class QemuSnapshots {
  private tree: MomentTree<DomainSnapshotDef> | undefined;
  private loading: Promise<MomentTree<DomainSnapshotDef>> | undefined;
  readonly store: SnapshotStore;
  /** The intent of the create in progress (see journal.ts). */
  readonly journal: CreateJournal;

  constructor(readonly ctx: SnapshotContext) {
    this.store = new SnapshotStore(ctx.dirs.snapshots, ctx.report);
    this.journal = new CreateJournal(ctx.dirs.snapshots);
  }

  get qemuImg(): string {
    return this.ctx.qemuImg ?? 'qemu-img';
  }

  /** The tree, read from the metadata directory once (concurrent first callers share the read). */
  loaded(): Promise<MomentTree<DomainSnapshotDef>> {
    if (this.tree) return Promise.resolve(this.tree);
    this.loading ??= this.store.load().then(({ defs, current }) => {
      const tree = new MomentTree<DomainSnapshotDef>();
      for (const def of defs) tree.add(def.name!, def);
      // Oldest first, so each parent keeps its most recent child first, as libvirt lists them.
      for (const def of [...defs].sort((a, b) => a.creationTime - b.creationTime)) tree.link(tree.get(def.name!)!, def.parentName);
      tree.current = (current !== undefined && tree.get(current)) || null;
      this.tree = tree;
      this.loading = undefined;
      return tree;
    });
    return this.loading;
  }

  private async node(name: string): Promise<SnapshotNode> {
    const n = (await this.loaded()).get(name);
    if (!n) throw noSnapshotNamed(name);
    return n;
  }

  // ---- create ----

  /** virDomainSnapshotCreateXML; resolves with the snapshot's name. */
  async create(xml: string, flags: number): Promise<string> {
    checkFlags(flags, CREATE_MASK, 'qemuSnapshotCreateXML');
    if (flags & C.QUIESCE && !(flags & C.DISK_ONLY)) {
      throw requiredFlag('VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY', 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE');
    }
    if (flags & C.LIVE && flags & C.REDEFINE) {
      throw exclusiveFlags('VIR_DOMAIN_SNAPSHOT_CREATE_LIVE', 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE');
    }
    if (flags & C.REDEFINE && flags & C.NO_METADATA) {
      throw exclusiveFlags('VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE', 'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA');
    }
    if (!this.ctx.persistentDef() && flags & C.HALT) {
      throw VirError.operationInvalid('cannot halt after transient domain snapshot', ErrorDomain.VIR_FROM_QEMU);
    }
    if (flags & C.QUIESCE) {
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, 'QEMU guest agent is not configured');
    }
    return this.ctx.withJob('virDomainSnapshotCreateXML', async () => {
      const tree = await this.loaded();
      if (flags & C.REDEFINE) {
        const r = redefineSnapshot(this.ctx, tree, xml);
        await this.record(r.def, r.current || !!(flags & C.CURRENT));
        return r.def.name!;
      }
      const metadata = !(flags & C.NO_METADATA);
      let def: DomainSnapshotDef;
      try {
        def = await createSnapshot(this, tree, xml, {
          diskOnly: !!(flags & C.DISK_ONLY),
          reuse: !!(flags & C.REUSE_EXT),
          live: !!(flags & C.LIVE),
          halt: !!(flags & C.HALT),
          metadata,
        });
      } catch (e) {
        // A failing step undid what the create had done (createInImages, createOverlays, ...).
        await this.journal.end();
        throw e;
      }
      crashPoint('SNAPSHOT_BEFORE_METADATA');
      if (metadata) await this.record(def, true);
      await this.journal.end();
      return def.name!;
    });
  }

  /**
   * Finish or undo the create a process that died left in the journal (recover.ts); run by the
   * driver opening the root, before any call can reuse the snapshot's name.
   */
  async recover(): Promise<void> {
    if (!(await this.journal.read())) return;
    await this.ctx.withJob('virDomainSnapshotCreateXML', async () => {
      const intent = await this.journal.read();
      if (!intent) return;
      const tree = await this.loaded();
      // Metadata stored: the process died after its last step.
      if (!tree.get(intent.name)) {
        const def = await finishOrUndo(this, intent);
        if (def && intent.metadata) await this.record(def, true);
      }
      await this.journal.end();
    });
  }

  /**
   * Store a snapshot and put it in the tree (under its parent; current if asked). The files
   * are written first; the tree then changes in one synchronous step.
   */
  private async record(def: DomainSnapshotDef, makeCurrent: boolean): Promise<void> {
    const tree = this.tree!;
    const previous = tree.current;
    await this.store.save(def, makeCurrent);
    if (makeCurrent && previous && previous.name !== def.name) await this.store.save(previous.data, false);
    let node = tree.get(def.name!);
    if (node) node.data = def;
    else node = tree.add(def.name!, def)!;
    tree.link(node, def.parentName);
    if (makeCurrent) tree.current = node;
  }

  // ---- lists and lookups ----

  private select(tree: MomentTree<DomainSnapshotDef>, from: SnapshotNode | null, flags: number): string[] {
    const { options, filter } = snapshotQuery(flags);
    return tree.list(from, options, filter ? (d) => filter(facts(d)) : undefined).map((n) => n.name);
  }

  /** virDomainListAllSnapshots: names, in libvirt's order. */
  async listAll(flags: number, fn = 'qemuDomainListAllSnapshots'): Promise<string[]> {
    checkFlags(flags, LIST_MASK, fn);
    return this.select(await this.loaded(), null, flags);
  }

  /** virDomainSnapshotListAllChildren. */
  async listChildren(name: string, flags: number, fn = 'qemuDomainSnapshotListAllChildren'): Promise<string[]> {
    checkFlags(flags, LIST_MASK, fn);
    const tree = await this.loaded();
    const node = tree.get(name);
    if (!node) throw noSnapshotNamed(name);
    return this.select(tree, node, flags);
  }

  /** virDomainSnapshotNum. */
  async num(flags: number): Promise<number> {
    return (await this.listAll(flags, 'qemuDomainSnapshotNum')).length;
  }

  /** virDomainSnapshotListNames. */
  async listNames(maxnames: number, flags: number): Promise<string[]> {
    return (await this.listAll(flags, 'qemuDomainSnapshotListNames')).slice(0, maxnames);
  }

  /** virDomainSnapshotNumChildren. */
  async numChildren(name: string, flags: number): Promise<number> {
    return (await this.listChildren(name, flags, 'qemuDomainSnapshotNumChildren')).length;
  }

  /** virDomainSnapshotListChildrenNames. */
  async listChildrenNames(name: string, maxnames: number, flags: number): Promise<string[]> {
    return (await this.listChildren(name, flags, 'qemuDomainSnapshotListChildrenNames')).slice(0, maxnames);
  }

  /** virDomainSnapshotLookupByName. */
  async lookup(name: string, flags: number): Promise<string> {
    checkFlags(flags, 0, 'qemuDomainSnapshotLookupByName');
    return (await this.node(name)).name;
  }

  /** virDomainSnapshotGetParent. */
  async parent(name: string, flags: number): Promise<string> {
    checkFlags(flags, 0, 'qemuDomainSnapshotGetParent');
    const node = await this.node(name);
    const parent = this.tree!.parentName(node);
    if (parent === undefined) throw noSnapshot(`snapshot '${name}' does not have a parent`);
    return parent;
  }

  /** virDomainSnapshotCurrent. */
  async current(flags: number): Promise<string> {
    checkFlags(flags, 0, 'qemuDomainSnapshotCurrent');
    const cur = (await this.loaded()).current;
    if (!cur) throw noSnapshot('the domain does not have a current snapshot');
    return cur.name;
  }

  /** virDomainHasCurrentSnapshot. */
  async hasCurrent(flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'qemuDomainHasCurrentSnapshot');
    return (await this.loaded()).current !== null;
  }

  /** virDomainSnapshotIsCurrent. */
  async isCurrent(name: string, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'qemuDomainSnapshotIsCurrent');
    const node = await this.node(name);
    return this.tree!.current === node;
  }

  /** virDomainSnapshotHasMetadata: every snapshot this driver knows has metadata. */
  async hasMetadata(name: string, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'qemuDomainSnapshotHasMetadata');
    await this.node(name);
    return true;
  }

  /** virDomainSnapshotGetXMLDesc. */
  async getXMLDesc(name: string, flags: number): Promise<string> {
    checkFlags(flags, XmlFlag.VIR_DOMAIN_SNAPSHOT_XML_SECURE, 'qemuDomainSnapshotGetXMLDesc');
    const def = (await this.node(name)).data;
    const secure = !!(flags & XmlFlag.VIR_DOMAIN_SNAPSHOT_XML_SECURE);
    return formatSnapshotXml({ ...def, dom: embeddedForFormat(def.dom, secure) }, { domainUuid: this.ctx.ref().uuid, secure });
  }

  // ---- revert and delete ----

  /** virDomainRevertToSnapshot. */
  async revert(name: string, flags: number): Promise<void> {
    const R = RevertFlag;
    checkFlags(
      flags,
      R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
        R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
        R.VIR_DOMAIN_SNAPSHOT_REVERT_FORCE |
        R.VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM,
      'qemuSnapshotRevert',
    );
    if (flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING && flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) {
      throw exclusiveFlags('VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING', 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED');
    }
    await this.ctx.withJob('virDomainRevertToSnapshot', async () => {
      const node = await this.node(name);
      await revertTo(this, node.data, {
        run: !!(flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING),
        pause: !!(flags & R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED),
      });
      const previous = this.tree!.current;
      await this.store.save(node.data, true);
      if (previous && previous !== node) await this.store.save(previous.data, false);
      this.tree!.current = node;
    });
  }

  /** virDomainSnapshotDelete. */
  async delete(name: string, flags: number): Promise<void> {
    const D = DeleteFlag;
    checkFlags(
      flags,
      D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | D.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY | D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
      'qemuSnapshotDelete',
    );
    if (flags & D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN && flags & D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) {
      throw exclusiveFlags('VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN', 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY', SNAP);
    }
    const mode =
      flags & D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY
        ? 'children-only'
        : flags & D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN
          ? 'children'
          : 'single';
    await this.ctx.withJob('virDomainSnapshotDelete', async () => {
      const tree = await this.loaded();
      const node = await this.node(name);
      const doomed = mode === 'single' ? [node] : [...tree.descendants(node), ...(mode === 'children' ? [node] : [])];
      if (!(flags & D.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)) {
        checkDeletable(this, node, doomed, mode);
        for (const n of doomed) await deleteFromImages(this, n.data);
      }
      const children = mode === 'single' ? [...node.children] : [];
      const previous = tree.current;
      tree.remove(node, mode);
      for (const c of children) c.data.parentName = tree.parentName(c);
      for (const n of doomed) await this.store.remove(n.name);
      const cur = tree.current;
      for (const c of children) await this.store.save(c.data, c === cur);
      if (cur && cur !== previous && !children.includes(cur)) await this.store.save(cur.data, true);
    });
  }

  // ---- domain-level housekeeping ----

  /** How many snapshots have metadata (undefine refuses without the metadata flag). */
  async count(): Promise<number> {
    return (await this.loaded()).size;
  }

  /**
   * Forget all snapshot metadata (undefine with VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA); the
   * caller holds the domain job.
   */
  async removeAllMetadata(): Promise<void> {
    await this.store.removeAll();
    this.tree = new MomentTree<DomainSnapshotDef>();
  }
}
