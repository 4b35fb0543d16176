/**
 * Memory, NUMA and perf tuning of a domain (libvirt's virDomainGet/SetMemoryParameters,
 * virDomainGet/SetNumaParameters and virDomainGet/SetPerfEvents), as typed parameters.
 */
import type { CallDef } from './dsl';

export const domainGetMemoryParameters: CallDef = {
  c: 'virDomainGetMemoryParameters',
  object: 'Domain',
  name: 'getMemoryParameters',
  doc: 'The memory limits of the domain (hard, soft, swap hard), live or as configured.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 198,
    procName: 'REMOTE_PROC_DOMAIN_GET_MEMORY_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'TP<16>'],
      ['nparams', 'int'],
    ],
  },
  python: 'memoryParameters',
};

export const domainSetMemoryParameters: CallDef = {
  c: 'virDomainSetMemoryParameters',
  object: 'Domain',
  name: 'setMemoryParameters',
  doc: 'Change the memory limits of the domain, live and/or in its persistent definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 197,
    procName: 'REMOTE_PROC_DOMAIN_SET_MEMORY_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setMemoryParameters',
};

export const domainGetNumaParameters: CallDef = {
  c: 'virDomainGetNumaParameters',
  object: 'Domain',
  name: 'getNumaParameters',
  doc: 'The NUMA memory mode and nodeset of the domain, live or as configured.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 255,
    procName: 'REMOTE_PROC_DOMAIN_GET_NUMA_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'TP<16>'],
      ['nparams', 'int'],
    ],
  },
  python: 'numaParameters',
};

export const domainSetNumaParameters: CallDef = {
  c: 'virDomainSetNumaParameters',
  object: 'Domain',
  name: 'setNumaParameters',
  doc: 'Change the NUMA memory mode or nodeset of the domain, live and/or in its persistent definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 254,
    procName: 'REMOTE_PROC_DOMAIN_SET_NUMA_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setNumaParameters',
};

export const domainGetPerfEvents: CallDef = {
  c: 'virDomainGetPerfEvents',
  object: 'Domain',
  name: 'getPerfEvents',
  doc: 'Which perf events are enabled for the domain, live or as configured.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 365,
    procName: 'REMOTE_PROC_DOMAIN_GET_PERF_EVENTS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['params', 'TP<64>']],
  },
  python: 'perfEvents',
};

export const domainSetPerfEvents: CallDef = {
  c: 'virDomainSetPerfEvents',
  object: 'Domain',
  name: 'setPerfEvents',
  doc: 'Enable or disable perf events of the domain, live and/or in its persistent definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'the parameters to change' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 366,
    procName: 'REMOTE_PROC_DOMAIN_SET_PERF_EVENTS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<64>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setPerfEvents',
};
