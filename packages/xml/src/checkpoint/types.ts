/** The domain checkpoint model (libvirt's virDomainCheckpointDef). */
import type { EmbeddedDomain, MomentDef } from '../moment';

export const CHECKPOINT_TYPES = ['default', 'no', 'bitmap'] as const;
export type CheckpointType = (typeof CHECKPOINT_TYPES)[number];

export interface CheckpointDiskDef {
  /** Unnamed entries are never written. */
  name?: string;
  type: CheckpointType;
  bitmap?: string;
  /** Bytes of guest data changed since the checkpoint (with the size flag). */
  size?: bigint;
}

export interface DomainCheckpointDef extends MomentDef {
  disks: CheckpointDiskDef[];
  dom?: EmbeddedDomain;
}

export interface CheckpointParseOptions {
  /** VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE. */
  redefine?: boolean;
  /** Post-parse for a new checkpoint; default libvirt's (creation time now, name from it). */
  postParse?: (def: DomainCheckpointDef) => void;
}

export interface CheckpointFormatOptions {
  secure?: boolean;
  /** VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN. */
  noDomain?: boolean;
  /** VIR_DOMAIN_CHECKPOINT_FORMAT_SIZE. */
  size?: boolean;
}
