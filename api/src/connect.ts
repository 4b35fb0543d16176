/** Connection-level calls: opening, identity of the hypervisor and host, domain enumeration. */
import type { CallDef, StructDef } from './dsl';

/** virConnectFlags: flags of the connection-open procedure (CONNECT_OPEN carries them on the wire). */
export enum ConnectFlags {
  /** a read-only connection */
  VIR_CONNECT_RO = 1 << 0,
  /** do not resolve URI aliases */
  VIR_CONNECT_NO_ALIASES = 1 << 1,
}

/** virConnectCloseReason: why a connection closed, as passed to a close callback. */
export enum ConnectCloseReason {
  /** misc I/O error */
  VIR_CONNECT_CLOSE_REASON_ERROR = 0,
  /** end of file from the daemon */
  VIR_CONNECT_CLOSE_REASON_EOF = 1,
  /** keepalive timer triggered */
  VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
  /** client requested it */
  VIR_CONNECT_CLOSE_REASON_CLIENT = 3,
}

/** virTypedParameterType: the type of one typed parameter's value. */
export enum TypedParameterType {
  /** int */
  VIR_TYPED_PARAM_INT = 1,
  /** unsigned int */
  VIR_TYPED_PARAM_UINT = 2,
  /** long long */
  VIR_TYPED_PARAM_LLONG = 3,
  /** unsigned long long */
  VIR_TYPED_PARAM_ULLONG = 4,
  /** double */
  VIR_TYPED_PARAM_DOUBLE = 5,
  /** boolean */
  VIR_TYPED_PARAM_BOOLEAN = 6,
  /** string */
  VIR_TYPED_PARAM_STRING = 7,
}

/** Flags of virConnectListAllDomains: filter groups; an empty group selects all of it. */
export enum ConnectListAllDomainsFlags {
  VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
  VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
  VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
  VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
  VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
  VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
  VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
  VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
  VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
  VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
  VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
  VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
  VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
  VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
  VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
  VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
}

/** virNodeInfo: the host processor and memory layout. */
export const NodeInfo: StructDef = {
  name: 'NodeInfo',
  c: 'virNodeInfo',
  doc: 'Host CPU model, memory and topology.',
  fields: [
    { name: 'model', type: 'string', doc: 'CPU model (architecture) name' },
    { name: 'memory', type: 'ulong', doc: 'memory size in KiB' },
    { name: 'cpus', type: 'uint', doc: 'number of active CPUs' },
    { name: 'mhz', type: 'uint', doc: 'expected CPU frequency in MHz' },
    { name: 'nodes', type: 'uint', doc: 'number of NUMA cells' },
    { name: 'sockets', type: 'uint', doc: 'CPU sockets per node' },
    { name: 'cores', type: 'uint', doc: 'cores per socket' },
    { name: 'threads', type: 'uint', doc: 'threads per core' },
  ],
};

export const connectOpen: CallDef = {
  c: 'virConnectOpen',
  object: 'Connect',
  name: 'open',
  doc: 'Open a connection to the hypervisor named by a URI.',
  params: [{ name: 'name', type: 'string?', doc: 'the URI, or null for the default' }],
  returns: 'Connect',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 1,
    procName: 'REMOTE_PROC_CONNECT_OPEN',
    priority: 'high',
    args: [
      ['name', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'open',
};

export const connectOpenReadOnly: CallDef = {
  c: 'virConnectOpenReadOnly',
  object: 'Connect',
  name: 'openReadOnly',
  doc: 'Open a read-only connection; core sends CONNECT_OPEN (proc 1) with VIR_CONNECT_RO, so no procedure of its own.',
  params: [{ name: 'name', type: 'string?', doc: 'the URI, or null for the default' }],
  returns: 'Connect',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'core',
  remote: null,
  python: 'openReadOnly',
};

export const connectClose: CallDef = {
  c: 'virConnectClose',
  object: 'Connect',
  name: 'close',
  doc: 'Drop this reference to the connection; the link closes when the last one goes.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 2,
    procName: 'REMOTE_PROC_CONNECT_CLOSE',
    priority: 'high',
    args: [],
    ret: [],
  },
  python: 'close',
};

export const connectGetType: CallDef = {
  c: 'virConnectGetType',
  object: 'Connect',
  name: 'getType',
  doc: 'The name of the hypervisor driver in use, e.g. "QEMU" or "Test".',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 3,
    procName: 'REMOTE_PROC_CONNECT_GET_TYPE',
    priority: 'high',
    args: [],
    ret: [['type', 'string']],
  },
  python: 'getType',
};

