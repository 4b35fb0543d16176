/**
 * Monitoring: the bulk domain statistics (virConnectGetAllDomainStats), memory, block and
 * interface counters, vCPU placement and job progress, as libvirt's src/libvirt-domain.c defines
 * them and remote_protocol.x carries them.
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virDomainStatsTypes: the statistics groups of virConnectGetAllDomainStats. */
export enum DomainStatsTypes {
  /** state and reason */
  VIR_DOMAIN_STATS_STATE = 1 << 0,
  /** CPU time of the whole domain */
  VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
  /** balloon current and maximum */
  VIR_DOMAIN_STATS_BALLOON = 1 << 2,
  /** per-vCPU state and time */
  VIR_DOMAIN_STATS_VCPU = 1 << 3,
  /** per-interface traffic */
  VIR_DOMAIN_STATS_INTERFACE = 1 << 4,
  /** per-disk I/O and sizes */
  VIR_DOMAIN_STATS_BLOCK = 1 << 5,
  /** perf event counters */
  VIR_DOMAIN_STATS_PERF = 1 << 6,
  /** IOThread polling */
  VIR_DOMAIN_STATS_IOTHREAD = 1 << 7,
  /** memory bandwidth */
  VIR_DOMAIN_STATS_MEMORY = 1 << 8,
  /** dirty page rate */
  VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9,
  /** the hypervisor's own statistics */
  VIR_DOMAIN_STATS_VM = 1 << 10,
}

/** virConnectGetAllDomainStatsFlags: which domains to report and how. */
export enum ConnectGetAllDomainStatsFlags {
  /** only active domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = 1 << 0,
  /** only inactive domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = 1 << 1,
  /** only persistent domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = 1 << 2,
  /** only transient domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = 1 << 3,
  /** only running domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = 1 << 4,
  /** only paused domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = 1 << 5,
  /** only shut-off domains */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = 1 << 6,
  /** only domains in other states */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = 1 << 7,
  /** do not wait for a domain busy with a job; report what is at hand */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29,
  /** include the backing chain of each disk in the block group */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING = 1 << 30,
  /** fail when a requested group is not supported */
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 0x80000000,
}

/** virDomainMemoryStatTags: the tag of one memory statistic. */
export enum DomainMemoryStatTags {
  /** KiB swapped in */
  VIR_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
  /** KiB swapped out */
  VIR_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
  /** page faults needing disk I/O */
  VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
  /** page faults served from memory */
  VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
  /** KiB unused by the guest */
  VIR_DOMAIN_MEMORY_STAT_UNUSED = 4,
  /** KiB usable by the guest */
  VIR_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
  /** KiB the balloon holds the guest at */
  VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
  /** resident set size of the process, KiB */
  VIR_DOMAIN_MEMORY_STAT_RSS = 7,
  /** KiB the guest could use without swapping */
  VIR_DOMAIN_MEMORY_STAT_USABLE = 8,
  /** when the guest last updated the statistics, seconds since the epoch */
  VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
  /** KiB of disk caches the guest could reclaim */
  VIR_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
  /** successful huge page allocations in the guest */
  VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
  /** failed huge page allocations in the guest */
  VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
}

/** virTypedParameterFlags: the flags of calls that return typed parameters. */
export enum TypedParameterFlags {
  /** the caller accepts string-typed parameters (always set by libvirt's own clients) */
  VIR_TYPED_PARAM_STRING_OKAY = 1 << 2,
}

/** virVcpuState: the state of one vCPU. */
export enum VcpuState {
  /** offline */
  VIR_VCPU_OFFLINE = 0,
  /** running */
  VIR_VCPU_RUNNING = 1,
  /** blocked on a resource */
  VIR_VCPU_BLOCKED = 2,
}

/** virDomainStatsRecord: one domain's statistics. */
export const DomainStatsRecord: StructDef = {
  name: 'DomainStatsRecord',
  c: 'virDomainStatsRecord',
  doc: 'One domain and its statistics, named like `state.state`, `block.0.rd.bytes`',
  fields: [
    { name: 'dom', type: 'Domain', doc: 'the domain' },
    { name: 'params', type: 'TypedParams', doc: 'the statistics, each with its libvirt type' },
  ],
};

/** virDomainMemoryStatStruct. */
export const MemoryStat: StructDef = {
  name: 'MemoryStat',
  c: 'virDomainMemoryStatStruct',
  doc: 'One memory statistic: a DomainMemoryStatTags value and its amount',
  fields: [
    { name: 'tag', type: 'int', doc: 'a DomainMemoryStatTags value' },
    { name: 'val', type: 'ulong', doc: 'the amount (KiB for sizes)' },
  ],
};

