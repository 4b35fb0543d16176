/**
 * Secrets: passphrases and keys (disk encryption, Ceph, iSCSI, TLS, vTPM) defined by XML and
 * holding a value, as libvirt's src/libvirt-secret.c defines them.
 */
import type { CallDef } from './dsl';

/** virSecretUsageType: what a secret is for. */
export enum SecretUsageType {
  /** no usage */
  VIR_SECRET_USAGE_TYPE_NONE = 0,
  /** a storage volume's encryption */
  VIR_SECRET_USAGE_TYPE_VOLUME = 1,
  /** a Ceph client key */
  VIR_SECRET_USAGE_TYPE_CEPH = 2,
  /** an iSCSI CHAP secret */
  VIR_SECRET_USAGE_TYPE_ISCSI = 3,
  /** a TLS private key passphrase */
  VIR_SECRET_USAGE_TYPE_TLS = 4,
  /** a vTPM state encryption key */
  VIR_SECRET_USAGE_TYPE_VTPM = 5,
}

/** virConnectListAllSecretsFlags: filters of virConnectListAllSecrets. */
export enum ConnectListAllSecretsFlags {
  /** kept in memory only */
  VIR_CONNECT_LIST_SECRETS_EPHEMERAL = 1 << 0,
  /** stored on disk */
  VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL = 1 << 1,
  /** value not revealed to clients */
  VIR_CONNECT_LIST_SECRETS_PRIVATE = 1 << 2,
  /** value readable by clients */
  VIR_CONNECT_LIST_SECRETS_NO_PRIVATE = 1 << 3,
}

/** virSecretDefineFlags. */
export enum SecretDefineFlags {
  /** validate the XML against the schema */
  VIR_SECRET_DEFINE_VALIDATE = 1 << 0,
}

export const secretDefineXML: CallDef = {
  c: 'virSecretDefineXML',
  object: 'Connect',
  name: 'secretDefineXML',
  doc: 'Define a secret from XML, or change the description and usage of the one with its UUID.',
  params: [{ name: 'xml', type: 'xml', doc: 'the secret XML' }],
  flags: 'SecretDefineFlags',
  returns: 'Secret',
  since: '0.2.0',
  acl: ['secret:write', 'secret:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 142,
    procName: 'REMOTE_PROC_SECRET_DEFINE_XML',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['secret', 'Secret']],
  },
  python: 'secretDefineXML',
};

export const secretLookupByUUIDString: CallDef = {
  c: 'virSecretLookupByUUIDString',
  object: 'Connect',
  name: 'secretLookupByUUIDString',
  doc: 'A fresh handle to the secret with this UUID.',
  params: [{ name: 'uuidstr', type: 'uuid', doc: 'the secret UUID in text form', wire: 'uuid' }],
  returns: 'Secret',
  since: '0.2.0',
  acl: ['secret:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 141,
    procName: 'REMOTE_PROC_SECRET_LOOKUP_BY_UUID',
    priority: 'high',
    args: [['uuid', 'uuid']],
    ret: [['secret', 'Secret']],
  },
  python: 'secretLookupByUUIDString',
};

export const secretLookupByUsage: CallDef = {
  c: 'virSecretLookupByUsage',
  object: 'Connect',
  name: 'secretLookupByUsage',
  doc: 'A fresh handle to the secret with this usage (a volume path, a Ceph or TLS name, an iSCSI target).',
  params: [
    { name: 'usageType', type: 'int', doc: 'a SecretUsageType value' },
    { name: 'usageID', type: 'string', doc: 'the usage identifier' },
  ],
  returns: 'Secret',
  since: '0.2.0',
  acl: ['secret:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 147,
    procName: 'REMOTE_PROC_SECRET_LOOKUP_BY_USAGE',
    priority: 'high',
    args: [
      ['usageType', 'int'],
      ['usageID', 'string'],
    ],
    ret: [['secret', 'Secret']],
  },
  python: 'secretLookupByUsage',
};

