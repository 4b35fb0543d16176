/**
 * testConnectGetCPUModelNames: the models of libvirt's CPU map, whose index the package ships in
 * data/cpu_map (found from this module's location, in the sources and in the built bundle).
 */
import { cpuModelNames } from '@virtkit/xml';
import { checkFlags, FROM_TEST } from './errors';
import { readDataFile } from './package-data';

let index: string | undefined;

function cpuMapIndex(): string {
  return (index ??= readDataFile('cpu_map/index.xml').toString('utf8'));
}

export function getCPUModelNames(arch: string, flags: number): string[] {
  checkFlags(flags, 0, 'testConnectGetCPUModelNames');
  return cpuModelNames(cpuMapIndex(), arch, FROM_TEST);
}
