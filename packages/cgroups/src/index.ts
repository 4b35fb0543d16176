/**
 * @virtkit/cgroups: the control groups of domains on cgroup v1, hybrid and v2 hosts, their
 * tunables (memory, CPU, block I/O) and the typed-parameter calls the QEMU and LXC drivers share
 * (virDomainGet/Set{Memory,Blkio,Scheduler,Numa}Parameters).
 *
 * @packageDocumentation
 */
export { cgroupLayout, type CgroupLayout } from './layout';
export { Cgroup, cgroupOfPid, type CgroupController } from './group';
export { MEMORY_UNLIMITED, memoryLimit, memoryUsageKiB, setMemoryLimit, type MemoryLimit } from './memory';
export {
  cpuBandwidth,
  cpuShares,
  cpuTimeNs,
  cpuUserSystemNs,
  setCpuBandwidth,
  setCpuShares,
  supportsCpuBandwidth,
  type CpuBandwidth,
} from './cpu';
export { blkioDeviceValue, blkioWeight, blockDeviceId, setBlkioDeviceValue, setBlkioWeight, type BlkioDeviceTunable } from './blkio';
export { memtuneLimit, blkiotune, cputuneValue, type BlkioTune, type BlkioDeviceTune, type CputuneScalar } from './tune-xml';
export { memoryParameters, setMemoryParameters, needController, type LiveTuning } from './memory-params';
export { applyBlkiotune, blkioParameters, setBlkioParameters } from './blkio-params';
export {
  applyCputune,
  schedulerParameters,
  schedulerType,
  setSchedulerParameters,
  type LiveSched,
  type SchedFlavor,
  type SchedGroups,
} from './sched-params';
export { applyContainerNumatune, applyNumatune, checkNodesAvailable, hostNumaNodes, setNumaParameters } from './numa';
