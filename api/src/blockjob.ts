/** Block jobs: commit, pull, rebase, copy, and their control. */
import type { CallDef, StructDef } from './dsl';

/** virDomainBlockJobType: the kind of a block job. */
export enum DomainBlockJobType {
  /** placeholder */
  VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN = 0,
  /** block pull (ends on completion) */
  VIR_DOMAIN_BLOCK_JOB_TYPE_PULL = 1,
  /** block copy (mirrors until aborted or pivoted) */
  VIR_DOMAIN_BLOCK_JOB_TYPE_COPY = 2,
  /** commit of a non-active layer (ends on completion) */
  VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT = 3,
  /** commit of the active layer (syncs until aborted or pivoted) */
  VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT = 4,
  /** backup job */
  VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP = 5,
}

/** virConnectDomainEventBlockJobStatus: status reported by block job events. */
export enum ConnectDomainEventBlockJobStatus {
  /** finished */
  VIR_DOMAIN_BLOCK_JOB_COMPLETED = 0,
  /** failed */
  VIR_DOMAIN_BLOCK_JOB_FAILED = 1,
  /** cancelled */
  VIR_DOMAIN_BLOCK_JOB_CANCELED = 2,
  /** in sync, ready to pivot */
  VIR_DOMAIN_BLOCK_JOB_READY = 3,
}

/** virDomainBlockJobAbortFlags: flags of virDomainBlockJobAbort. */
export enum DomainBlockJobAbortFlags {
  /** return without waiting for the job to end */
  VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC = 1 << 0,
  /** switch to the new image when ending a copy or active commit */
  VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT = 1 << 1,
}

/** virDomainBlockJobInfoFlags: flags of virDomainGetBlockJobInfo. */
export enum DomainBlockJobInfoFlags {
  /** report bandwidth in bytes/s instead of MiB/s */
  VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES = 1 << 0,
}

/** virDomainBlockJobSetSpeedFlags: flags of virDomainBlockJobSetSpeed. */
export enum DomainBlockJobSetSpeedFlags {
  /** bandwidth is in bytes/s instead of MiB/s */
  VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES = 1 << 0,
}

/** virDomainBlockPullFlags: flags of virDomainBlockPull (a subset of the rebase bits). */
export enum DomainBlockPullFlags {
  /** bandwidth is in bytes/s instead of MiB/s */
  VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES = 1 << 6,
}

/** virDomainBlockRebaseFlags: flags of virDomainBlockRebase. */
export enum DomainBlockRebaseFlags {
  /** copy only the top of the source chain */
  VIR_DOMAIN_BLOCK_REBASE_SHALLOW = 1 << 0,
  /** reuse an existing destination file */
  VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT = 1 << 1,
  /** make the destination raw */
  VIR_DOMAIN_BLOCK_REBASE_COPY_RAW = 1 << 2,
  /** start a copy job */
  VIR_DOMAIN_BLOCK_REBASE_COPY = 1 << 3,
  /** keep relative backing names */
  VIR_DOMAIN_BLOCK_REBASE_RELATIVE = 1 << 4,
  /** the destination is a block device */
  VIR_DOMAIN_BLOCK_REBASE_COPY_DEV = 1 << 5,
  /** bandwidth is in bytes/s instead of MiB/s */
  VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES = 1 << 6,
}

/** virDomainBlockCopyFlags: flags of virDomainBlockCopy. */
export enum DomainBlockCopyFlags {
  /** copy only the top of the source chain */
  VIR_DOMAIN_BLOCK_COPY_SHALLOW = 1 << 0,
  /** reuse an existing destination file */
  VIR_DOMAIN_BLOCK_COPY_REUSE_EXT = 1 << 1,
  /** do not insist on a job that survives restarts */
  VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB = 1 << 2,
  /** propagate guest writes synchronously so the copy converges */
  VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES = 1 << 3,
}

/** virDomainBlockCommitFlags: flags of virDomainBlockCommit. */
export enum DomainBlockCommitFlags {
  /** a null base means the next backing file, not the whole chain */
  VIR_DOMAIN_BLOCK_COMMIT_SHALLOW = 1 << 0,
  /** delete the images that became unused */
  VIR_DOMAIN_BLOCK_COMMIT_DELETE = 1 << 1,
  /** allow a two-phase commit of the active layer */
  VIR_DOMAIN_BLOCK_COMMIT_ACTIVE = 1 << 2,
  /** keep relative backing names */
  VIR_DOMAIN_BLOCK_COMMIT_RELATIVE = 1 << 3,
  /** bandwidth is in bytes/s instead of MiB/s */
  VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES = 1 << 4,
}

