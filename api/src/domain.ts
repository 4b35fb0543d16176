/** Domain lifecycle and information calls. */
import type { CallDef, StructDef } from './dsl';

/** virDomainState: the state of a domain. */
export enum DomainState {
  VIR_DOMAIN_NOSTATE = 0,
  VIR_DOMAIN_RUNNING = 1,
  VIR_DOMAIN_BLOCKED = 2,
  VIR_DOMAIN_PAUSED = 3,
  VIR_DOMAIN_SHUTDOWN = 4,
  VIR_DOMAIN_SHUTOFF = 5,
  VIR_DOMAIN_CRASHED = 6,
  VIR_DOMAIN_PMSUSPENDED = 7,
}

/** virDomainInfo. */
export const DomainInfo: StructDef = {
  name: 'DomainInfo',
  c: 'virDomainInfo',
  doc: 'State, memory, vCPU count and CPU time of a domain.',
  fields: [
    { name: 'state', type: 'int', doc: 'a DomainState value' },
    { name: 'maxMem', type: 'ulong', doc: 'maximum memory in KiB' },
    { name: 'memory', type: 'ulong', doc: 'current memory in KiB' },
    { name: 'nrVirtCpu', type: 'uint', doc: 'number of virtual CPUs' },
    { name: 'cpuTime', type: 'ulong', doc: 'CPU time used, in nanoseconds' },
  ],
};

export const domainGetInfo: CallDef = {
  c: 'virDomainGetInfo',
  object: 'Domain',
  name: 'getInfo',
  doc: 'State, memory, vCPU count and CPU time of the domain.',
  params: [],
  returns: 'DomainInfo',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote', proc: 16, procName: 'REMOTE_PROC_DOMAIN_GET_INFO',
    args: [['dom', 'Dom']],
    ret: [['state', 'uchar'], ['maxMem', 'uhyper'], ['memory', 'uhyper'], ['nrVirtCpu', 'ushort'], ['cpuTime', 'uhyper']],
  },
  python: 'info',
};

export const domainGetName: CallDef = {
  c: 'virDomainGetName',
  object: 'Domain',
  name: 'getName',
  doc: 'The domain name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const domainDestroy: CallDef = {
  c: 'virDomainDestroy',
  object: 'Domain',
  name: 'destroy',
  doc: 'Stop the domain at once, as pulling the power plug.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote', proc: 12, procName: 'REMOTE_PROC_DOMAIN_DESTROY',
    args: [['dom', 'Dom']], ret: [],
  },
  python: 'destroy',
};
