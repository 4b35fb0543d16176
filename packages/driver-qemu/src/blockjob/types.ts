import { type DomainDef } from '@virtkit/xml';
import type { QmpTransport } from '../qmp/client';

/** One layer of a disk's backing chain, as the definition records it. */
export interface ChainLayer {
  /** Absolute image path (file or block device). */
  path: string;
  /** Image format (`qcow2`, `raw`, ...). */
  format: string;
  /** Storage type: `file` or `block`. */
  type: string;
}

/** How a job changes a chain (top first). */
export interface Plan {
  /** A DomainBlockJobType value. */
  type: number;
  /** The chain after a successful end (after the pivot, for two-phase jobs). */
  after: ChainLayer[];
  /** Images that leave the chain then. */
  dropped: ChainLayer[];
  /** Delete the dropped images' files (commit DELETE flag). */
  deleteDropped?: boolean;
  /** Images to let go of when the job ends without switching (a copy target). */
  discardOnAbort?: ChainLayer[];
}

export type JobState = 'running' | 'ready' | 'aborting' | 'pivoting';

/**
 * An online job as the domain's status file keeps it, so that a driver re-attaching to the
 * running QEMU takes the job back (libvirt keeps its block jobs in the status XML likewise).
 */
export interface JobRecord {
  dst: string;
  /** QEMU's job id. */
  jobId: string;
  /** Active layer path when the job started (what a pivot moves the disk away from). */
  path: string;
  plan: Plan;
  state: JobState;
}

/** A block job event payload; the connection adds `dom` before publishing it. */
export interface BlockJobEvent {
  /** VIR_DOMAIN_EVENT_ID_BLOCK_JOB (payload `path`) or VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 (payload `dst`). */
  eventId: number;
  /** Disk source path (BLOCK_JOB): the disk's image when the event is sent (after a pivot, the new one). */
  path?: string;
  /** Disk target name (BLOCK_JOB_2). */
  dst?: string;
  /** A DomainBlockJobType value. */
  type: number;
  /** A ConnectDomainEventBlockJobStatus value. */
  status: number;
}

/** What the engine needs from the connection for one domain. */
export interface BlockJobHost {
  /** The monitor of the running QEMU, or undefined while the domain is shut off. */
  qmp(): QmpTransport | undefined;
  /** The definition the jobs read and update: the live one while running, else the persistent one. */
  def(): DomainDef;
  /** Store the definition after a job changed a disk's chain (status file or config, atomically). */
  save(def: DomainDef): Promise<void>;
  /** Publish an event (both BLOCK_JOB and BLOCK_JOB_2 are sent, as libvirt does). */
  emit(event: BlockJobEvent): void;
  /** Keep the online jobs with the running domain (its status file); all of them each time. */
  persist?(records: JobRecord[]): Promise<void>;
  /** qemu-img binary; default `qemu-img` from PATH. */
  qemuImg?: string;
}

/** Progress as query-block-jobs reports it (bytes). */
export interface RawProgress {
  cur: number;
  end: number;
  /** Current speed limit in bytes/s; 0 for none. */
  speed: number;
  /** Whether a two-phase job reached its ready phase (undefined when the runner cannot tell). */
  ready?: boolean;
}

/** How a job's work ended, as its runner saw it. */
export type RunnerOutcome = { kind: 'completed' } | { kind: 'cancelled' } | { kind: 'failed'; error: string };

/** Callbacks from a runner to the engine. */
export interface RunnerEvents {
  ready(): void;
  ended(outcome: RunnerOutcome): void;
}

/** The running half of a job: QMP block job or qemu-img process. */
export interface JobRunner {
  /** Change the speed limit (bytes/s, 0 = none). */
  setSpeed(bytesPerSec: number): Promise<void>;
  /** Ask the job to stop; the end is reported through RunnerEvents.ended. */
  cancel(): Promise<void>;
  /** Switch to the new image of a ready two-phase job (pivot). */
  complete(): Promise<void>;
  progress(): Promise<RawProgress | undefined>;
  /** Release what the job held in QEMU for the images that left the chain (block nodes). */
  release(dropped: readonly ChainLayer[]): Promise<void>;
}
