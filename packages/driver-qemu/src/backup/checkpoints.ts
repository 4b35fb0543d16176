import {
  DomainCheckpointCreateFlags as Create,
  DomainCheckpointDeleteFlags as Delete,
  DomainCheckpointXMLFlags as Xml,
  ErrorDomain,
  ErrorNumber,
  VirError,
} from '@virtkit/core';
import {
  MomentTree,
  checkpointQuery,
  formatCheckpointXml,
  parseCheckpointXml,
  type DomainCheckpointDef,
  type MomentNode,
} from '@virtkit/xml';
import {
  addBitmapAction,
  bitmapProblem,
  editImageBitmap,
  imageBitmaps,
  liveBitmaps,
  removeBitmapAction,
  type BitmapState,
} from './bitmaps';
import { alignDisks, brokenBitmap, checkName, coveredBitmaps, embed, type CheckpointBitmap } from './checkpoint-def';
import { QEMU_IMG, STORAGE_DAEMON, type BackupContext } from './context';
import { backupDisks, liveNodeNames, nodeOf } from './disks';
import { CheckpointStore } from './store';
import { StorageDaemon } from './storage-daemon';

const CHK = ErrorDomain.VIR_FROM_DOMAIN_CHECKPOINT;
const QEMU = ErrorDomain.VIR_FROM_QEMU;
type Node = MomentNode<DomainCheckpointDef>;

function noCheckpoint(name: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT, CHK, `no domain checkpoint with matching name '${name}'`);
}

export class Checkpoints {
  private tree: Promise<MomentTree<DomainCheckpointDef>> | undefined;
  private readonly store: CheckpointStore;

  constructor(private readonly ctx: BackupContext) {
    this.store = new CheckpointStore(ctx.dirs.checkpoints, ctx.report);
  }

  private get qemuImg(): string {
    return this.ctx.qemuImg ?? QEMU_IMG;
  }

  /** The tree, read from the metadata directory on first use (one read for concurrent callers). */
  private loaded(): Promise<MomentTree<DomainCheckpointDef>> {
    this.tree ??= this.store.load().then(({ defs, current }) => {
      const tree = new MomentTree<DomainCheckpointDef>();
      for (const def of defs) tree.add(def.name!, def);
      for (const def of [...defs].sort((a, b) => a.creationTime - b.creationTime)) tree.link(tree.get(def.name!)!, def.parentName);
      tree.current = (current !== undefined && tree.get(current)) || null;
      return tree;
    });
    return this.tree;
  }

  private async node(name: string): Promise<Node> {
    const n = (await this.loaded()).get(name);
    if (!n) throw noCheckpoint(name);
    return n;
  }

  /** The definition of checkpoint `name` (VIR_ERR_NO_DOMAIN_CHECKPOINT when unknown). */
  async get(name: string): Promise<DomainCheckpointDef> {
    return (await this.node(name)).data;
  }

