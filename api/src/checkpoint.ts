/** Domain checkpoints: creation, listing, navigation and deletion. */
import type { CallDef } from './dsl';

/** virDomainCheckpointCreateFlags: flags of virDomainCheckpointCreateXML. */
export enum DomainCheckpointCreateFlags {
  /** restore or alter metadata */
  VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE = 1 << 0,
  /** quiesce guest file systems through the agent */
  VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE = 1 << 1,
  /** with REDEFINE, check the disk bitmaps */
  VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE = 1 << 2,
}

/** virDomainCheckpointXMLFlags: flags of virDomainCheckpointGetXMLDesc. */
export enum DomainCheckpointXMLFlags {
  /** include security-sensitive data */
  VIR_DOMAIN_CHECKPOINT_XML_SECURE = 1 << 0,
  /** omit the <domain> sub-element */
  VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN = 1 << 1,
  /** include the current size of each disk */
  VIR_DOMAIN_CHECKPOINT_XML_SIZE = 1 << 2,
}

/** virDomainCheckpointListFlags: listing flags; bit 0 means ROOTS on a domain and DESCENDANTS on a checkpoint. */
export enum DomainCheckpointListFlags {
  /** only checkpoints without a parent (domain listings) */
  VIR_DOMAIN_CHECKPOINT_LIST_ROOTS = 1 << 0,
  /** all descendants, not just children (checkpoint listings) */
  VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS = 1 << 0,
  /** parents before children in the result */
  VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL = 1 << 1,
  /** only checkpoints without children */
  VIR_DOMAIN_CHECKPOINT_LIST_LEAVES = 1 << 2,
  /** only checkpoints with children */
  VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES = 1 << 3,
}

/** virDomainCheckpointDeleteFlags: flags of virDomainCheckpointDelete. */
export enum DomainCheckpointDeleteFlags {
  /** also delete the children */
  VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN = 1 << 0,
  /** delete only the metadata */
  VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY = 1 << 1,
  /** delete only the children */
  VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY = 1 << 2,
}

export const domainCheckpointCreateXML: CallDef = {
  c: 'virDomainCheckpointCreateXML',
  object: 'Domain',
  name: 'checkpointCreateXML',
  doc: 'Create a checkpoint of the domain disks as described by the checkpoint XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the checkpoint XML', wire: 'xml_desc' }],
  flags: 'DomainCheckpointCreateFlags',
  returns: 'DomainCheckpoint',
  since: '0.1.0',
  acl: ['domain:checkpoint'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 411,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_CREATE_XML',
    args: [
      ['dom', 'Dom'],
      ['xml_desc', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['checkpoint', 'Chk']],
  },
  python: 'checkpointCreateXML',
};

export const domainListAllCheckpoints: CallDef = {
  c: 'virDomainListAllCheckpoints',
  object: 'Domain',
  name: 'listAllCheckpoints',
  doc: 'Every checkpoint of the domain matching the filter flags.',
  params: [],
  flags: 'DomainCheckpointListFlags',
  returns: 'DomainCheckpoint[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 413,
    procName: 'REMOTE_PROC_DOMAIN_LIST_ALL_CHECKPOINTS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['checkpoints', 'Chk<16384>'],
      ['ret', 'int'],
    ],
  },
  python: 'listAllCheckpoints',
};

export const domainCheckpointLookupByName: CallDef = {
  c: 'virDomainCheckpointLookupByName',
  object: 'Domain',
  name: 'checkpointLookupByName',
  doc: 'A handle to the checkpoint of the domain with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the checkpoint name' }],
  flags: 'reserved',
  returns: 'DomainCheckpoint',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 415,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_LOOKUP_BY_NAME',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['name', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['checkpoint', 'Chk']],
  },
  python: 'checkpointLookupByName',
};

export const domainCheckpointGetXMLDesc: CallDef = {
  c: 'virDomainCheckpointGetXMLDesc',
  object: 'DomainCheckpoint',
  name: 'getXMLDesc',
  doc: 'The XML description of the checkpoint.',
  params: [],
  flags: 'DomainCheckpointXMLFlags',
  returns: 'xml',
  since: '0.1.0',
  acl: ['domain:read', 'domain:read_secure:VIR_DOMAIN_CHECKPOINT_XML_SECURE'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 412,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_GET_XML_DESC',
    args: [
      ['checkpoint', 'Chk'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'getXMLDesc',
};

export const domainCheckpointGetParent: CallDef = {
  c: 'virDomainCheckpointGetParent',
  object: 'DomainCheckpoint',
  name: 'getParent',
  doc: 'A handle to the parent of the checkpoint; fails when it has none.',
  params: [],
  flags: 'reserved',
  returns: 'DomainCheckpoint',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 416,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_GET_PARENT',
    priority: 'high',
    args: [
      ['checkpoint', 'Chk'],
      ['flags', 'uint'],
    ],
    ret: [['parent', 'Chk']],
  },
  python: 'getParent',
};

export const domainCheckpointListAllChildren: CallDef = {
  c: 'virDomainCheckpointListAllChildren',
  object: 'DomainCheckpoint',
  name: 'listAllChildren',
  doc: 'Children (or all descendants) of the checkpoint matching the filter flags.',
  params: [],
  flags: 'DomainCheckpointListFlags',
  returns: 'DomainCheckpoint[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 414,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN',
    priority: 'high',
    args: [
      ['checkpoint', 'Chk'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['checkpoints', 'Chk<16384>'],
      ['ret', 'int'],
    ],
  },
  python: 'listAllChildren',
};

export const domainCheckpointDelete: CallDef = {
  c: 'virDomainCheckpointDelete',
  object: 'DomainCheckpoint',
  name: 'delete',
  doc: 'Delete the checkpoint and, as the flags ask, its children.',
  params: [],
  flags: 'DomainCheckpointDeleteFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:checkpoint'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 417,
    procName: 'REMOTE_PROC_DOMAIN_CHECKPOINT_DELETE',
    args: [
      ['checkpoint', 'Chk'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delete',
};

export const domainCheckpointGetName: CallDef = {
  c: 'virDomainCheckpointGetName',
  object: 'DomainCheckpoint',
  name: 'getName',
  doc: 'The checkpoint name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'getName',
};