/** virDomainBlockStatsStruct. */
export const BlockStats: StructDef = {
  name: 'BlockStats',
  c: 'virDomainBlockStatsStruct',
  doc: 'I/O counters of one disk; -1 where the hypervisor does not know',
  fields: [
    { name: 'rd_req', type: 'long', doc: 'read requests' },
    { name: 'rd_bytes', type: 'long', doc: 'bytes read' },
    { name: 'wr_req', type: 'long', doc: 'write requests' },
    { name: 'wr_bytes', type: 'long', doc: 'bytes written' },
    { name: 'errs', type: 'long', doc: 'errors (Xen only)' },
  ],
};

/** virDomainInterfaceStatsStruct. */
export const InterfaceStats: StructDef = {
  name: 'InterfaceStats',
  c: 'virDomainInterfaceStatsStruct',
  doc: 'Traffic counters of one guest interface, seen from the guest; -1 where unknown',
  fields: [
    { name: 'rx_bytes', type: 'long', doc: 'bytes received' },
    { name: 'rx_packets', type: 'long', doc: 'packets received' },
    { name: 'rx_errs', type: 'long', doc: 'receive errors' },
    { name: 'rx_drop', type: 'long', doc: 'received packets dropped' },
    { name: 'tx_bytes', type: 'long', doc: 'bytes sent' },
    { name: 'tx_packets', type: 'long', doc: 'packets sent' },
    { name: 'tx_errs', type: 'long', doc: 'send errors' },
    { name: 'tx_drop', type: 'long', doc: 'sent packets dropped' },
  ],
};

/** virDomainJobInfo. */
export const JobInfo: StructDef = {
  name: 'JobInfo',
  c: 'virDomainJobInfo',
  doc: 'Progress of the current background job',
  fields: [
    { name: 'type', type: 'int', doc: 'a DomainJobType value' },
    { name: 'timeElapsed', type: 'ulong', doc: 'milliseconds since the job started' },
    { name: 'timeRemaining', type: 'ulong', doc: 'milliseconds estimated to remain' },
    { name: 'dataTotal', type: 'ulong', doc: 'bytes to process in all' },
    { name: 'dataProcessed', type: 'ulong', doc: 'bytes processed' },
    { name: 'dataRemaining', type: 'ulong', doc: 'bytes remaining' },
    { name: 'memTotal', type: 'ulong', doc: 'memory bytes in all' },
    { name: 'memProcessed', type: 'ulong', doc: 'memory bytes processed' },
    { name: 'memRemaining', type: 'ulong', doc: 'memory bytes remaining' },
    { name: 'fileTotal', type: 'ulong', doc: 'file bytes in all' },
    { name: 'fileProcessed', type: 'ulong', doc: 'file bytes processed' },
    { name: 'fileRemaining', type: 'ulong', doc: 'file bytes remaining' },
  ],
};

/** virVcpuInfo. */
export const VcpuInfo: StructDef = {
  name: 'VcpuInfo',
  c: 'virVcpuInfo',
  doc: 'State, time and host CPU of one vCPU',
  fields: [
    { name: 'number', type: 'uint', doc: 'vCPU number' },
    { name: 'state', type: 'int', doc: 'a VcpuState value' },
    { name: 'cpu_time', type: 'ulong', doc: 'CPU time used, in nanoseconds' },
    { name: 'cpu', type: 'int', doc: 'host CPU it last ran on, -1 when offline' },
  ],
};

/** The out-parameters of virDomainGetVcpus. */
export const DomainVcpus: StructDef = {
  name: 'DomainVcpus',
  c: '',
  doc: 'Every vCPU with its host CPU affinity map (maplen bytes per vCPU, bit n = host CPU n)',
  fields: [
    { name: 'info', type: 'VcpuInfo[]', doc: 'one entry per vCPU' },
    { name: 'cpumaps', type: 'bytes', doc: 'the affinity maps, maplen bytes each, in vCPU order' },
  ],
};

/** The out-parameters of virDomainGetVcpuPinInfo. */
export const VcpuPinInfo: StructDef = {
  name: 'VcpuPinInfo',
  c: '',
  doc: 'The configured pinning of each vCPU (maplen bytes per vCPU)',
  fields: [
    { name: 'cpumaps', type: 'bytes', doc: 'the pinning maps, maplen bytes each, in vCPU order' },
    { name: 'num', type: 'int', doc: 'the number of vCPUs described' },
  ],
};

