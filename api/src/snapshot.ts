/** Domain snapshots: creation, listing, navigation, revert and deletion. */
import type { CallDef } from './dsl';

/** virDomainSnapshotCreateFlags: flags of virDomainSnapshotCreateXML. */
export enum DomainSnapshotCreateFlags {
  /** restore or alter metadata */
  VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = 1 << 0,
  /** with REDEFINE, make the snapshot current */
  VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = 1 << 1,
  /** do not keep metadata */
  VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = 1 << 2,
  /** stop the guest after the snapshot */
  VIR_DOMAIN_SNAPSHOT_CREATE_HALT = 1 << 3,
  /** disks only, no memory state */
  VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = 1 << 4,
  /** reuse existing external files */
  VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = 1 << 5,
  /** quiesce guest file systems through the agent */
  VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = 1 << 6,
  /** all or nothing */
  VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = 1 << 7,
  /** keep the guest running while snapshotting */
  VIR_DOMAIN_SNAPSHOT_CREATE_LIVE = 1 << 8,
  /** validate the XML against the schema */
  VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE = 1 << 9,
}

/** virDomainSnapshotXMLFlags: flags of virDomainSnapshotGetXMLDesc. */
export enum DomainSnapshotXMLFlags {
  /** include security-sensitive data (same bit as VIR_DOMAIN_XML_SECURE) */
  VIR_DOMAIN_SNAPSHOT_XML_SECURE = 1 << 0,
}

/** virDomainSnapshotListFlags: listing and filtering flags; bit 0 means ROOTS on a domain and DESCENDANTS on a snapshot. */
export enum DomainSnapshotListFlags {
  /** only snapshots without a parent (domain listings) */
  VIR_DOMAIN_SNAPSHOT_LIST_ROOTS = 1 << 0,
  /** all descendants, not just children (snapshot listings) */
  VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = 1 << 0,
  /** only snapshots with metadata */
  VIR_DOMAIN_SNAPSHOT_LIST_METADATA = 1 << 1,
  /** only snapshots without children */
  VIR_DOMAIN_SNAPSHOT_LIST_LEAVES = 1 << 2,
  /** only snapshots with children */
  VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = 1 << 3,
  /** only snapshots without metadata */
  VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA = 1 << 4,
  /** only snapshots taken while shut off */
  VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE = 1 << 5,
  /** only snapshots taken while running, with memory */
  VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE = 1 << 6,
  /** only disk-only snapshots of a running guest */
  VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = 1 << 7,
  /** only snapshots stored inside the disk images */
  VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL = 1 << 8,
  /** only snapshots using external files */
  VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL = 1 << 9,
  /** parents before children in the result */
  VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = 1 << 10,
}

/** virDomainSnapshotRevertFlags: flags of virDomainRevertToSnapshot. */
export enum DomainSnapshotRevertFlags {
  /** run after reverting */
  VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1 << 0,
  /** pause after reverting */
  VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED = 1 << 1,
  /** allow risky reverts */
  VIR_DOMAIN_SNAPSHOT_REVERT_FORCE = 1 << 2,
  /** re-initialize NVRAM from its template */
  VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM = 1 << 3,
}

/** virDomainSnapshotDeleteFlags: flags of virDomainSnapshotDelete. */
export enum DomainSnapshotDeleteFlags {
  /** also delete the children */
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = 1 << 0,
  /** delete only the metadata */
  VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = 1 << 1,
  /** delete only the children */
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY = 1 << 2,
}

export const domainSnapshotCreateXML: CallDef = {
  c: 'virDomainSnapshotCreateXML',
  object: 'Domain',
  name: 'snapshotCreateXML',
  doc: 'Take a snapshot of the domain as described by the snapshot XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the snapshot XML', wire: 'xml_desc' }],
  flags: 'DomainSnapshotCreateFlags',
  returns: 'DomainSnapshot',
  since: '0.1.0',
  acl: ['domain:snapshot'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 185,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML',
    args: [
      ['dom', 'Dom'],
      ['xml_desc', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['snap', 'Snap']],
  },
  python: 'snapshotCreateXML',
};

