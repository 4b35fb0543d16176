import { type DomainDef } from '@virtkit/xml';
import { type DomainEvent, type DomainRef } from '@virtkit/core';
import type { QmpClient } from '../qmp/client';
import type { LoadReport } from '../state/state-dir';

export interface BackupContext {
  /** The monitor of the running QEMU, or undefined while the domain is shut off. */
  qmp(): QmpClient | undefined;
  /** The live definition while running (with device aliases), else the persistent one. */
  def(): DomainDef;
  /** The domain's identity, for events. */
  ref(): DomainRef;
  dirs: {
    /** This domain's checkpoint metadata directory (e.g. `<paths.checkpointDir>/<name>`). */
    checkpoints: string;
    /** A short private directory for sockets of offline jobs (UNIX socket paths are limited). */
    run: string;
  };
  /** Where metadata files that cannot be loaded are reported (they are logged in any case). */
  report?: LoadReport;
  /** Publish a domain event (JOB_COMPLETED). */
  emit(event: DomainEvent): void;
  /** Binaries; defaults from PATH. */
  qemuImg?: string;
  storageDaemon?: string;
}

export const QEMU_IMG = 'qemu-img';
export const STORAGE_DAEMON = 'qemu-storage-daemon';
