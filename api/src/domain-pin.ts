/**
 * Pinning a domain's threads to host CPUs (libvirt's virDomainPinVcpu, virDomainPinVcpuFlags and
 * virDomainPinEmulator): a CPU map has one bit per host CPU, CPU 0 the lowest bit of byte 0.
 */
import type { CallDef } from './dsl';

export const domainPinVcpu: CallDef = {
  c: 'virDomainPinVcpu',
  object: 'Domain',
  name: 'pinVcpu',
  doc: 'Pin a vCPU of the running domain to the host CPUs of the map.',
  params: [
    { name: 'vcpu', type: 'uint', doc: 'the vCPU number' },
    { name: 'cpumap', type: 'bytes', doc: 'one bit per host CPU the vCPU may run on' },
  ],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 26,
    procName: 'REMOTE_PROC_DOMAIN_PIN_VCPU',
    args: [
      ['dom', 'Dom'],
      ['vcpu', 'uint'],
      ['cpumap', 'opaque<2048>'],
    ],
    ret: [],
  },
  python: null,
};

export const domainPinVcpuFlags: CallDef = {
  c: 'virDomainPinVcpuFlags',
  object: 'Domain',
  name: 'pinVcpuFlags',
  doc: 'Pin a vCPU to the host CPUs of the map, live and/or in the persistent definition.',
  params: [
    { name: 'vcpu', type: 'uint', doc: 'the vCPU number' },
    { name: 'cpumap', type: 'bytes', doc: 'one bit per host CPU the vCPU may run on' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 225,
    procName: 'REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['vcpu', 'uint'],
      ['cpumap', 'opaque<2048>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: null,
};

export const domainPinEmulator: CallDef = {
  c: 'virDomainPinEmulator',
  object: 'Domain',
  name: 'pinEmulator',
  doc: 'Pin the emulator threads to the host CPUs of the map, live and/or in the persistent definition.',
  params: [{ name: 'cpumap', type: 'bytes', doc: 'one bit per host CPU the emulator may run on' }],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 279,
    procName: 'REMOTE_PROC_DOMAIN_PIN_EMULATOR',
    args: [
      ['dom', 'Dom'],
      ['cpumap', 'opaque<2048>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: null,
};