export const domainListAllSnapshots: CallDef = {
  c: 'virDomainListAllSnapshots',
  object: 'Domain',
  name: 'listAllSnapshots',
  doc: 'Every snapshot of the domain matching the filter flags.',
  params: [],
  flags: 'DomainSnapshotListFlags',
  returns: 'DomainSnapshot[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 274,
    procName: 'REMOTE_PROC_DOMAIN_LIST_ALL_SNAPSHOTS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['snapshots', 'Snap<16384>'],
      ['ret', 'int'],
    ],
  },
  python: 'listAllSnapshots',
};

export const domainSnapshotNum: CallDef = {
  c: 'virDomainSnapshotNum',
  object: 'Domain',
  name: 'snapshotNum',
  doc: 'The number of snapshots of the domain matching the filter flags.',
  params: [],
  flags: 'DomainSnapshotListFlags',
  returns: 'int',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 187,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_NUM',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['num', 'int']],
  },
  python: 'snapshotNum',
};

export const domainSnapshotListNames: CallDef = {
  c: 'virDomainSnapshotListNames',
  object: 'Domain',
  name: 'snapshotListNames',
  doc: 'Names of the snapshots of the domain matching the filter flags.',
  params: [{ name: 'nameslen', type: 'int', doc: 'the largest number of names to return', wire: 'maxnames' }],
  flags: 'DomainSnapshotListFlags',
  returns: 'string[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 188,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_NAMES',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['maxnames', 'int'],
      ['flags', 'uint'],
    ],
    ret: [['names', 'string<16384>']],
  },
  python: 'snapshotListNames',
};

export const domainSnapshotLookupByName: CallDef = {
  c: 'virDomainSnapshotLookupByName',
  object: 'Domain',
  name: 'snapshotLookupByName',
  doc: 'A handle to the snapshot of the domain with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the snapshot name' }],
  flags: 'reserved',
  returns: 'DomainSnapshot',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 189,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_LOOKUP_BY_NAME',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['name', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['snap', 'Snap']],
  },
  python: 'snapshotLookupByName',
};

export const domainHasCurrentSnapshot: CallDef = {
  c: 'virDomainHasCurrentSnapshot',
  object: 'Domain',
  name: 'hasCurrentSnapshot',
  doc: 'Whether the domain has a current snapshot.',
  params: [],
  flags: 'reserved',
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 190,
    procName: 'REMOTE_PROC_DOMAIN_HAS_CURRENT_SNAPSHOT',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'int']],
  },
  python: 'hasCurrentSnapshot',
};

export const domainSnapshotCurrent: CallDef = {
  c: 'virDomainSnapshotCurrent',
  object: 'Domain',
  name: 'snapshotCurrent',
  doc: 'A handle to the current snapshot of the domain.',
  params: [],
  flags: 'reserved',
  returns: 'DomainSnapshot',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 191,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_CURRENT',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['snap', 'Snap']],
  },
  python: 'snapshotCurrent',
};

export const domainSnapshotGetXMLDesc: CallDef = {
  c: 'virDomainSnapshotGetXMLDesc',
  object: 'DomainSnapshot',
  name: 'getXMLDesc',
  doc: 'The XML description of the snapshot.',
  params: [],
  flags: 'DomainSnapshotXMLFlags',
  returns: 'xml',
  since: '0.1.0',
  acl: ['domain:read', 'domain:read_secure:VIR_DOMAIN_SNAPSHOT_XML_SECURE'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 186,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_GET_XML_DESC',
    priority: 'high',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'getXMLDesc',
};

export const domainSnapshotGetParent: CallDef = {
  c: 'virDomainSnapshotGetParent',
  object: 'DomainSnapshot',
  name: 'getParent',
  doc: 'A handle to the parent of the snapshot; fails when it has none.',
  params: [],
  flags: 'reserved',
  returns: 'DomainSnapshot',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 244,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_GET_PARENT',
    priority: 'high',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [['snap', 'Snap']],
  },
  python: 'getParent',
};

