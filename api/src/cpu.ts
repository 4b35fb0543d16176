/**
 * CPU model calls (libvirt's virConnectGetCPUModelNames, virConnectCompareCPU,
 * virConnectBaselineCPU and their hypervisor variants): the models of a CPU map, and how a CPU
 * definition compares with, or combines into, what a host or hypervisor offers.
 */
import type { CallDef } from './dsl';

/** virCPUCompareResult: the answer of the compare calls. */
export enum CPUCompareResult {
  VIR_CPU_COMPARE_ERROR = -1,
  VIR_CPU_COMPARE_INCOMPATIBLE = 0,
  VIR_CPU_COMPARE_IDENTICAL = 1,
  VIR_CPU_COMPARE_SUPERSET = 2,
}

/** virConnectCompareCPUFlags. */
export enum ConnectCompareCPUFlags {
  /** report an incompatible CPU as an error naming the reason */
  VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = 1 << 0,
  /** validate the XML against the schema */
  VIR_CONNECT_COMPARE_CPU_VALIDATE_XML = 1 << 1,
}

/** virConnectBaselineCPUFlags. */
export enum ConnectBaselineCPUFlags {
  /** list every feature the baseline model implies */
  VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1 << 0,
  /** leave out features that block migration */
  VIR_CONNECT_BASELINE_CPU_MIGRATABLE = 1 << 1,
}

export const connectGetCPUModelNames: CallDef = {
  c: 'virConnectGetCPUModelNames',
  object: 'Connect',
  name: 'getCPUModelNames',
  doc: 'The CPU models the CPU map defines for an architecture (none when it accepts any model).',
  params: [{ name: 'arch', type: 'string', doc: 'the architecture, e.g. x86_64' }],
  flags: 'reserved',
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 312,
    procName: 'REMOTE_PROC_CONNECT_GET_CPU_MODEL_NAMES',
    args: [
      ['arch', 'string'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['models', 'string<8192>'],
      ['ret', 'int'],
    ],
  },
  python: 'getCPUModelNames',
};

export const connectCompareCPU: CallDef = {
  c: 'virConnectCompareCPU',
  object: 'Connect',
  name: 'compareCPU',
  doc: 'How a CPU definition compares with the host CPU (a CPUCompareResult value).',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the CPU XML', wire: 'xml' }],
  flags: 'ConnectCompareCPUFlags',
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 158,
    procName: 'REMOTE_PROC_CONNECT_COMPARE_CPU',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'int']],
  },
  python: 'compareCPU',
};

export const connectBaselineCPU: CallDef = {
  c: 'virConnectBaselineCPU',
  object: 'Connect',
  name: 'baselineCPU',
  doc: 'The most capable CPU that every given CPU can provide, as CPU XML.',
  params: [{ name: 'xmlCPUs', type: 'string[]', doc: 'the CPU definitions', wire: 'xml_cpus' }],
  flags: 'ConnectBaselineCPUFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 162,
    procName: 'REMOTE_PROC_CONNECT_BASELINE_CPU',
    args: [
      ['xml_cpus', 'string<256>'],
      ['flags', 'uint'],
    ],
    ret: [['cpu', 'string']],
  },
  python: 'baselineCPU',
};

export const connectCompareHypervisorCPU: CallDef = {
  c: 'virConnectCompareHypervisorCPU',
  object: 'Connect',
  name: 'compareHypervisorCPU',
  doc: 'How a CPU definition compares with the CPU a hypervisor can give a guest (a CPUCompareResult value).',
  params: [
    { name: 'emulator', type: 'string?', doc: 'the emulator binary, or null' },
    { name: 'arch', type: 'string?', doc: 'the guest architecture, or null' },
    { name: 'machine', type: 'string?', doc: 'the machine type, or null' },
    { name: 'virttype', type: 'string?', doc: 'the virtualization type (kvm, qemu), or null' },
    { name: 'xmlCPU', type: 'xml', doc: 'the CPU XML', wire: 'xml_cpu' },
  ],
  flags: 'ConnectCompareCPUFlags',
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 393,
    procName: 'REMOTE_PROC_CONNECT_COMPARE_HYPERVISOR_CPU',
    args: [
      ['emulator', 'string?'],
      ['arch', 'string?'],
      ['machine', 'string?'],
      ['virttype', 'string?'],
      ['xml_cpu', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'int']],
  },
  python: 'compareHypervisorCPU',
};

export const connectBaselineHypervisorCPU: CallDef = {
  c: 'virConnectBaselineHypervisorCPU',
  object: 'Connect',
  name: 'baselineHypervisorCPU',
  doc: 'The most capable CPU a hypervisor can give a guest that every given CPU can provide, as CPU XML.',
  params: [
    { name: 'emulator', type: 'string?', doc: 'the emulator binary, or null' },
    { name: 'arch', type: 'string?', doc: 'the guest architecture, or null' },
    { name: 'machine', type: 'string?', doc: 'the machine type, or null' },
    { name: 'virttype', type: 'string?', doc: 'the virtualization type (kvm, qemu), or null' },
    { name: 'xmlCPUs', type: 'string[]', doc: 'the CPU definitions', wire: 'xml_cpus' },
  ],
  flags: 'ConnectBaselineCPUFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 394,
    procName: 'REMOTE_PROC_CONNECT_BASELINE_HYPERVISOR_CPU',
    args: [
      ['emulator', 'string?'],
      ['arch', 'string?'],
      ['machine', 'string?'],
      ['virttype', 'string?'],
      ['xml_cpus', 'string<256>'],
      ['flags', 'uint'],
    ],
    ret: [['cpu', 'string']],
  },
  python: 'baselineHypervisorCPU',
};
