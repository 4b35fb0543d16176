/** Domain state and metadata calls managers use: NMI, guest power management, rename, metadata. */
import type { CallDef } from './dsl';

/** virDomainMetadataType: which metadata virDomainSetMetadata / GetMetadata handle. */
export enum DomainMetadataType {
  /** the `<description>` text */
  VIR_DOMAIN_METADATA_DESCRIPTION = 0,
  /** the `<title>` text */
  VIR_DOMAIN_METADATA_TITLE = 1,
  /** an element of an application's namespace under `<metadata>` */
  VIR_DOMAIN_METADATA_ELEMENT = 2,
}

/** virNodeSuspendTarget: the sleep state a guest (or host) suspends to. */
export enum NodeSuspendTarget {
  /** suspend to RAM (S3) */
  VIR_NODE_SUSPEND_TARGET_MEM = 0,
  /** suspend to disk (S4) */
  VIR_NODE_SUSPEND_TARGET_DISK = 1,
  /** suspend to RAM and to disk */
  VIR_NODE_SUSPEND_TARGET_HYBRID = 2,
}

export const domainInjectNMI: CallDef = {
  c: 'virDomainInjectNMI',
  object: 'Domain',
  name: 'injectNMI',
  doc: 'Send a non-maskable interrupt to the guest.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:send_input'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 210,
    procName: 'REMOTE_PROC_DOMAIN_INJECT_NMI',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'injectNMI',
};

export const domainPMSuspendForDuration: CallDef = {
  c: 'virDomainPMSuspendForDuration',
  object: 'Domain',
  name: 'PMSuspendForDuration',
  doc: 'Ask the guest (through its agent) to suspend itself to RAM, disk or both.',
  params: [
    { name: 'target', type: 'uint', doc: 'a NodeSuspendTarget value' },
    { name: 'duration', type: 'ulong', doc: 'seconds to stay suspended (0: until woken)' },
  ],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:pm_control'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 261,
    procName: 'REMOTE_PROC_DOMAIN_PM_SUSPEND_FOR_DURATION',
    args: [
      ['dom', 'Dom'],
      ['target', 'uint'],
      ['duration', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'pMSuspendForDuration',
};

export const domainPMWakeup: CallDef = {
  c: 'virDomainPMWakeup',
  object: 'Domain',
  name: 'PMWakeup',
  doc: 'Wake a guest that suspended itself to RAM.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:pm_control'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 267,
    procName: 'REMOTE_PROC_DOMAIN_PM_WAKEUP',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'pMWakeup',
};

export const domainRename: CallDef = {
  c: 'virDomainRename',
  object: 'Domain',
  name: 'rename',
  doc: 'Give an inactive domain a new name (returns 0).',
  params: [{ name: 'newName', type: 'string?', doc: 'the new name', wire: 'new_name' }],
  flags: 'reserved',
  returns: 'int',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 358,
    procName: 'REMOTE_PROC_DOMAIN_RENAME',
    args: [
      ['dom', 'Dom'],
      ['new_name', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [['retcode', 'int']],
  },
  python: 'rename',
};

export const domainSetMetadata: CallDef = {
  c: 'virDomainSetMetadata',
  object: 'Domain',
  name: 'setMetadata',
  doc: "Set or remove the domain's description, title, or an application's metadata element.",
  params: [
    { name: 'type', type: 'int', doc: 'a DomainMetadataType value' },
    { name: 'metadata', type: 'string?', doc: 'the text or XML element, or null to remove it' },
    { name: 'key', type: 'string?', doc: 'namespace prefix of the element (VIR_DOMAIN_METADATA_ELEMENT)' },
    { name: 'uri', type: 'string?', doc: 'namespace URI of the element (VIR_DOMAIN_METADATA_ELEMENT)' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_AFFECT_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 264,
    procName: 'REMOTE_PROC_DOMAIN_SET_METADATA',
    args: [
      ['dom', 'Dom'],
      ['type', 'int'],
      ['metadata', 'string?'],
      ['key', 'string?'],
      ['uri', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setMetadata',
};

export const domainGetMetadata: CallDef = {
  c: 'virDomainGetMetadata',
  object: 'Domain',
  name: 'getMetadata',
  doc: "The domain's description, title, or an application's metadata element.",
  params: [
    { name: 'type', type: 'int', doc: 'a DomainMetadataType value' },
    { name: 'uri', type: 'string?', doc: 'namespace URI of the element (VIR_DOMAIN_METADATA_ELEMENT)' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'string',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 265,
    procName: 'REMOTE_PROC_DOMAIN_GET_METADATA',
    args: [
      ['dom', 'Dom'],
      ['type', 'int'],
      ['uri', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [['metadata', 'string']],
  },
  python: 'metadata',
};
