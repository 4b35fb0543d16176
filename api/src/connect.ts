/** Connection-level calls: opening, identity of the hypervisor and host, domain enumeration. */
import type { CallDef, StructDef } from './dsl';

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

/** virNodeInfo: the host's processor and memory layout. */
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
    program: 'remote', proc: 1, procName: 'REMOTE_PROC_CONNECT_OPEN',
    args: [['name', 'string?'], ['flags', 'uint']], ret: [],
  },
  python: 'open',
};

export const connectGetType: CallDef = {
  c: 'virConnectGetType',
  object: 'Connect',
  name: 'getType',
  doc: 'The name of the hypervisor driver in use, e.g. "QEMU" or "Test".',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote', proc: 3, procName: 'REMOTE_PROC_CONNECT_GET_TYPE',
    args: [], ret: [['type', 'string']],
  },
  python: 'getType',
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
    program: 'remote', proc: 273, procName: 'REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS',
    args: [['need_results', 'int'], ['flags', 'uint']],
    ret: [['domains', 'Dom<16384>'], ['ret', 'uint']],
  },
  python: 'listAllDomains',
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
    program: 'remote', proc: 6, procName: 'REMOTE_PROC_NODE_GET_INFO',
    args: [],
    ret: [['model', 'char[32]'], ['memory', 'uhyper'], ['cpus', 'int'], ['mhz', 'int'], ['nodes', 'int'],
      ['sockets', 'int'], ['cores', 'int'], ['threads', 'int']],
  },
  python: 'getInfo',
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
    program: 'remote', proc: 23, procName: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME',
    args: [['name', 'string']], ret: [['dom', 'Dom']],
  },
  python: 'lookupByName',
};
