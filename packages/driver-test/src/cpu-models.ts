/**
 * The test driver's CPU model calls over libvirt's CPU map, which the package ships in
 * data/cpu_map (found from this module's location, in the sources and in the built bundle):
 * testConnectGetCPUModelNames, and testConnectBaselineCPU by the map's x86 baseline rules.
 */
import { ConnectBaselineCPUFlags as B } from '@virtkit/core';
import { baselineCpu, cpuModelNames, expandFeatures, formatBaselineCpu, loadX86Map, parseBaselineCpus, type X86Map } from '@virtkit/xml';
import { checkFlags, FROM_TEST } from './errors';
import { readDataFile } from './package-data';

const readMapFile = (file: string) => readDataFile(`cpu_map/${file}`).toString('utf8');

let index: string | undefined;
let map: X86Map | undefined;

export function getCPUModelNames(arch: string, flags: number): string[] {
  checkFlags(flags, 0, 'testConnectGetCPUModelNames');
  return cpuModelNames((index ??= readMapFile('index.xml')), arch, FROM_TEST);
}

/** testConnectBaselineCPU: the baseline of host CPUs, with no migratability filter. */
export function baselineCPU(xmlCPUs: readonly string[], flags: number): string {
  checkFlags(flags, B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES | B.VIR_CONNECT_BASELINE_CPU_MIGRATABLE, 'testConnectBaselineCPU');
  map ??= loadX86Map(readMapFile);
  const cpu = baselineCpu(parseBaselineCpus(xmlCPUs, false), { migratable: false }, map);
  if (flags & B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES) expandFeatures(cpu, map);
  return formatBaselineCpu(cpu);
}