/** The out-parameters of virDomainGetEmulatorPinInfo. */
export const EmulatorPinInfo: StructDef = {
  name: 'EmulatorPinInfo',
  c: '',
  doc: 'The pinning of the emulator threads',
  fields: [
    { name: 'cpumaps', type: 'bytes', doc: 'one map of maplen bytes' },
    { name: 'ret', type: 'int', doc: '1 when a map was returned, 0 when the emulator is not pinned' },
  ],
};

/** Records nested inside the stats messages. */
export const statsWireStructs: WireStructDef[] = [
  {
    name: 'DomainStatsRecordWire',
    fields: [
      ['dom', 'Dom'],
      ['params', 'TP<262144>'],
    ],
  },
  {
    name: 'MemoryStatWire',
    fields: [
      ['tag', 'int'],
      ['val', 'uhyper'],
    ],
  },
  {
    name: 'VcpuInfoWire',
    fields: [
      ['number', 'uint'],
      ['state', 'int'],
      ['cpu_time', 'uhyper'],
      ['cpu', 'int'],
    ],
  },
];

export const domainListGetStats: CallDef = {
  c: 'virDomainListGetStats',
  object: 'Connect',
  name: 'domainListGetStats',
  doc: 'Statistics of the given domains (all domains when the list is empty), the groups chosen by a DomainStatsTypes mask (0: every group the driver has).',
  params: [
    { name: 'doms', type: 'Domain[]', doc: 'the domains' },
    { name: 'stats', type: 'uint', doc: 'DomainStatsTypes bits' },
  ],
  flags: 'ConnectGetAllDomainStatsFlags',
  returns: 'DomainStatsRecord[]',
  since: '0.2.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 344,
    procName: 'REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS',
    args: [
      ['doms', 'Dom<16384>'],
      ['stats', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [['retStats', 'DomainStatsRecordWire<16384>']],
  },
  python: null,
};

export const connectGetAllDomainStats: CallDef = {
  c: 'virConnectGetAllDomainStats',
  object: 'Connect',
  name: 'getAllDomainStats',
  doc: 'Statistics of every domain the filter flags select, the groups chosen by a DomainStatsTypes mask (0: every group the driver has).',
  params: [{ name: 'stats', type: 'uint', doc: 'DomainStatsTypes bits' }],
  flags: 'ConnectGetAllDomainStatsFlags',
  returns: 'DomainStatsRecord[]',
  since: '0.2.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'core',
  remote: null,
  python: null,
};

export const domainMemoryStats: CallDef = {
  c: 'virDomainMemoryStats',
  object: 'Domain',
  name: 'memoryStats',
  doc: 'Memory statistics of the running domain: balloon, guest-reported and host figures.',
  params: [{ name: 'nrStats', type: 'uint', doc: 'the most statistics to return', wire: 'maxStats' }],
  flags: 'reserved',
  returns: 'MemoryStat[]',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 159,
    procName: 'REMOTE_PROC_DOMAIN_MEMORY_STATS',
    args: [
      ['dom', 'Dom'],
      ['maxStats', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [['stats', 'MemoryStatWire<1024>']],
  },
  python: 'memoryStats',
};

export const domainSetMemoryStatsPeriod: CallDef = {
  c: 'virDomainSetMemoryStatsPeriod',
  object: 'Domain',
  name: 'setMemoryStatsPeriod',
  doc: 'How often, in seconds, the balloon driver refreshes the guest memory statistics (0 stops it).',
  params: [{ name: 'period', type: 'int', doc: 'seconds' }],
  flags: 'DomainMemoryModFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_MEM_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 308,
    procName: 'REMOTE_PROC_DOMAIN_SET_MEMORY_STATS_PERIOD',
    args: [
      ['dom', 'Dom'],
      ['period', 'int'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setMemoryStatsPeriod',
};

export const domainBlockStats: CallDef = {
  c: 'virDomainBlockStats',
  object: 'Domain',
  name: 'blockStats',
  doc: 'I/O counters of one disk, named by target (vda) or source path.',
  params: [{ name: 'disk', type: 'string', doc: 'disk target or source path', wire: 'path' }],
  returns: 'BlockStats',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 64,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_STATS',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
    ],
    ret: [
      ['rd_req', 'hyper'],
      ['rd_bytes', 'hyper'],
      ['wr_req', 'hyper'],
      ['wr_bytes', 'hyper'],
      ['errs', 'hyper'],
    ],
  },
  python: 'blockStats',
};

export const domainBlockStatsFlags: CallDef = {
  c: 'virDomainBlockStatsFlags',
  object: 'Domain',
  name: 'blockStatsFlags',
  doc: 'Typed I/O counters of one disk (rd_operations, rd_bytes, rd_total_times, flush_operations, ...); an empty disk name sums all disks.',
  params: [{ name: 'disk', type: 'string', doc: 'disk target or source path', wire: 'path' }],
  flags: 'TypedParameterFlags',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 243,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'TP<16>'],
      ['nparams', 'int'],
    ],
  },
  python: 'blockStatsFlags',
};

