/**
 * A backup job as the domain's status file keeps it, so that a driver opening the root after
 * the one that began the job (a new embed process, a restarted daemon) takes it over: follows
 * it to its end, or — when it ended meanwhile — ends it as the beginning driver would have
 * (QEMU jobs dismissed, target and scratch nodes deleted, bitmaps and files handled, the
 * outcome kept for the completed-job statistics). Written before the first node or file is
 * made ('starting'), updated when the QEMU jobs run and as each concludes, removed at the end.
 */
import type { DiskJob } from './job';

export interface BackupRecord {
  /** 'starting': nodes and files may exist, the QEMU jobs may not; 'running': they were started. */
  phase: 'starting' | 'running';
  pull: boolean;
  /** The job's definition (formatBackupXml), for virDomainBackupGetXMLDesc. */
  xml: string;
  startedAt: number;
  aborting: boolean;
  /** Pull: the NBD server and exports were started. */
  exported: boolean;
  /** The checkpoint created with the job (its XML, secrets included), until its metadata is stored. */
  checkpoint?: string;
  disks: DiskJob[];
}

/** The record key in the status file. */
export const BACKUP_STATUS_KEY = 'backup';
