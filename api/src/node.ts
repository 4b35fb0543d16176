/**
 * Host monitoring: which CPUs exist and are online, the host's CPU time and memory counters and
 * the free memory of each NUMA cell, as libvirt's src/libvirt-host.c defines them.
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** The host CPU map of virNodeGetCPUMap. */
export const NodeCPUMap: StructDef = {
  name: 'NodeCPUMap',
  c: '',
  doc: 'The CPUs of the host: how many exist, which are online (bit n = CPU n) and how many',
  fields: [
    { name: 'cpumap', type: 'bytes', doc: 'one bit per CPU, set when it is online' },
    { name: 'online', type: 'uint', doc: 'the number of online CPUs' },
    { name: 'ret', type: 'int', doc: 'the number of CPUs present' },
  ],
};

/** virNodeCPUStats / virNodeMemoryStats: one named counter. */
export const NodeStat: StructDef = {
  name: 'NodeStat',
  c: 'virNodeCPUStats',
  doc: 'One host counter: CPU nanoseconds (kernel, user, idle, iowait) or memory KiB (total, free, buffers, cached)',
  fields: [
    { name: 'field', type: 'string', doc: 'the counter name' },
    { name: 'value', type: 'ulong', doc: 'its value' },
  ],
};

/** Records nested inside the node messages. */
export const nodeWireStructs: WireStructDef[] = [
  {
    name: 'NodeStatWire',
    fields: [
      ['field', 'string'],
      ['value', 'uhyper'],
    ],
  },
];

export const nodeGetCPUMap: CallDef = {
  c: 'virNodeGetCPUMap',
  object: 'Connect',
  name: 'getCPUMap',
  doc: 'The CPUs of the host and which of them are online.',
  params: [],
  flags: 'reserved',
  returns: 'NodeCPUMap',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 293,
    procName: 'REMOTE_PROC_NODE_GET_CPU_MAP',
    args: [
      ['need_map', 'int'],
      ['need_online', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['cpumap', 'opaque<2048>'],
      ['online', 'uint'],
      ['ret', 'int'],
    ],
  },
  python: null,
};

export const nodeGetCPUStats: CallDef = {
  c: 'virNodeGetCPUStats',
  object: 'Connect',
  name: 'getCPUStats',
  doc: 'CPU time counters of one host CPU, or of all of them (cpuNum -1), in nanoseconds.',
  params: [{ name: 'cpuNum', type: 'int', doc: 'the CPU, or VIR_NODE_CPU_STATS_ALL_CPUS (-1)' }],
  flags: 'reserved',
  returns: 'NodeStat[]',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 227,
    procName: 'REMOTE_PROC_NODE_GET_CPU_STATS',
    priority: 'high',
    args: [
      ['cpuNum', 'int'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'NodeStatWire<16>'],
      ['nparams', 'int'],
    ],
  },
  python: null,
};

export const nodeGetMemoryStats: CallDef = {
  c: 'virNodeGetMemoryStats',
  object: 'Connect',
  name: 'getMemoryStats',
  doc: 'Memory counters of one NUMA cell, or of the whole host (cellNum -1), in KiB.',
  params: [{ name: 'cellNum', type: 'int', doc: 'the cell, or VIR_NODE_MEMORY_STATS_ALL_CELLS (-1)' }],
  flags: 'reserved',
  returns: 'NodeStat[]',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 228,
    procName: 'REMOTE_PROC_NODE_GET_MEMORY_STATS',
    priority: 'high',
    args: [
      ['nparams', 'int'],
      ['cellNum', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'NodeStatWire<16>'],
      ['nparams', 'int'],
    ],
  },
  python: null,
};

export const nodeGetCellsFreeMemory: CallDef = {
  c: 'virNodeGetCellsFreeMemory',
  object: 'Connect',
  name: 'getCellsFreeMemory',
  doc: 'Free memory, in bytes, of up to maxCells NUMA cells from startCell on.',
  params: [
    { name: 'startCell', type: 'int', doc: 'the first cell' },
    { name: 'maxCells', type: 'int', doc: 'the most cells to report', wire: 'maxcells' },
  ],
  returns: 'ulong[]',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 101,
    procName: 'REMOTE_PROC_NODE_GET_CELLS_FREE_MEMORY',
    priority: 'high',
    args: [
      ['startCell', 'int'],
      ['maxcells', 'int'],
    ],
    ret: [['cells', 'uhyper<1024>']],
  },
  python: 'getCellsFreeMemory',
};
