/** What one contender's round yields: seconds from the backupBegin call to JOB_COMPLETED, and the targets. */
export interface BackupRound {
  fullS: number;
  incS: number;
  idleS: number;
  /** Target files of the three backups. */
  full: string;
  inc: string;
  idle: string;
}
