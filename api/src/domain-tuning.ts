/** Changing a domain's memory and vCPU count, its scheduler parameters, and reading its control state. */
import type { CallDef, StructDef } from './dsl';

/** virDomainControlState: whether management can talk to the domain's hypervisor process. */
export enum DomainControlState {
  /** operational, ready to accept commands */
  VIR_DOMAIN_CONTROL_OK = 0,
  /** a background job is running */
  VIR_DOMAIN_CONTROL_JOB = 1,
  /** occupied by a running command */
  VIR_DOMAIN_CONTROL_OCCUPIED = 2,
  /** unusable, the domain cannot be fully operated */
  VIR_DOMAIN_CONTROL_ERROR = 3,
}

/** virDomainControlErrorReason: why the control state is VIR_DOMAIN_CONTROL_ERROR. */
export enum DomainControlErrorReason {
  /** server side reason */
  VIR_DOMAIN_CONTROL_ERROR_REASON_NONE = 0,
  /** unknown reason */
  VIR_DOMAIN_CONTROL_ERROR_REASON_UNKNOWN = 1,
  /** monitor connection is broken */
  VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR = 2,
  /** internal error */
  VIR_DOMAIN_CONTROL_ERROR_REASON_INTERNAL = 3,
}

/** virDomainControlInfo. */
export const DomainControlInfo: StructDef = {
  name: 'DomainControlInfo',
  c: 'virDomainControlInfo',
  doc: "State of the domain's control interface.",
  fields: [
    { name: 'state', type: 'uint', doc: 'a DomainControlState value' },
    { name: 'details', type: 'uint', doc: 'a DomainControlErrorReason value when state is VIR_DOMAIN_CONTROL_ERROR' },
    { name: 'stateTime', type: 'ulong', doc: 'milliseconds spent in the current state' },
  ],
};

export const domainSetMaxMemory: CallDef = {
  c: 'virDomainSetMaxMemory',
  object: 'Domain',
  name: 'setMaxMemory',
  doc: 'Change the maximum memory the domain may use, in KiB.',
  params: [{ name: 'memory', type: 'ulong', doc: 'the new maximum in KiB (not zero)' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 30,
    procName: 'REMOTE_PROC_DOMAIN_SET_MAX_MEMORY',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['memory', 'uhyper'],
    ],
    ret: [],
  },
  python: 'setMaxMemory',
};

export const domainSetMemoryFlags: CallDef = {
  c: 'virDomainSetMemoryFlags',
  object: 'Domain',
  name: 'setMemoryFlags',
  doc: 'Change the current (or, with VIR_DOMAIN_MEM_MAXIMUM, the maximum) memory of the live domain or its persistent definition, in KiB.',
  params: [{ name: 'memory', type: 'ulong', doc: 'the new size in KiB (not zero)' }],
  flags: 'DomainMemoryModFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 204,
    procName: 'REMOTE_PROC_DOMAIN_SET_MEMORY_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['memory', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setMemoryFlags',
};

export const domainSetVcpus: CallDef = {
  c: 'virDomainSetVcpus',
  object: 'Domain',
  name: 'setVcpus',
  doc: 'Change the vCPU count of the running domain.',
  params: [{ name: 'nvcpus', type: 'uint', doc: 'the new vCPU count (not zero)' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 32,
    procName: 'REMOTE_PROC_DOMAIN_SET_VCPUS',
    args: [
      ['dom', 'Dom'],
      ['nvcpus', 'uint'],
    ],
    ret: [],
  },
  python: 'setVcpus',
};

export const domainSetVcpusFlags: CallDef = {
  c: 'virDomainSetVcpusFlags',
  object: 'Domain',
  name: 'setVcpusFlags',
  doc: 'Change the current (or, with VIR_DOMAIN_VCPU_MAXIMUM, the maximum) vCPU count of the live domain or its persistent definition.',
  params: [{ name: 'nvcpus', type: 'uint', doc: 'the new vCPU count (not zero)' }],
  flags: 'DomainVcpuFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 199,
    procName: 'REMOTE_PROC_DOMAIN_SET_VCPUS_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['nvcpus', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setVcpusFlags',
};

export const domainGetControlInfo: CallDef = {
  c: 'virDomainGetControlInfo',
  object: 'Domain',
  name: 'getControlInfo',
  doc: "The state of the domain's control interface and how long it has been in it.",
  params: [],
  flags: 'reserved',
  returns: 'DomainControlInfo',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 229,
    procName: 'REMOTE_PROC_DOMAIN_GET_CONTROL_INFO',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['state', 'uint'],
      ['details', 'uint'],
      ['stateTime', 'uhyper'],
    ],
  },
  python: 'controlInfo',
};

/** The result of virDomainGetSchedulerType. */
export const SchedulerType: StructDef = {
  name: 'SchedulerType',
  c: '',
  doc: "The domain's CPU scheduler and how many parameters it has (virDomainGetSchedulerType's result and out-parameter; no C struct).",
  fields: [
    { name: 'type', type: 'string', doc: 'the scheduler, e.g. "posix" or "fair"' },
    { name: 'nparams', type: 'int', doc: 'the number of its parameters' },
  ],
};

export const domainGetSchedulerType: CallDef = {
  c: 'virDomainGetSchedulerType',
  object: 'Domain',
  name: 'getSchedulerType',
  doc: 'The CPU scheduler of the domain and the number of its parameters.',
  params: [],
  returns: 'SchedulerType',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 56,
    procName: 'REMOTE_PROC_DOMAIN_GET_SCHEDULER_TYPE',
    args: [['dom', 'Dom']],
    ret: [
      ['type', 'string'],
      ['nparams', 'int'],
    ],
  },
  python: 'schedulerType',
};

export const domainGetSchedulerParameters: CallDef = {
  c: 'virDomainGetSchedulerParameters',
  object: 'Domain',
  name: 'getSchedulerParameters',
  doc: 'The scheduler parameters of the domain (e.g. weight, cpu_shares).',
  params: [],
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 57,
    procName: 'REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['nparams', 'int'],
    ],
    ret: [['params', 'TP<16>']],
  },
  python: 'schedulerParameters',
};

export const domainGetSchedulerParametersFlags: CallDef = {
  c: 'virDomainGetSchedulerParametersFlags',
  object: 'Domain',
  name: 'getSchedulerParametersFlags',
  doc: 'The scheduler parameters of the live domain or its persistent definition.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 223,
    procName: 'REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [['params', 'TP<16>']],
  },
  python: 'schedulerParametersFlags',
};

export const domainSetSchedulerParameters: CallDef = {
  c: 'virDomainSetSchedulerParameters',
  object: 'Domain',
  name: 'setSchedulerParameters',
  doc: 'Change scheduler parameters of the domain.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change, e.g. weight' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 58,
    procName: 'REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<16>'],
    ],
    ret: [],
  },
  python: 'setSchedulerParameters',
};

export const domainSetSchedulerParametersFlags: CallDef = {
  c: 'virDomainSetSchedulerParametersFlags',
  object: 'Domain',
  name: 'setSchedulerParametersFlags',
  doc: 'Change scheduler parameters of the live domain or its persistent definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change, e.g. weight' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 219,
    procName: 'REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setSchedulerParametersFlags',
};