  /** virDomainCheckpointCreateXML; resolves with the checkpoint's name. */
  async create(xml: string, flags: number): Promise<string> {
    if (flags & Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE && !(flags & Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE)) {
      throw VirError.invalidArg(
        "Flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE'",
        CHK,
      );
    }
    if (flags & Create.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE) {
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, QEMU, 'QEMU guest agent is not configured');
    }
    if (flags & Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE) {
      return this.redefine(xml, !!(flags & Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE));
    }
    const def = await this.prepare(xml);
    const bitmaps = coveredBitmaps(def);
    const qmp = this.ctx.qmp();
    if (qmp) {
      const nodes = await liveNodeNames(qmp, backupDisks(this.ctx.def()));
      const actions = bitmaps.map((b) => addBitmapAction(nodeOf(nodes, b.target), b.bitmap));
      if (actions.length) await qmp.execute('transaction', { actions });
    } else {
      await this.addOffline(bitmaps);
    }
    await this.commit(def);
    return def.name!;
  }

  /**
   * Parse and settle a new checkpoint's definition against the domain (names, disks, embedded
   * domain) without touching anything: backupBegin adds its bitmaps in its own transaction.
   */
  async prepare(xml: string): Promise<DomainCheckpointDef> {
    const def = parseCheckpointXml(xml);
    checkName(def.name!);
    const tree = await this.loaded();
    if (tree.get(def.name!)) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN, `domain moment ${def.name} already exists`);
    }
    const dom = this.ctx.def();
    alignDisks(def, backupDisks(dom));
    def.dom = embed(dom);
    return def;
  }

  /** Record a new checkpoint whose bitmaps now exist: child of the current one, and current. */
  async commit(def: DomainCheckpointDef): Promise<void> {
    const tree = await this.loaded();
    def.parentName = tree.current?.name;
    const node = tree.add(def.name!, def)!;
    tree.link(node, def.parentName);
    tree.current = node;
    await this.store.save(def);
    await this.store.setCurrent(def.name);
  }

  /**
   * Store a checkpoint begun with a backup whose driver died before storing it (the backup's
   * QEMU transaction made its bitmaps); `xml` as formatCheckpointXml wrote it, secrets included.
   */
  async commitRecorded(xml: string): Promise<void> {
    const def = parseCheckpointXml(xml, { redefine: true });
    if ((await this.loaded()).get(def.name!)) return;
    await this.commit(def);
  }

  private async redefine(xml: string, validate: boolean): Promise<string> {
    const def = parseCheckpointXml(xml, { redefine: true });
    const name = def.name!;
    checkName(name);
    const tree = await this.loaded();
    const problem = tree.checkParent(name, def.parentName);
    if (problem) {
      const detail =
        problem.kind === 'self'
          ? `cannot set moment ${name} as its own parent`
          : problem.kind === 'missing'
            ? `parent ${def.parentName} for moment ${name} not found`
            : `parent ${problem.via} would create cycle to ${name}`;
      throw VirError.invalidArg(detail, ErrorDomain.VIR_FROM_DOMAIN);
    }
    const dom = this.ctx.def();
    if (def.dom?.uuid && def.dom.uuid !== dom.uuid) {
      throw VirError.invalidArg(`definition for checkpoint ${name} must use uuid ${dom.uuid}`, CHK);
    }
    alignDisks(def, backupDisks(dom));
    if (validate) await this.validateBitmaps(coveredBitmaps(def));
    const cur = tree.current;
    const becomesCurrent = !cur || (def.parentName !== undefined && tree.get(def.parentName) === cur);
    let node = tree.get(name);
    if (node) {
      tree.unlink(node);
      node.data = def;
    } else {
      node = tree.add(name, def)!;
    }
    tree.link(node, def.parentName);
    await this.store.save(def);
    if (becomesCurrent) {
      tree.current = node;
      await this.store.setCurrent(name);
    }
    return name;
  }

  /** Every bitmap must exist, record and be consistent (REDEFINE_VALIDATE). */
  private async validateBitmaps(bitmaps: readonly CheckpointBitmap[]): Promise<void> {
    const states = await this.bitmapStates(bitmaps.map((b) => b.target));
    for (const b of bitmaps) if (bitmapProblem(states.get(b.target), b.bitmap)) throw brokenBitmap(b.bitmap, b.target);
  }

  /** Target → bitmaps on its top image, from the running QEMU or the images at rest. */
  async bitmapStates(targets: readonly string[]): Promise<Map<string, BitmapState[]>> {
    const disks = backupDisks(this.ctx.def()).filter((d) => targets.includes(d.target));
    const out = new Map<string, BitmapState[]>();
    const qmp = this.ctx.qmp();
    if (qmp) {
      const [nodes, bitmaps] = await Promise.all([liveNodeNames(qmp, disks), liveBitmaps(qmp)]);
      for (const d of disks) out.set(d.target, bitmaps.get(nodes.get(d.target) ?? '') ?? []);
      return out;
    }
    for (const d of disks) if (d.path && d.format === 'qcow2') out.set(d.target, await imageBitmaps(this.qemuImg, d.path).catch(() => []));
    return out;
  }

  private async addOffline(bitmaps: readonly CheckpointBitmap[]): Promise<void> {
    const disks = backupDisks(this.ctx.def());
    const done: Array<[string, string]> = [];
    try {
      for (const b of bitmaps) {
        const path = disks.find((d) => d.target === b.target)!.path!;
        await editImageBitmap(this.qemuImg, 'add', path, b.bitmap);
        done.push([path, b.bitmap]);
      }
    } catch (e) {
      for (const [path, bitmap] of done) await editImageBitmap(this.qemuImg, 'remove', path, bitmap).catch(() => undefined);
      throw e;
    }
  }

  /** virDomainListAllCheckpoints. */
  async listAll(flags: number): Promise<string[]> {
    return (await this.loaded()).list(null, checkpointQuery(flags).options).map((n) => n.name);
  }

  /** virDomainCheckpointListAllChildren. */
  async listChildren(name: string, flags: number): Promise<string[]> {
    const tree = await this.loaded();
    return tree.list(await this.node(name), checkpointQuery(flags).options).map((n) => n.name);
  }

  /** virDomainCheckpointLookupByName. */
  async lookup(name: string): Promise<string> {
    return (await this.node(name)).name;
  }

  /** virDomainCheckpointGetParent. */
  async parent(name: string): Promise<string> {
    const node = await this.node(name);
    const parent = (await this.loaded()).parentName(node);
    if (parent === undefined) {
      throw VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT, CHK, `checkpoint '${name}' does not have a parent`);
    }
    return parent;
  }

  /** The current checkpoint's name, if any. */
  async current(): Promise<string | undefined> {
    return (await this.loaded()).current?.name;
  }

  /** virDomainCheckpointGetXMLDesc; SIZE reports each bitmap's dirty bytes. */
  async getXMLDesc(name: string, flags: number): Promise<string> {
    const def = (await this.node(name)).data;
    const size = !!(flags & Xml.VIR_DOMAIN_CHECKPOINT_XML_SIZE);
    const out: DomainCheckpointDef = { ...def, disks: def.disks.map((d) => ({ ...d })) };
    if (size) {
      const counts = await this.dirtyBytes(coveredBitmaps(def));
      for (const d of out.disks) if (d.bitmap !== undefined) d.size = counts.get(d.name!) ?? 0n;
    }
    return formatCheckpointXml(out, {
      secure: !!(flags & Xml.VIR_DOMAIN_CHECKPOINT_XML_SECURE),
      noDomain: !!(flags & Xml.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN),
      size,
    });
  }

  private async dirtyBytes(bitmaps: readonly CheckpointBitmap[]): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    const read = (states: Map<string, BitmapState[]>) => {
      for (const b of bitmaps) {
        const state = states.get(b.target)?.find((x) => x.name === b.bitmap);
        if (state?.count !== undefined) out.set(b.target, BigInt(state.count));
      }
    };
    if (this.ctx.qmp()) {
      read(await this.bitmapStates(bitmaps.map((b) => b.target)));
      return out;
    }
    const disks = backupDisks(this.ctx.def()).filter((d) => bitmaps.some((b) => b.target === d.target));
    const qsd = await StorageDaemon.start(this.ctx.storageDaemon ?? STORAGE_DAEMON, this.ctx.dirs.run, disks, true);
    try {
      const live = await liveBitmaps(qsd.qmp);
      read(new Map(disks.map((d) => [d.target, live.get(qsd.nodes.get(d.target) ?? '') ?? []])));
    } finally {
      await qsd.stop();
    }
    return out;
  }

  /** virDomainCheckpointDelete. */
  async delete(name: string, flags: number): Promise<void> {
    const tree = await this.loaded();
    const node = await this.node(name);
    const mode =
      flags & Delete.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY
        ? 'children-only'
        : flags & Delete.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN
          ? 'children'
          : 'single';
    const doomed = mode === 'single' ? [node] : [...tree.descendants(node), ...(mode === 'children' ? [node] : [])];
    if (!(flags & Delete.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY)) {
      await this.removeBitmaps(doomed.flatMap((n) => coveredBitmaps(n.data)));
    }
    const children = mode === 'single' ? [...node.children] : [];
    tree.remove(node, mode);
    for (const n of doomed) await this.store.remove(n.name);
    for (const c of children) {
      c.data.parentName = tree.parentName(c);
      await this.store.save(c.data);
    }
    await this.store.setCurrent(tree.current?.name);
  }

  /** Remove bitmaps that still exist (a bitmap already gone is no reason to keep metadata). */
  private async removeBitmaps(bitmaps: readonly CheckpointBitmap[]): Promise<void> {
    const states = await this.bitmapStates([...new Set(bitmaps.map((b) => b.target))]);
    const present = bitmaps.filter((b) => states.get(b.target)?.some((s) => s.name === b.bitmap));
    const qmp = this.ctx.qmp();
    if (qmp) {
      const nodes = await liveNodeNames(qmp, backupDisks(this.ctx.def()));
      const actions = present.map((b) => removeBitmapAction(nodeOf(nodes, b.target), b.bitmap));
      if (actions.length) await qmp.execute('transaction', { actions });
      return;
    }
    const disks = backupDisks(this.ctx.def());
    for (const b of present) await editImageBitmap(this.qemuImg, 'remove', disks.find((d) => d.target === b.target)!.path!, b.bitmap);
  }

  /** Forget all checkpoint metadata (undefine with VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA). */
  async removeAllMetadata(): Promise<void> {
    await this.store.removeAll();
    this.tree = undefined;
  }

  /** Whether the domain has checkpoints (undefine refuses without the metadata flag). */
  async count(): Promise<number> {
    return (await this.loaded()).size;
  }
}
