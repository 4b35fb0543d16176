/**
 * IOThreads and block I/O tuning of a domain (libvirt's virDomainGetIOThreadInfo, PinIOThread,
 * AddIOThread, DelIOThread, SetIOThreadParams, and virDomainGet/SetBlkioParameters).
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virDomainIOThreadInfo. */
export const IOThreadInfo: StructDef = {
  name: 'IOThreadInfo',
  c: 'virDomainIOThreadInfo',
  doc: 'One IOThread of a domain and the host CPUs it may run on',
  fields: [
    { name: 'iothread_id', type: 'uint', doc: 'the IOThread id' },
    { name: 'cpumap', type: 'bytes', doc: 'one bit per host CPU' },
  ],
};

/** Records nested inside the IOThread messages. */
export const iothreadWireStructs: WireStructDef[] = [
  {
    name: 'IOThreadInfoWire',
    fields: [
      ['iothread_id', 'uint'],
      ['cpumap', 'opaque<2048>'],
    ],
  },
];

export const domainGetIOThreadInfo: CallDef = {
  c: 'virDomainGetIOThreadInfo',
  object: 'Domain',
  name: 'getIOThreadInfo',
  doc: 'The IOThreads of the domain with their CPU affinity, live or as configured.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'IOThreadInfo[]',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 351,
    procName: 'REMOTE_PROC_DOMAIN_GET_IOTHREAD_INFO',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['info', 'IOThreadInfoWire<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: null,
};

export const domainPinIOThread: CallDef = {
  c: 'virDomainPinIOThread',
  object: 'Domain',
  name: 'pinIOThread',
  doc: 'Pin an IOThread to the host CPUs of the map.',
  params: [
    { name: 'iothread_id', type: 'uint', doc: 'the IOThread id', wire: 'iothreads_id' },
    { name: 'cpumap', type: 'bytes', doc: 'one bit per host CPU the IOThread may run on' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 352,
    procName: 'REMOTE_PROC_DOMAIN_PIN_IOTHREAD',
    args: [
      ['dom', 'Dom'],
      ['iothreads_id', 'uint'],
      ['cpumap', 'opaque<2048>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: null,
};

export const domainAddIOThread: CallDef = {
  c: 'virDomainAddIOThread',
  object: 'Domain',
  name: 'addIOThread',
  doc: 'Add an IOThread with this id.',
  params: [{ name: 'iothread_id', type: 'uint', doc: 'the new IOThread id' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 355,
    procName: 'REMOTE_PROC_DOMAIN_ADD_IOTHREAD',
    args: [
      ['dom', 'Dom'],
      ['iothread_id', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'addIOThread',
};

export const domainDelIOThread: CallDef = {
  c: 'virDomainDelIOThread',
  object: 'Domain',
  name: 'delIOThread',
  doc: 'Remove the IOThread with this id.',
  params: [{ name: 'iothread_id', type: 'uint', doc: 'the IOThread id' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 356,
    procName: 'REMOTE_PROC_DOMAIN_DEL_IOTHREAD',
    args: [
      ['dom', 'Dom'],
      ['iothread_id', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delIOThread',
};

export const domainSetIOThreadParams: CallDef = {
  c: 'virDomainSetIOThreadParams',
  object: 'Domain',
  name: 'setIOThreadParams',
  doc: 'Change polling and thread pool parameters of an IOThread.',
  params: [
    { name: 'iothread_id', type: 'uint', doc: 'the IOThread id' },
    { name: 'params', type: 'TypedParams', doc: 'poll_max_ns, poll_grow, poll_shrink, thread_pool_min/max' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 402,
    procName: 'REMOTE_PROC_DOMAIN_SET_IOTHREAD_PARAMS',
    args: [
      ['dom', 'Dom'],
      ['iothread_id', 'uint'],
      ['params', 'TP<64>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: null,
};

export const domainGetBlkioParameters: CallDef = {
  c: 'virDomainGetBlkioParameters',
  object: 'Domain',
  name: 'getBlkioParameters',
  doc: 'The block I/O tuning of the domain (weight and per-device limits), live or as configured.',
  params: [],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 206,
    procName: 'REMOTE_PROC_DOMAIN_GET_BLKIO_PARAMETERS',
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
  python: 'blkioParameters',
};

export const domainSetBlkioParameters: CallDef = {
  c: 'virDomainSetBlkioParameters',
  object: 'Domain',
  name: 'setBlkioParameters',
  doc: 'Change the block I/O tuning of the domain, live and/or in its persistent definition.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'weight, device_weight, device_read_iops_sec, ...' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 205,
    procName: 'REMOTE_PROC_DOMAIN_SET_BLKIO_PARAMETERS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setBlkioParameters',
};
