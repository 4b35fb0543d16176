import { ErrorDomain, VirError } from '@virtkit/core';
import { SNAPSHOT_STATES, parseSnapshotXml, type DomainSnapshotDef, type MomentTree } from '@virtkit/xml';
import { backupDisks, liveNodeNames, nodeOf, type BackupDisk } from '../backup/disks';
import type { SnapshotContext } from './context';
import { alignDisks, planDisks, type SnapshotPlan } from './disks';
import { embed, embeddedDisks } from './embed';
import { configUnsupported, operationFailed, parentProblem, unsupported } from './errors';
import { createOverlays, recordOverlays, removeFiles, switchLive } from './external';
import { createInImages, runSnapshotJob } from './internal';
import type { QemuSnapshots } from './snapshots';

const SNAP = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;

export interface CreateOptions {
  diskOnly: boolean;
  reuse: boolean;
  live: boolean;
  halt: boolean;
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
  if (plan.internal.length) await takeInternal(host, name, plan.internal, disks);
  if (plan.external.length) await takeExternal(host, plan.external, disks, opts.reuse);
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

async function takeInternal(host: QemuSnapshots, name: string, targets: readonly string[], disks: readonly BackupDisk[]): Promise<void> {
  const qmp = host.ctx.qmp();
  if (qmp) {
    const nodes = await liveNodeNames(qmp, disks);
    const devices = targets.map((t) => nodeOf(nodes, t));
    // The memory state goes to the first disk's image, as libvirt puts it.
    await runSnapshotJob(qmp, 'snapshot-save', name, devices, devices[0]);
    return;
  }
  await createInImages(host.qemuImg, targets.map((t) => disks.find((d) => d.target === t)!.path!), name);
}

async function takeExternal(host: QemuSnapshots, overlays: SnapshotPlan['external'], disks: readonly BackupDisk[], reuse: boolean): Promise<void> {
  const ctx = host.ctx;
  const qmp = ctx.qmp();
  const below = new Map(overlays.map((o) => [o.target, disks.find((d) => d.target === o.target)!.path!]));
  const created = reuse ? [] : await createOverlays(host.qemuImg, overlays, disks);
  try {
    if (qmp) await switchLive(qmp, overlays, await liveNodeNames(qmp, disks));
  } catch (e) {
    await removeFiles(created);
    throw e;
  }
  const live = qmp ? ctx.def() : undefined;
  if (live) {
    await recordOverlays(live, overlays, below, host.qemuImg);
    await ctx.saveDef(live);
  }
  const persistent = ctx.persistentDef();
  if (persistent && persistent !== live) {
    await recordOverlays(persistent, overlays, below, host.qemuImg);
    await ctx.saveDef(persistent);
  }
}

/**
 * REDEFINE: check the given metadata against the tree and the domain (virDomainSnapshotRedefinePrep).
 * `current` is true when it replaces the current snapshot, which stays current.
 */
export function redefineSnapshot(ctx: SnapshotContext, tree: MomentTree<DomainSnapshotDef>, xml: string): { def: DomainSnapshotDef; current: boolean } {
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
