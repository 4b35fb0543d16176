/**
 * Snapshots of the QEMU driver. The connection keeps one `QemuSnapshots` per domain, built on a
 * SnapshotContext, and routes the snapshot SPI to it with `snapshotSpi`:
 *
 *   const ctx: SnapshotContext = {
 *     ref: () => obj.ref(), qmp: () => (obj.active ? obj.runtime.monitor : undefined),
 *     def: () => obj.def, persistentDef: () => obj.persistentDef, state: () => obj.state.state,
 *     saveDef: (def) => driver.saveDef(obj, def),
 *     withJob: (owner, fn) => driver.withJob(obj, 'modify', owner, fn),
 *     start: (def) => startDomain(driver, obj, def, true),     // from-snapshot events
 *     stop: () => obj.runtime.stop('force', ShutoffReason.FROM_SNAPSHOT),
 *     pause/resume: obj.runtime.suspend/resume with the FROM_SNAPSHOT reasons,
 *     checkpoints: () => checkpoints.count(),
 *     dirs: { snapshots: objectDir(driver.paths.snapshotDir, obj.name) },
 *   };
 *   (extension.ts does exactly this.)
 *
 * Create, revert and delete take the job lock themselves (ctx.withJob); the lists do not wait
 * for it (see snapshots.ts). Undefine: refuse while `count() > 0` without
 * VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, else call `removeAllMetadata()` inside its job.
 */
export { QemuSnapshots } from './snapshots';
export { isExternal } from './kind';
export { snapshotSpi } from './spi';
export type { SnapshotContext } from './context';
