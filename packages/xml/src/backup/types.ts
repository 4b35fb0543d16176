/** The domain backup model (libvirt's virDomainBackupDef). */
import type { DiskSource, NetHost } from '../storage-source';

export const BACKUP_TYPES = ['default', 'push', 'pull'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

/** Per-disk job state, in status XML only. */
export const BACKUP_DISK_STATES = ['', 'running', 'complete', 'failed', 'cancelling', 'cancelled'] as const;
export type BackupDiskState = (typeof BACKUP_DISK_STATES)[number];

export const BACKUP_DISK_MODES = ['', 'full', 'incremental'] as const;
export type BackupDiskMode = (typeof BACKUP_DISK_MODES)[number];

export interface BackupDiskDef {
  name: string;
  backup: 'yes' | 'no';
  state?: Exclude<BackupDiskState, ''>;
  backupmode?: Exclude<BackupDiskMode, ''>;
  incremental?: string;
  exportname?: string;
  exportbitmap?: string;
  /** Push: the target; pull: the scratch image. */
  store?: DiskSource;
}

export interface DomainBackupDef {
  type: Exclude<BackupType, 'default'>;
  incremental?: string;
  server?: NetHost;
  tls?: 'yes' | 'no';
  disks: BackupDiskDef[];
  /** Status XML private data. */
  tlsAlias?: string;
  tlsSecretAlias?: string;
}

export interface BackupParseOptions {
  /** VIR_DOMAIN_BACKUP_PARSE_INTERNAL: status XML (disk state, index, private data). */
  internal?: boolean;
}

export interface BackupFormatOptions {
  internal?: boolean;
}

/** The part of a domain disk that backup alignment looks at. */
export interface BackupDomainDisk {
  /** Target name (`vda`). */
  dst: string;
  src: DiskSource & { readonly?: boolean };
}
