/** The domain snapshot model (libvirt's virDomainSnapshotDef). */
import type { XmlElement } from '../tree';
import type { DiskSource } from '../storage-source';
import type { EmbeddedDomain, MomentDef } from '../moment';

/** virDomainSnapshotState: the domain states plus `disk-snapshot`. */
export const SNAPSHOT_STATES = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
  'disk-snapshot',
] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

/** virDomainSnapshotLocation. */
export const SNAPSHOT_LOCATIONS = ['default', 'no', 'internal', 'external', 'manual'] as const;
export type SnapshotLocation = (typeof SNAPSHOT_LOCATIONS)[number];

export interface SnapshotDiskDef {
  name: string;
  snapshot: SnapshotLocation;
  src: DiskSource;
}

export interface DomainSnapshotDef extends MomentDef {
  /** 'nostate' = unset. */
  state: SnapshotState;
  memory: SnapshotLocation;
  memoryFile?: string;
  disks: SnapshotDiskDef[];
  dom?: EmbeddedDomain;
  inactiveDom?: EmbeddedDomain;
  /** The driver's save cookie (QEMU: guest CPU and helpers), kept as read. */
  cookie?: XmlElement;
}

export interface SnapshotParseOptions {
  /** VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE: the document describes an existing snapshot. */
  redefine?: boolean;
  /** VIR_DOMAIN_SNAPSHOT_PARSE_INTERNAL: read `<active>` (the result's `current`). */
  internal?: boolean;
  /** VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE: the domain is not running (no save cookie). */
  offline?: boolean;
  /**
   * Post-parse for a new snapshot (not redefine). Default: libvirt's — creation time now, name
   * defaults to it. Harnesses pass their own.
   */
  postParse?: (def: DomainSnapshotDef) => void;
  /**
   * Refuse names libvirt's drivers refuse (containing '/', starting with '.'); default true.
   * Off for VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA.
   */
  validateName?: boolean;
}

export interface SnapshotParseResult {
  def: DomainSnapshotDef;
  /** With `internal`: the `<active>` value was non-zero. */
  current: boolean;
}

export interface SnapshotFormatOptions {
  /** UUID written as `<domain><uuid>` when there is no embedded definition. */
  domainUuid?: string;
  secure?: boolean;
  /** VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL: write `<active>`. */
  internal?: boolean;
  /** VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT: `<active>1</active>`. */
  current?: boolean;
}
