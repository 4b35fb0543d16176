import { ErrorDomain, VirError } from '@virtkit/core';
import { SNAPSHOT_STATES, parseSnapshotXml, type DomainSnapshotDef, type MomentTree } from '@virtkit/xml';
import { backupDisks, liveNodeNames, nodeOf, type BackupDisk } from '../backup/disks';
import type { SnapshotContext } from './context';
import { alignDisks, planDisks, type SnapshotPlan } from './disks';
import { embed, embeddedDisks } from './embed';
import { configUnsupported, operationFailed, parentProblem, unsupported } from './errors';
import { createOverlays, recordExternal, removeFiles, switchLive } from './external';
import { createInImages, imageSnapshotTags, liveSnapshotTags, runSnapshotJob, snapshotJobId } from './internal';
import { intentXml, type CreateIntent } from './journal';
import { crashPoint } from '../test-hooks';
import type { QemuSnapshots } from './snapshots';

const SNAP = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;

export interface CreateOptions {
  diskOnly: boolean;
  reuse: boolean;
  live: boolean;
  halt: boolean;
  /** Metadata will be stored (no NO_METADATA): journaled, for a recovery to know. */
  metadata: boolean;
}

const online = (state: string) => state === 'running' || state === 'paused';

/** Take a new snapshot; resolves with its definition, parent set, ready to record. */
export async function createSnapshot(
  host: QemuSnapshots,
  tree: MomentTree<DomainSnapshotDef>,
  xml: string,
  opts: CreateOptions,
): Promise<DomainSnapshotDef> {
  const ctx = host.ctx;
  const qmp = ctx.qmp();
  const { def } = parseSnapshotXml(xml, { offline: !qmp || opts.diskOnly });
  if (ctx.checkpoints && (await ctx.checkpoints()) > 0) {
    throw unsupported('cannot create snapshot while checkpoint exists');
  }
  if (opts.live && (!qmp || def.memory !== 'external')) {
    throw unsupported('live snapshot creation is supported only during full system snapshots');
  }
  checkDomainState(SNAPSHOT_STATES[ctx.state()] ?? 'nostate');
  const domDef = ctx.def();
  const disks = backupDisks(domDef);
  settleState(def, ctx, !!qmp, opts.diskOnly);
  alignDisks(def, disks, opts.diskOnly ? 'external' : 'internal');
  const plan = planDisks(def, disks, !!qmp, opts.reuse);
  const name = def.name!;
  if (tree.get(name)) throw operationFailed(`domain moment ${name} already exists`, ErrorDomain.VIR_FROM_DOMAIN);
  def.dom = embed(domDef);
  def.parentName = tree.current?.name;
  const intent = { name, xml: intentXml(def), metadata: opts.metadata, live: !!qmp };
  if (plan.internal.length) await takeInternal(host, intent, plan.internal, disks);
  if (plan.external.length) await takeExternal(host, intent, plan.external, disks, opts.reuse);
  if (opts.halt && ctx.qmp()) await ctx.stop();
  return def;
}

/** The domain states a snapshot can be taken in (qemuSnapshotCreateXMLValidateDef). */
function checkDomainState(state: string): void {
  if (['running', 'paused', 'shutdown', 'shutoff', 'crashed'].includes(state)) return;
  if (state === 'pmsuspended') throw unsupported("qemu doesn't support taking snapshots of PMSUSPENDED guests");
  throw VirError.internal(`Invalid domain state ${state}`, ErrorDomain.VIR_FROM_QEMU);
}

/** The snapshot's state and memory location from the flags and the domain's state. */
function settleState(def: DomainSnapshotDef, ctx: SnapshotContext, active: boolean, diskOnly: boolean): void {
  if (diskOnly) {
    def.state = active ? 'disk-snapshot' : 'shutoff';
    def.memory = 'no';
    return;
  }
  if (def.memory === 'external') {
    // Saving memory to a file needs QEMU's migration to a file descriptor; not done here.
    throw configUnsupported('external memory snapshots are not supported by this driver');
  }
  def.state = SNAPSHOT_STATES[ctx.state()];
  if (active && def.memory === 'no') throw unsupported('internal snapshot of a running VM must include the memory state');
  def.memory = def.state === 'shutoff' ? 'no' : 'internal';
}