export const connectGetVersion: CallDef = {
  c: 'virConnectGetVersion',
  object: 'Connect',
  name: 'getVersion',
  doc: 'Hypervisor version as major * 1000000 + minor * 1000 + release.',
  params: [],
  returns: 'ulong',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 4,
    procName: 'REMOTE_PROC_CONNECT_GET_VERSION',
    priority: 'high',
    args: [],
    ret: [['hv_ver', 'uhyper']],
  },
  python: 'getVersion',
};

export const connectGetLibVersion: CallDef = {
  c: 'virConnectGetLibVersion',
  object: 'Connect',
  name: 'getLibVersion',
  doc: 'Library version on the far side, encoded as major * 1000000 + minor * 1000 + release.',
  params: [],
  returns: 'ulong',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 157,
    procName: 'REMOTE_PROC_CONNECT_GET_LIB_VERSION',
    priority: 'high',
    args: [],
    ret: [['lib_ver', 'uhyper']],
  },
  python: 'getLibVersion',
};

export const connectGetHostname: CallDef = {
  c: 'virConnectGetHostname',
  object: 'Connect',
  name: 'getHostname',
  doc: 'Host name of the machine running the hypervisor.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 59,
    procName: 'REMOTE_PROC_CONNECT_GET_HOSTNAME',
    priority: 'high',
    args: [],
    ret: [['hostname', 'string']],
  },
  python: 'getHostname',
};

export const connectGetURI: CallDef = {
  c: 'virConnectGetURI',
  object: 'Connect',
  name: 'getURI',
  doc: 'The canonical URI of this connection.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['connect:getattr'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 110,
    procName: 'REMOTE_PROC_CONNECT_GET_URI',
    priority: 'high',
    args: [],
    ret: [['uri', 'string']],
  },
  python: 'getURI',
};

export const connectGetCapabilities: CallDef = {
  c: 'virConnectGetCapabilities',
  object: 'Connect',
  name: 'getCapabilities',
  doc: 'Capabilities XML of the host and its hypervisor.',
  params: [],
  returns: 'xml',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 7,
    procName: 'REMOTE_PROC_CONNECT_GET_CAPABILITIES',
    args: [],
    ret: [['capabilities', 'string']],
  },
  python: 'getCapabilities',
};

