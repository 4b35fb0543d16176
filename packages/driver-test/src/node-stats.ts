/**
 * The host monitoring calls of the test driver (testNodeGetCPUMap, testNodeGetCPUStats): fixed
 * figures, the same ones libvirt's test driver reports, whatever the node description says.
 */
import type { NodeCPUMap, NodeStat } from '@virtkit/core';
import { checkFlags } from './errors';

/** testNodeGetCPUMap: 8 CPUs of which 0, 2 and 4 are online. */
export function cpuMap(flags: number): NodeCPUMap {
  checkFlags(flags, 0, 'testNodeGetCPUMap');
  return { cpumap: Uint8Array.of(0x15), online: 3, ret: 8 };
}

/** testNodeGetCPUStats: one set of counters (nanoseconds) for any CPU number. */
export function cpuStats(flags: number): NodeStat[] {
  checkFlags(flags, 0, 'testNodeGetCPUStats');
  return [
    { field: 'user', value: 9797400000 },
    { field: 'kernel', value: 34678723400000 },
    { field: 'idle', value: 87264900000 },
    { field: 'iowait', value: 763600000 },
  ];
}