/** virDomainBlockJobInfo. */
export const BlockJobInfo: StructDef = {
  name: 'BlockJobInfo',
  c: 'virDomainBlockJobInfo',
  doc: 'Kind, speed and progress of a block job.',
  fields: [
    { name: 'type', type: 'int', doc: 'a DomainBlockJobType value' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit, MiB/s or bytes/s as the flags asked' },
    { name: 'cur', type: 'ulong', doc: 'current position, between 0 and end' },
    { name: 'end', type: 'ulong', doc: 'position that means completion' },
  ],
};

export const domainBlockCommit: CallDef = {
  c: 'virDomainBlockCommit',
  object: 'Domain',
  name: 'blockCommit',
  doc: 'Merge the images between top and base of a disk backing chain down into base.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path' },
    { name: 'base', type: 'string?', doc: 'the image to commit into, or null for the deepest' },
    { name: 'top', type: 'string?', doc: 'the topmost image to commit, or null for the active layer' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s (bytes/s with the BANDWIDTH_BYTES flag); 0 for none' },
  ],
  flags: 'DomainBlockCommitFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 290,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_COMMIT',
    args: [
      ['dom', 'Dom'],
      ['disk', 'string'],
      ['base', 'string?'],
      ['top', 'string?'],
      ['bandwidth', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockCommit',
};

export const domainBlockPull: CallDef = {
  c: 'virDomainBlockPull',
  object: 'Domain',
  name: 'blockPull',
  doc: 'Populate a disk image with the data of its whole backing chain.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s (bytes/s with the BANDWIDTH_BYTES flag); 0 for none' },
  ],
  flags: 'DomainBlockPullFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 240,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_PULL',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['bandwidth', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockPull',
};

export const domainBlockRebase: CallDef = {
  c: 'virDomainBlockRebase',
  object: 'Domain',
  name: 'blockRebase',
  doc: 'Pull the backing chain above base into the disk image, or start a copy job with the COPY flag.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' },
    { name: 'base', type: 'string?', doc: 'the new backing image, or null to flatten (the destination with COPY)' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s (bytes/s with the BANDWIDTH_BYTES flag); 0 for none' },
  ],
  flags: 'DomainBlockRebaseFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 266,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_REBASE',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['base', 'string?'],
      ['bandwidth', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockRebase',
};

export const domainBlockCopy: CallDef = {
  c: 'virDomainBlockCopy',
  object: 'Domain',
  name: 'blockCopy',
  doc: 'Start copying a disk to the destination described by disk XML, mirroring guest writes.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' },
    { name: 'destxml', type: 'xml', doc: 'disk XML of the destination' },
    { name: 'params', type: 'TypedParams', doc: 'tunables: bandwidth, granularity, buf-size' },
  ],
  flags: 'DomainBlockCopyFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 345,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_COPY',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['destxml', 'string'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockCopy',
};

export const domainBlockJobAbort: CallDef = {
  c: 'virDomainBlockJobAbort',
  object: 'Domain',
  name: 'blockJobAbort',
  doc: 'Cancel the block job of a disk, or pivot to the new image with the PIVOT flag.',
  params: [{ name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' }],
  flags: 'DomainBlockJobAbortFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 237,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_JOB_ABORT',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockJobAbort',
};

export const domainGetBlockJobInfo: CallDef = {
  c: 'virDomainGetBlockJobInfo',
  object: 'Domain',
  name: 'getBlockJobInfo',
  doc: 'Progress of the block job of a disk, or null when none runs.',
  params: [{ name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' }],
  flags: 'DomainBlockJobInfoFlags',
  returns: 'BlockJobInfo?',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 238,
    procName: 'REMOTE_PROC_DOMAIN_GET_BLOCK_JOB_INFO',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['flags', 'uint'],
    ],
    ret: [
      ['found', 'int'],
      ['type', 'int'],
      ['bandwidth', 'uhyper'],
      ['cur', 'uhyper'],
      ['end', 'uhyper'],
    ],
  },
  python: 'blockJobInfo',
};

export const domainBlockJobSetSpeed: CallDef = {
  c: 'virDomainBlockJobSetSpeed',
  object: 'Domain',
  name: 'blockJobSetSpeed',
  doc: 'Change the speed limit of the block job of a disk.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s (bytes/s with the BANDWIDTH_BYTES flag); 0 for none' },
  ],
  flags: 'DomainBlockJobSetSpeedFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 239,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_JOB_SET_SPEED',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['bandwidth', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockJobSetSpeed',
};
