import { type DomainDef } from '@virtkit/xml';
import { type DomainRef } from '@virtkit/core';
import type { QmpClient } from '../qmp/client';
import type { LoadReport } from '../state/state-dir';

export interface SnapshotContext {
  /** The domain's identity (for refs and messages). */
  ref(): DomainRef;
  /** The monitor of the running QEMU, or undefined while the domain is shut off. */
  qmp(): QmpClient | undefined;
  /** The live definition while running (with device aliases), else the persistent one. */
  def(): DomainDef;
  /** The persistent definition; undefined for a transient domain. */
  persistentDef(): DomainDef | undefined;
  /** The domain's virDomainState (running 1, paused 3, shut off 5, ...). */
  state(): number;
  /**
   * Store a changed definition atomically: the live one (the object `def()` returned while
   * running) goes to the status file, any other becomes the persistent definition.
   */
  saveDef(def: DomainDef): Promise<void>;
  /** Run `fn` holding the domain's job lock (libvirt's BeginJob/EndJob), `owner` naming the API. */
  withJob<T>(owner: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Start QEMU with `def` (which becomes the live definition) and leave its vCPUs paused;
   * lifecycle events carry the from-snapshot details. Used by revert.
   */
  start(def: DomainDef): Promise<void>;
  /** Stop QEMU (shut-off reason from-snapshot). Used by revert and CREATE_HALT. */
  stop(): Promise<void>;
  /** Pause / resume the vCPUs of the running domain (state and events follow QEMU's). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /**
   * Merge each image `overlay` of disk `target` into the image below it, drop it from the chain
   * and delete its file (block commits, waited for; all pairs checked first). Deleting an
   * external snapshot needs it.
   */
  mergeOverlays?(merges: ReadonlyArray<[target: string, overlay: string]>): Promise<void>;
  /** How many checkpoints the domain has (libvirt refuses snapshots next to checkpoints). */
  checkpoints?(): Promise<number>;
  dirs: {
    /** This domain's snapshot metadata directory (e.g. `<paths.snapshotDir>/<name>`). */
    snapshots: string;
  };
  /** Where metadata files that cannot be loaded are reported (they are logged in any case). */
  report?: LoadReport;
  /** qemu-img binary; default `qemu-img` from PATH. */
  qemuImg?: string;
}