type IntentBase = Pick<CreateIntent, 'name' | 'xml' | 'metadata' | 'live'>;

/**
 * Internal snapshots, journaled first. A tag some image holds already is not journaled: QEMU
 * refuses it (qemu-img would add a second one), and undoing it would delete the older snapshot.
 */
async function takeInternal(
  host: QemuSnapshots,
  intent: IntentBase,
  targets: readonly string[],
  disks: readonly BackupDisk[],
): Promise<void> {
  const qmp = host.ctx.qmp();
  const images = targets.map((t) => disks.find((d) => d.target === t)!.path!);
  if (qmp) {
    const nodes = await liveNodeNames(qmp, disks);
    const devices = targets.map((t) => nodeOf(nodes, t));
    const jobId = snapshotJobId('snapshot-save');
    if (!(await liveSnapshotTags(qmp, devices)).has(intent.name)) {
      await host.journal.begin({ ...intent, internal: { targets: [...targets], images, jobId } });
    }
    // The memory state goes to the first disk's image, as libvirt puts it.
    await runSnapshotJob(qmp, 'snapshot-save', intent.name, devices, devices[0], jobId);
    return;
  }
  const held = await Promise.all(images.map((i) => imageSnapshotTags(host.qemuImg, i).catch((): string[] => [])));
  if (!held.some((tags) => tags.includes(intent.name))) {
    await host.journal.begin({ ...intent, internal: { targets: [...targets], images } });
  }
  await createInImages(host.qemuImg, images, intent.name);
}

async function takeExternal(
  host: QemuSnapshots,
  intent: IntentBase,
  overlays: SnapshotPlan['external'],
  disks: readonly BackupDisk[],
  reuse: boolean,
): Promise<void> {
  const ctx = host.ctx;
  const qmp = ctx.qmp();
  const below = new Map(overlays.map((o) => [o.target, disks.find((d) => d.target === o.target)!.path!]));
  await host.journal.begin({
    ...intent,
    external: overlays.map((o) => ({ ...o, below: below.get(o.target)!, created: !reuse })),
  });
  const created = reuse ? [] : await createOverlays(host.qemuImg, overlays, disks);
  crashPoint('SNAPSHOT_OVERLAYS_CREATED');
  try {
    if (qmp) await switchLive(qmp, overlays, await liveNodeNames(qmp, disks));
  } catch (e) {
    await removeFiles(created);
    throw e;
  }
  await recordExternal(ctx, overlays, below, host.qemuImg);
}

/**
 * REDEFINE: check the given metadata against the tree and the domain (virDomainSnapshotRedefinePrep).
 * `current` is true when it replaces the current snapshot, which stays current.
 */
export function redefineSnapshot(
  ctx: SnapshotContext,
  tree: MomentTree<DomainSnapshotDef>,
  xml: string,
): { def: DomainSnapshotDef; current: boolean } {
  const { def } = parseSnapshotXml(xml, { redefine: true });
  const name = def.name!;
  if (def.state !== 'disk-snapshot') checkDomainState(def.state);
  const problem = tree.checkParent(name, def.parentName);
  if (problem) throw parentProblem(problem.kind, name, def.parentName, problem.kind === 'cycle' ? problem.via : undefined);
  const uuid = ctx.ref().uuid;
  if (def.dom?.uuid && def.dom.uuid !== uuid) throw VirError.invalidArg(`definition for snapshot ${name} must use uuid ${uuid}`, SNAP);
  const other = tree.get(name);
  if (other) {
    if (online(other.data.state) !== online(def.state)) {
      throw VirError.invalidArg(`cannot change between online and offline snapshot state in snapshot ${name}`, SNAP);
    }
    if ((other.data.state === 'disk-snapshot') !== (def.state === 'disk-snapshot')) {
      throw VirError.invalidArg(`cannot change between disk only and full system in snapshot ${name}`, SNAP);
    }
    if (!def.dom && other.data.dom) def.dom = other.data.dom;
  }
  if (!def.dom) throw VirError.internal('missing domain in snapshot', SNAP);
  const external = def.memory === 'external' || def.state === 'disk-snapshot';
  alignDisks(def, embeddedDisks(def.dom), external ? 'external' : 'internal');
  return { def, current: !!other && tree.current === other };
}
