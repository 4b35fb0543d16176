/** cpu-compare and hypervisor-cpu-compare, as virsh 9.0's cmdCPUCompare and cmdHypervisorCPUCompare run them. */
import { ConnectCompareCPUFlags as C, CPUCompareResult as R } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { flag, req, str } from '../opt';
import { cpuXmls } from './cpu-xml';

/** The first CPU of the file, the one virsh compares. */
function firstCpuXml(ctl: Ctl, file: string): string {
  return cpuXmls(ctl, file)[0];
}

function compareFlags(opts: Opts): number {
  return (
    (flag(opts, 'error') ? C.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE : 0) |
    (flag(opts, 'validate') ? C.VIR_CONNECT_COMPARE_CPU_VALIDATE_XML : 0)
  );
}

/** The verdict as virsh prints it (the blank line after it is every command's); incompatible fails the command. */
function report(ctl: Ctl, result: number, texts: Record<number, string>): boolean {
  ctl.print(`${texts[result]}\n`);
  return result !== R.VIR_CPU_COMPARE_INCOMPATIBLE;
}

export const cpuCompareCommands: CmdDef[] = [
  {
    name: 'cpu-compare',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = firstCpuXml(ctl, file);
      const result = await ctl.attempt(`Failed to compare host CPU with ${file}`, () => ctl.c.compareCPU(xml, compareFlags(opts)));
      return report(ctl, result, {
        [R.VIR_CPU_COMPARE_INCOMPATIBLE]: `CPU described in ${file} is incompatible with host CPU`,
        [R.VIR_CPU_COMPARE_IDENTICAL]: `CPU described in ${file} is identical to host CPU`,
        [R.VIR_CPU_COMPARE_SUPERSET]: `Host CPU is a superset of CPU described in ${file}`,
      });
    },
  },
  {
    name: 'hypervisor-cpu-compare',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const s = (n: string) => str(ctl, opts, n);
      const [virttype, emulator, arch, machine] = [s('virttype'), s('emulator'), s('arch'), s('machine')];
      const xml = firstCpuXml(ctl, file);
      const result = await ctl.attempt(`Failed to compare hypervisor CPU with ${file}`, () =>
        ctl.c.compareHypervisorCPU(emulator, arch, machine, virttype, xml, compareFlags(opts)),
      );
      return report(ctl, result, {
        [R.VIR_CPU_COMPARE_INCOMPATIBLE]: `CPU described in ${file} is incompatible with the CPU provided by hypervisor on the host`,
        [R.VIR_CPU_COMPARE_IDENTICAL]: `CPU described in ${file} is identical to the CPU provided by hypervisor on the host`,
        [R.VIR_CPU_COMPARE_SUPERSET]: `The CPU provided by hypervisor on the host is a superset of CPU described in ${file}`,
      });
    },
  },
];
