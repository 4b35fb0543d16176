/**
 * Tuning a domain: memory and vCPU counts per live/config flags, and the scheduler's parameters,
 * as libvirt's src/libvirt-domain.c defines them.
 */
import type { CallDef, StructDef } from './dsl';

/** The out-parameters of virDomainGetSchedulerType. */
export const SchedulerType: StructDef = {
  name: 'SchedulerType',
  c: '',
  doc: 'The scheduler of the domain and how many parameters it has',
  fields: [
    { name: 'type', type: 'string', doc: 'the scheduler name (posix, fair, credit, ...)' },
    { name: 'nparams', type: 'int', doc: 'the number of scheduler parameters' },
  ],
};

export const domainSetMemoryFlags: CallDef = {
  c: 'virDomainSetMemoryFlags',
  object: 'Domain',
  name: 'setMemoryFlags',
  doc: 'Change the current (or, with VIR_DOMAIN_MEM_MAXIMUM, the maximum) memory of the live domain or its definition, in KiB.',
  params: [{ name: 'memory', type: 'ulong', doc: 'the new memory size in KiB' }],
  flags: 'DomainMemoryModFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_MEM_CONFIG'],
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
  python: null,
};

export const domainSetMaxMemory: CallDef = {
  c: 'virDomainSetMaxMemory',
  object: 'Domain',
  name: 'setMaxMemory',
  doc: 'Change the maximum memory of the domain, in KiB.',
  params: [{ name: 'memory', type: 'ulong', doc: 'the new maximum in KiB' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 30,
    procName: 'REMOTE_PROC_DOMAIN_SET_MAX_MEMORY',
    args: [
      ['dom', 'Dom'],
      ['memory', 'uhyper'],
    ],
    ret: [],
  },
  python: null,
};

export const domainSetVcpus: CallDef = {
  c: 'virDomainSetVcpus',
  object: 'Domain',
  name: 'setVcpus',
  doc: 'Change the number of vCPUs of the running domain.',
  params: [{ name: 'nvcpus', type: 'uint', doc: 'the new vCPU count' }],
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
  python: null,
};

export const domainSetVcpusFlags: CallDef = {
  c: 'virDomainSetVcpusFlags',
  object: 'Domain',
  name: 'setVcpusFlags',
  doc: 'Change the current (or, with VIR_DOMAIN_VCPU_MAXIMUM, the maximum) vCPU count of the live domain or its definition.',
  params: [{ name: 'nvcpus', type: 'uint', doc: 'the new vCPU count' }],
  flags: 'DomainVcpuFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_VCPU_CONFIG'],
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
  python: null,
};

export const domainGetSchedulerType: CallDef = {
  c: 'virDomainGetSchedulerType',
  object: 'Domain',
  name: 'getSchedulerType',
  doc: 'The scheduler of the domain and the number of its parameters.',
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
  python: null,
};

export const domainGetSchedulerParameters: CallDef = {
  c: 'virDomainGetSchedulerParameters',
  object: 'Domain',
  name: 'getSchedulerParameters',
  doc: 'The scheduler parameters of the domain (cpu_shares, weight, ...), live when running.',
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
  python: null,
};

export const domainGetSchedulerParametersFlags: CallDef = {
  c: 'virDomainGetSchedulerParametersFlags',
  object: 'Domain',
  name: 'getSchedulerParametersFlags',
  doc: 'The scheduler parameters of the live domain or of its definition.',
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
  python: null,
};

export const domainSetSchedulerParameters: CallDef = {
  c: 'virDomainSetSchedulerParameters',
  object: 'Domain',
  name: 'setSchedulerParameters',
  doc: 'Change scheduler parameters of the running domain.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change' }],
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
  python: null,
};

export const domainSetSchedulerParametersFlags: CallDef = {
  c: 'virDomainSetSchedulerParametersFlags',
  object: 'Domain',
  name: 'setSchedulerParametersFlags',
  doc: 'Change scheduler parameters of the live domain and/or its definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_AFFECT_CONFIG'],
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
  python: null,
};