export const domainInterfaceStats: CallDef = {
  c: 'virDomainInterfaceStats',
  object: 'Domain',
  name: 'interfaceStats',
  doc: 'Traffic counters of one guest interface, named by host device (vnet0), alias or MAC address.',
  params: [{ name: 'device', type: 'string', doc: 'interface name, alias or MAC', wire: 'path' }],
  returns: 'InterfaceStats',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 65,
    procName: 'REMOTE_PROC_DOMAIN_INTERFACE_STATS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
    ],
    ret: [
      ['rx_bytes', 'hyper'],
      ['rx_packets', 'hyper'],
      ['rx_errs', 'hyper'],
      ['rx_drop', 'hyper'],
      ['tx_bytes', 'hyper'],
      ['tx_packets', 'hyper'],
      ['tx_errs', 'hyper'],
      ['tx_drop', 'hyper'],
    ],
  },
  python: 'interfaceStats',
};

export const domainGetVcpus: CallDef = {
  c: 'virDomainGetVcpus',
  object: 'Domain',
  name: 'getVcpus',
  doc: 'State, time and host CPU of each vCPU of the running domain, with affinity maps of maplen bytes.',
  params: [
    { name: 'maxinfo', type: 'int', doc: 'the most vCPUs to describe' },
    { name: 'maplen', type: 'int', doc: 'bytes per affinity map (0: no maps)' },
  ],
  returns: 'DomainVcpus',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 20,
    procName: 'REMOTE_PROC_DOMAIN_GET_VCPUS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['maxinfo', 'int'],
      ['maplen', 'int'],
    ],
    ret: [
      ['info', 'VcpuInfoWire<16384>'],
      ['cpumaps', 'opaque<8388608>'],
    ],
  },
  python: null,
};

export const domainGetVcpuPinInfo: CallDef = {
  c: 'virDomainGetVcpuPinInfo',
  object: 'Domain',
  name: 'getVcpuPinInfo',
  doc: 'The pinning of each vCPU, live or as configured.',
  params: [
    { name: 'ncpumaps', type: 'int', doc: 'the most vCPUs to describe' },
    { name: 'maplen', type: 'int', doc: 'bytes per map' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'VcpuPinInfo',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 230,
    procName: 'REMOTE_PROC_DOMAIN_GET_VCPU_PIN_INFO',
    args: [
      ['dom', 'Dom'],
      ['ncpumaps', 'int'],
      ['maplen', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['cpumaps', 'opaque<8388608>'],
      ['num', 'int'],
    ],
  },
  python: null,
};

export const domainGetEmulatorPinInfo: CallDef = {
  c: 'virDomainGetEmulatorPinInfo',
  object: 'Domain',
  name: 'getEmulatorPinInfo',
  doc: 'The pinning of the emulator threads, live or as configured.',
  params: [{ name: 'maplen', type: 'int', doc: 'bytes of the map' }],
  flags: 'DomainModificationImpact',
  returns: 'EmulatorPinInfo',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 280,
    procName: 'REMOTE_PROC_DOMAIN_GET_EMULATOR_PIN_INFO',
    args: [
      ['dom', 'Dom'],
      ['maplen', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['cpumaps', 'opaque<8388608>'],
      ['ret', 'int'],
    ],
  },
  python: null,
};

export const domainGetJobInfo: CallDef = {
  c: 'virDomainGetJobInfo',
  object: 'Domain',
  name: 'getJobInfo',
  doc: 'Progress of the current background job.',
  params: [],
  returns: 'JobInfo',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 163,
    procName: 'REMOTE_PROC_DOMAIN_GET_JOB_INFO',
    args: [['dom', 'Dom']],
    ret: [
      ['type', 'int'],
      ['timeElapsed', 'uhyper'],
      ['timeRemaining', 'uhyper'],
      ['dataTotal', 'uhyper'],
      ['dataProcessed', 'uhyper'],
      ['dataRemaining', 'uhyper'],
      ['memTotal', 'uhyper'],
      ['memProcessed', 'uhyper'],
      ['memRemaining', 'uhyper'],
      ['fileTotal', 'uhyper'],
      ['fileProcessed', 'uhyper'],
      ['fileRemaining', 'uhyper'],
    ],
  },
  python: 'jobInfo',
};