export const connectListAllSecrets: CallDef = {
  c: 'virConnectListAllSecrets',
  object: 'Connect',
  name: 'listAllSecrets',
  doc: 'Every secret matching the filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllSecretsFlags',
  returns: 'Secret[]',
  since: '0.2.0',
  acl: ['connect:search_secrets'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 287,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_SECRETS',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['secrets', 'Secret<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllSecrets',
};

export const connectNumOfSecrets: CallDef = {
  c: 'virConnectNumOfSecrets',
  object: 'Connect',
  name: 'numOfSecrets',
  doc: 'How many secrets are defined.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_secrets'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 139,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_SECRETS',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfSecrets',
};

export const secretGetXMLDesc: CallDef = {
  c: 'virSecretGetXMLDesc',
  object: 'Secret',
  name: 'getXMLDesc',
  doc: 'The XML definition of the secret (never its value).',
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.2.0',
  acl: ['secret:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 143,
    procName: 'REMOTE_PROC_SECRET_GET_XML_DESC',
    priority: 'high',
    args: [
      ['secret', 'Secret'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const secretSetValue: CallDef = {
  c: 'virSecretSetValue',
  object: 'Secret',
  name: 'setValue',
  doc: 'Set the value of the secret (kept encrypted at rest unless the secret is ephemeral).',
  params: [{ name: 'value', type: 'bytes', doc: 'the secret value' }],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['secret:write', 'secret:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 144,
    procName: 'REMOTE_PROC_SECRET_SET_VALUE',
    priority: 'high',
    args: [
      ['secret', 'Secret'],
      ['value', 'opaque<65536>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setValue',
};

export const secretGetValue: CallDef = {
  c: 'virSecretGetValue',
  object: 'Secret',
  name: 'getValue',
  doc: 'The value of the secret; refused for a private secret and on read-only connections.',
  params: [],
  flags: 'reserved',
  returns: 'bytes',
  since: '0.2.0',
  acl: ['secret:read_secure'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 145,
    procName: 'REMOTE_PROC_SECRET_GET_VALUE',
    priority: 'high',
    args: [
      ['secret', 'Secret'],
      ['flags', 'uint'],
    ],
    ret: [['value', 'opaque<65536>']],
  },
  python: 'value',
};

export const secretUndefine: CallDef = {
  c: 'virSecretUndefine',
  object: 'Secret',
  name: 'undefine',
  doc: 'Delete the secret and its value.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['secret:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 146,
    procName: 'REMOTE_PROC_SECRET_UNDEFINE',
    priority: 'high',
    args: [['secret', 'Secret']],
    ret: [],
  },
  python: 'undefine',
};

export const secretGetUUIDString: CallDef = {
  c: 'virSecretGetUUIDString',
  object: 'Secret',
  name: 'getUUIDString',
  doc: 'The secret UUID carried by this handle, in text form.',
  params: [],
  returns: 'uuid',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'UUIDString',
};

export const secretGetUsageType: CallDef = {
  c: 'virSecretGetUsageType',
  object: 'Secret',
  name: 'getUsageType',
  doc: 'The usage type (a SecretUsageType value) carried by this handle.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'usageType',
};

export const secretGetUsageID: CallDef = {
  c: 'virSecretGetUsageID',
  object: 'Secret',
  name: 'getUsageID',
  doc: 'The usage identifier carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'usageID',
};

/** virSecretEventID: the event kinds accepted by virConnectSecretEventRegisterAny. */
export enum SecretEventID {
  /** virConnectSecretEventLifecycleCallback */
  VIR_SECRET_EVENT_ID_LIFECYCLE = 0,
  /** virConnectSecretEventGenericCallback: the secret's value was set */
  VIR_SECRET_EVENT_ID_VALUE_CHANGED = 1,
}

/** virSecretEventLifecycleType: the `event` of a secret lifecycle event. */
export enum SecretEventLifecycleType {
  VIR_SECRET_EVENT_DEFINED = 0,
  VIR_SECRET_EVENT_UNDEFINED = 1,
}

export const connectSecretEventRegisterAny: CallDef = {
  c: 'virConnectSecretEventRegisterAny',
  object: 'Connect',
  name: 'secretEventRegisterAny',
  doc: 'Register a callback for one secret event ID, for one secret or all; returns the callback ID.',
  params: [
    { name: 'secret', type: 'Secret?', doc: 'the secret to watch, or null for all secrets' },
    { name: 'eventID', type: 'int', doc: 'a SecretEventID value' },
    { name: 'cb', type: 'Callback', doc: 'the callback, called with the connection, the secret and the event' },
  ],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_secrets'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 380,
    procName: 'REMOTE_PROC_CONNECT_SECRET_EVENT_REGISTER_ANY',
    args: [
      ['eventID', 'int'],
      ['secret', 'Secret?'],
    ],
    ret: [['callbackID', 'int']],
  },
  python: 'secretEventRegisterAny',
};

export const connectSecretEventDeregisterAny: CallDef = {
  c: 'virConnectSecretEventDeregisterAny',
  object: 'Connect',
  name: 'secretEventDeregisterAny',
  doc: 'Remove a callback registered with secretEventRegisterAny.',
  params: [{ name: 'callbackID', type: 'int', doc: 'the ID returned at registration' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 381,
    procName: 'REMOTE_PROC_CONNECT_SECRET_EVENT_DEREGISTER_ANY',
    args: [['callbackID', 'int']],
    ret: [],
  },
  python: 'secretEventDeregisterAny',
};
