/**
 * The migration state of one domain object: the running job (out on a source, in on a
 * destination), the last completed job's statistics, the tuning calls' values, and what the
 * prepare step left for the finish step.
 */
import type { JobStats } from '@virtkit/core';
import type { QemuDomainObj } from '../domains/obj';
import type { MigrationCookie } from './cookie';
import type { MigrationJob } from './job';
import type { SavedMigrationSettings } from './params';

export interface IncomingMigration {
  job: MigrationJob;
  cookie: MigrationCookie | null;
  releasePort: () => void;
  /** The object existed (defined) before the prepare step. */
  existed: boolean;
  /** A storage copy's NBD server: its port, and what removes the disks prepare created. */
  nbd?: { releasePort: () => void; removeCreated: () => Promise<void> };
}

export interface DomainMigrationState {
  job: MigrationJob | undefined;
  completed: JobStats | undefined;
  /** The domain ran before the source paused it for the move (restored when it fails). */
  wasRunning: boolean;
  incoming: IncomingMigration | undefined;
  /** The connection whose close abandons this migration between its steps (control.ts). */
  controller: symbol | undefined;
  /** virDomainMigrateSetMaxDowntime, ms (QEMU's default 300). */
  maxDowntime: number;
  /** virDomainMigrateSetMaxSpeed, MiB/s; libvirt's default is "unlimited". */
  maxSpeed: number;
  maxSpeedPostcopy: number;
  /** virDomainMigrateSetCompressionCache, bytes (QEMU's default 64 MiB). */
  compressionCache: number;
  /** QEMU's migration settings before the running move changed them, put back after it. */
  savedSettings: SavedMigrationSettings | undefined;
}

/** libvirt's QEMU_DOMAIN_MIG_BANDWIDTH_MAX: the largest MiB/s QEMU accepts (INT64_MAX bytes/s). */
export const BANDWIDTH_MAX = Math.floor(Number.MAX_SAFE_INTEGER / (1024 * 1024));

export function migrationStateOf(obj: QemuDomainObj): DomainMigrationState {
  return obj.extension<DomainMigrationState>('migration', () => ({
    job: undefined,
    completed: undefined,
    wasRunning: false,
    incoming: undefined,
    controller: undefined,
    maxDowntime: 300,
    maxSpeed: BANDWIDTH_MAX,
    maxSpeedPostcopy: 0,
    compressionCache: 64 * 1024 * 1024,
    savedSettings: undefined,
  }));
}

/** The next step arrived (on whichever connection: libvirt removes the close callback for any). */
export function letGo(obj: QemuDomainObj): void {
  migrationStateOf(obj).controller = undefined;
}