export const domainSnapshotListAllChildren: CallDef = {
  c: 'virDomainSnapshotListAllChildren',
  object: 'DomainSnapshot',
  name: 'listAllChildren',
  doc: 'Children (or all descendants) of the snapshot matching the filter flags.',
  params: [],
  flags: 'DomainSnapshotListFlags',
  returns: 'DomainSnapshot[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 275,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN',
    priority: 'high',
    args: [
      ['snapshot', 'Snap'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['snapshots', 'Snap<16384>'],
      ['ret', 'int'],
    ],
  },
  python: 'listAllChildren',
};

export const domainSnapshotNumChildren: CallDef = {
  c: 'virDomainSnapshotNumChildren',
  object: 'DomainSnapshot',
  name: 'numChildren',
  doc: 'The number of children (or descendants) of the snapshot.',
  params: [],
  flags: 'DomainSnapshotListFlags',
  returns: 'int',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 246,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_NUM_CHILDREN',
    priority: 'high',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [['num', 'int']],
  },
  python: 'numChildren',
};

export const domainSnapshotListChildrenNames: CallDef = {
  c: 'virDomainSnapshotListChildrenNames',
  object: 'DomainSnapshot',
  name: 'listChildrenNames',
  doc: 'Names of the children (or descendants) of the snapshot.',
  params: [{ name: 'nameslen', type: 'int', doc: 'the largest number of names to return', wire: 'maxnames' }],
  flags: 'DomainSnapshotListFlags',
  returns: 'string[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 247,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES',
    priority: 'high',
    args: [
      ['snap', 'Snap'],
      ['maxnames', 'int'],
      ['flags', 'uint'],
    ],
    ret: [['names', 'string<16384>']],
  },
  python: 'listChildrenNames',
};

export const domainSnapshotIsCurrent: CallDef = {
  c: 'virDomainSnapshotIsCurrent',
  object: 'DomainSnapshot',
  name: 'isCurrent',
  doc: 'Whether this is the current snapshot of its domain.',
  params: [],
  flags: 'reserved',
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 271,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_IS_CURRENT',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [['current', 'int']],
  },
  python: 'isCurrent',
};

export const domainSnapshotHasMetadata: CallDef = {
  c: 'virDomainSnapshotHasMetadata',
  object: 'DomainSnapshot',
  name: 'hasMetadata',
  doc: 'Whether libvirt keeps metadata for the snapshot.',
  params: [],
  flags: 'reserved',
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 272,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_HAS_METADATA',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [['metadata', 'int']],
  },
  python: 'hasMetadata',
};

export const domainRevertToSnapshot: CallDef = {
  c: 'virDomainRevertToSnapshot',
  object: 'DomainSnapshot',
  name: 'revert',
  doc: 'Revert the domain to the state captured by the snapshot.',
  params: [],
  flags: 'DomainSnapshotRevertFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:snapshot'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 192,
    procName: 'REMOTE_PROC_DOMAIN_REVERT_TO_SNAPSHOT',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'revertToSnapshot',
};

export const domainSnapshotDelete: CallDef = {
  c: 'virDomainSnapshotDelete',
  object: 'DomainSnapshot',
  name: 'delete',
  doc: 'Delete the snapshot and, as the flags ask, its children.',
  params: [],
  flags: 'DomainSnapshotDeleteFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:snapshot'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 193,
    procName: 'REMOTE_PROC_DOMAIN_SNAPSHOT_DELETE',
    args: [
      ['snap', 'Snap'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delete',
};

export const domainSnapshotGetName: CallDef = {
  c: 'virDomainSnapshotGetName',
  object: 'DomainSnapshot',
  name: 'getName',
  doc: 'The snapshot name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'getName',
};

export const domainSnapshotGetDomain: CallDef = {
  c: 'virDomainSnapshotGetDomain',
  object: 'DomainSnapshot',
  name: 'getDomain',
  doc: 'The domain this snapshot belongs to.',
  params: [],
  returns: 'Domain',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'getDomain',
};
