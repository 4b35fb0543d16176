import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { type DomainSnapshotDef } from '@virtkit/xml';
import { backupDisks, liveNodeNames, nodeOf } from '../backup/disks';
import { embeddedDef, embeddedDisks } from './embed';
import { configUnsupported, operationInvalid } from './errors';
import { editImageSnapshot, runSnapshotJob } from './internal';
import { isExternal } from './kind';
import type { QemuSnapshots } from './snapshots';

export interface RevertOptions {
  /** VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING */
  run: boolean;
  /** VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED */
  pause: boolean;
}

export async function revertTo(host: QemuSnapshots, sdef: DomainSnapshotDef, opts: RevertOptions): Promise<void> {
  const ctx = host.ctx;
  const online = sdef.state === 'running' || sdef.state === 'paused';
  if (!ctx.persistentDef() && !online && !opts.run && !opts.pause) {
    throw operationInvalid('transient domain needs to request run or pause to revert to inactive snapshot');
  }
  if (isExternal(sdef)) throw configUnsupported('revert to external snapshot not supported yet');
  if (!sdef.dom) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_SNAPSHOT_REVERT_RISKY,
      ErrorDomain.VIR_FROM_QEMU,
      `snapshot '${sdef.name}' lacks domain '${ctx.ref().name}' rollback info`,
    );
  }
  const targets = sdef.disks.filter((d) => d.snapshot === 'internal').map((d) => d.name);
  const config = embeddedDef(sdef.dom);
  if (online) {
    if (ctx.qmp()) await ctx.pause();
    else await ctx.start(config);
    const qmp = ctx.qmp()!;
    const nodes = await liveNodeNames(qmp, backupDisks(ctx.def()));
    const devices = targets.map((t) => nodeOf(nodes, t));
    await runSnapshotJob(qmp, 'snapshot-load', sdef.name!, devices, devices[0]);
    if (opts.run || (sdef.state === 'running' && !opts.pause)) await ctx.resume();
    return;
  }
  if (ctx.qmp()) await ctx.stop();
  const disks = embeddedDisks(sdef.dom);
  for (const t of targets) await editImageSnapshot(host.qemuImg, 'apply', disks.find((d) => d.target === t)!.path!, sdef.name!);
  if (ctx.persistentDef()) await ctx.saveDef(config);
  if (opts.run || opts.pause) {
    await ctx.start(embeddedDef(sdef.dom));
    if (opts.run) await ctx.resume();
  }
}