export const connectGetDomainCapabilities: CallDef = {
  c: 'virConnectGetDomainCapabilities',
  object: 'Connect',
  name: 'getDomainCapabilities',
  doc: 'Domain capabilities XML for one emulator, architecture, machine type and virtualization type.',
  params: [
    { name: 'emulatorbin', type: 'string?', doc: 'path to the emulator binary, or null' },
    { name: 'arch', type: 'string?', doc: 'guest architecture, or null' },
    { name: 'machine', type: 'string?', doc: 'machine type, or null' },
    { name: 'virttype', type: 'string?', doc: 'virtualization type (e.g. "kvm"), or null' },
  ],
  flags: 'reserved',
  returns: 'xml',
  since: '0.1.0',
  acl: ['connect:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 342,
    procName: 'REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES',
    args: [
      ['emulatorbin', 'string?'],
      ['arch', 'string?'],
      ['machine', 'string?'],
      ['virttype', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [['capabilities', 'string']],
  },
  python: 'getDomainCapabilities',
};

export const connectDomainXMLToNative: CallDef = {
  c: 'virConnectDomainXMLToNative',
  object: 'Connect',
  name: 'domainXMLToNative',
  doc: 'Convert domain XML into the hypervisor\'s native configuration format (for QEMU: "qemu-argv", the command line).',
  params: [
    { name: 'nativeFormat', type: 'string', doc: 'the native format, e.g. "qemu-argv"' },
    { name: 'domainXml', type: 'xml', doc: 'the domain XML to convert' },
  ],
  flags: 'reserved',
  returns: 'string',
  since: '0.1.0',
  acl: ['connect:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 136,
    procName: 'REMOTE_PROC_CONNECT_DOMAIN_XML_TO_NATIVE',
    args: [
      ['nativeFormat', 'string'],
      ['domainXml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['nativeConfig', 'string']],
  },
  python: 'domainXMLToNative',
};

export const connectDomainXMLFromNative: CallDef = {
  c: 'virConnectDomainXMLFromNative',
  object: 'Connect',
  name: 'domainXMLFromNative',
  doc: 'Convert a hypervisor\'s native configuration (for Xen: "xen-xl", an xl.cfg file) into domain XML.',
  params: [
    { name: 'nativeFormat', type: 'string', doc: 'the native format, e.g. "xen-xl"' },
    { name: 'nativeConfig', type: 'string', doc: 'the native configuration to convert' },
  ],
  flags: 'reserved',
  returns: 'xml',
  since: '0.2.0',
  acl: ['connect:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 135,
    procName: 'REMOTE_PROC_CONNECT_DOMAIN_XML_FROM_NATIVE',
    args: [
      ['nativeFormat', 'string'],
      ['nativeConfig', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['domainXml', 'string']],
  },
  python: 'domainXMLFromNative',
};

export const connectGetSysinfo: CallDef = {
  c: 'virConnectGetSysinfo',
  object: 'Connect',
  name: 'getSysinfo',
  doc: "The host's SMBIOS system information as XML.",
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 203,
    procName: 'REMOTE_PROC_CONNECT_GET_SYSINFO',
    priority: 'high',
    args: [['flags', 'uint']],
    ret: [['sysinfo', 'string']],
  },
  python: 'getSysinfo',
};

export const connectIsSecure: CallDef = {
  c: 'virConnectIsSecure',
  object: 'Connect',
  name: 'isSecure',
  doc: 'Whether the connection is safe from eavesdropping and tampering (a local socket or TLS).',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 149,
    procName: 'REMOTE_PROC_CONNECT_IS_SECURE',
    priority: 'high',
    args: [],
    ret: [['secure', 'int']],
  },
  python: 'isSecure',
};

export const nodeGetFreeMemory: CallDef = {
  c: 'virNodeGetFreeMemory',
  object: 'Connect',
  name: 'getFreeMemory',
  doc: 'Free memory of the host, in bytes.',
  params: [],
  returns: 'ulong',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 102,
    procName: 'REMOTE_PROC_NODE_GET_FREE_MEMORY',
    priority: 'high',
    args: [],
    ret: [['freeMem', 'uhyper']],
  },
  python: 'getFreeMemory',
};

export const nodeGetInfo: CallDef = {
  c: 'virNodeGetInfo',
  object: 'Connect',
  name: 'getInfo',
  doc: 'The host processor and memory layout.',
  params: [],
  returns: 'NodeInfo',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 6,
    procName: 'REMOTE_PROC_NODE_GET_INFO',
    priority: 'high',
    args: [],
    ret: [
      ['model', 'char[32]'],
      ['memory', 'uhyper'],
      ['cpus', 'int'],
      ['mhz', 'int'],
      ['nodes', 'int'],
      ['sockets', 'int'],
      ['cores', 'int'],
      ['threads', 'int'],
    ],
  },
  python: 'getInfo',
};

export const connectIsAlive: CallDef = {
  c: 'virConnectIsAlive',
  object: 'Connect',
  name: 'isAlive',
  doc: 'Whether the connection is still usable (the transport has not failed).',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'core',
  remote: null,
  python: 'isAlive',
};

export const connectGetMaxVcpus: CallDef = {
  c: 'virConnectGetMaxVcpus',
  object: 'Connect',
  name: 'getMaxVcpus',
  doc: 'The maximum number of vCPUs a guest of the given type may have.',
  params: [{ name: 'type', type: 'string?', doc: 'virtualization type, or null for the default' }],
  returns: 'int',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 5,
    procName: 'REMOTE_PROC_CONNECT_GET_MAX_VCPUS',
    priority: 'high',
    args: [['type', 'string?']],
    ret: [['max_vcpus', 'int']],
  },
  python: 'getMaxVcpus',
};

export const connectListAllDomains: CallDef = {
  c: 'virConnectListAllDomains',
  object: 'Connect',
  name: 'listAllDomains',
  doc: 'Every domain matching the filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllDomainsFlags',
  returns: 'Domain[]',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 273,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['domains', 'Dom<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllDomains',
};

export const domainLookupByName: CallDef = {
  c: 'virDomainLookupByName',
  object: 'Connect',
  name: 'lookupByName',
  doc: 'A fresh handle to the domain with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the domain name' }],
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 23,
    procName: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME',
    priority: 'high',
    args: [['name', 'string']],
    ret: [['dom', 'Dom']],
  },
  python: 'lookupByName',
};

export const domainLookupByUUIDString: CallDef = {
  c: 'virDomainLookupByUUIDString',
  object: 'Connect',
  name: 'lookupByUUIDString',
  doc: 'A fresh handle to the domain with this UUID.',
  params: [{ name: 'uuidstr', type: 'uuid', doc: 'the domain UUID in text form', wire: 'uuid' }],
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 24,
    procName: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID',
    priority: 'high',
    args: [['uuid', 'uuid']],
    ret: [['dom', 'Dom']],
  },
  python: 'lookupByUUIDString',
};

export const domainLookupByID: CallDef = {
  c: 'virDomainLookupByID',
  object: 'Connect',
  name: 'lookupByID',
  doc: 'A fresh handle to the running domain with this numeric ID.',
  params: [{ name: 'id', type: 'int', doc: 'the domain ID' }],
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 22,
    procName: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_ID',
    priority: 'high',
    args: [['id', 'int']],
    ret: [['dom', 'Dom']],
  },
  python: 'lookupByID',
};

export const domainDefineXML: CallDef = {
  c: 'virDomainDefineXML',
  object: 'Connect',
  name: 'defineXML',
  doc: 'Define (or redefine) a persistent domain from XML without starting it.',
  params: [{ name: 'xml', type: 'xml', doc: 'the domain XML' }],
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 11,
    procName: 'REMOTE_PROC_DOMAIN_DEFINE_XML',
    priority: 'high',
    args: [['xml', 'string']],
    ret: [['dom', 'Dom']],
  },
  python: 'defineXML',
};

export const domainDefineXMLFlags: CallDef = {
  c: 'virDomainDefineXMLFlags',
  object: 'Connect',
  name: 'defineXMLFlags',
  doc: 'Define (or redefine) a persistent domain from XML, with flags.',
  params: [{ name: 'xml', type: 'xml', doc: 'the domain XML' }],
  flags: 'DomainDefineFlags',
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 350,
    procName: 'REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['dom', 'Dom']],
  },
  python: 'defineXMLFlags',
};

export const domainCreateXML: CallDef = {
  c: 'virDomainCreateXML',
  object: 'Connect',
  name: 'createXML',
  doc: 'Create and start a transient domain from XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the domain XML', wire: 'xml_desc' }],
  flags: 'DomainCreateFlags',
  returns: 'Domain',
  since: '0.1.0',
  acl: ['domain:write', 'domain:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 10,
    procName: 'REMOTE_PROC_DOMAIN_CREATE_XML',
    args: [
      ['xml_desc', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['dom', 'Dom']],
  },
  python: 'createXML',
};

export const connectNumOfDomains: CallDef = {
  c: 'virConnectNumOfDomains',
  object: 'Connect',
  name: 'numOfDomains',
  doc: 'The number of running domains.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 51,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_DOMAINS',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfDomains',
};

export const connectListDomains: CallDef = {
  c: 'virConnectListDomains',
  object: 'Connect',
  name: 'listDomainsID',
  doc: 'IDs of running domains, at most maxids of them.',
  params: [{ name: 'maxids', type: 'int', doc: 'the largest number of IDs to return' }],
  returns: 'int[]',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 37,
    procName: 'REMOTE_PROC_CONNECT_LIST_DOMAINS',
    priority: 'high',
    args: [['maxids', 'int']],
    ret: [['ids', 'int<16384>']],
  },
  python: 'listDomainsID',
};

export const connectNumOfDefinedDomains: CallDef = {
  c: 'virConnectNumOfDefinedDomains',
  object: 'Connect',
  name: 'numOfDefinedDomains',
  doc: 'The number of defined but inactive domains.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 25,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfDefinedDomains',
};

export const connectListDefinedDomains: CallDef = {
  c: 'virConnectListDefinedDomains',
  object: 'Connect',
  name: 'listDefinedDomains',
  doc: 'Names of defined but inactive domains, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 21,
    procName: 'REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS',
    priority: 'high',
    args: [['maxnames', 'int']],
    ret: [['names', 'string<16384>']],
  },
  python: 'listDefinedDomains',
};

/** virSecurityModel: the host's security driver. */
export const SecurityModel: StructDef = {
  name: 'SecurityModel',
  c: 'virSecurityModel',
  doc: 'The security driver protecting domains on the host, and its domain of interpretation.',
  fields: [
    { name: 'model', type: 'string', doc: 'security model name, empty when there is none' },
    { name: 'doi', type: 'string', doc: 'domain of interpretation' },
  ],
};

export const nodeGetSecurityModel: CallDef = {
  c: 'virNodeGetSecurityModel',
  object: 'Connect',
  name: 'getSecurityModel',
  doc: 'The security model of the host.',
  params: [],
  returns: 'SecurityModel',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 122,
    procName: 'REMOTE_PROC_NODE_GET_SECURITY_MODEL',
    priority: 'high',
    args: [],
    ret: [
      ['model', 'char<257>'],
      ['doi', 'char<257>'],
    ],
  },
  python: 'getSecurityModel',
};
