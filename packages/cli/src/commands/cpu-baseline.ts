/** cpu-baseline and hypervisor-cpu-baseline, as virsh 9.0's cmdCPUBaseline and cmdHypervisorCPUBaseline run them. */
import { ConnectBaselineCPUFlags as B } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { exclusive, flag, req, str } from '../opt';
import { cpuXmls } from './cpu-xml';

function baselineFlags(opts: Opts): number {
  return (
    (flag(opts, 'features') ? B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES : 0) |
    (flag(opts, 'migratable') ? B.VIR_CONNECT_BASELINE_CPU_MIGRATABLE : 0)
  );
}

/** The CPUs to combine: those of --file, or with --model one CPU of that model alone. */
function hypervisorCpus(ctl: Ctl, opts: Opts): string[] {
  exclusive(ctl, opts, 'file', 'model');
  const file = str(ctl, opts, 'file');
  const model = str(ctl, opts, 'model');
  if (file !== null) return cpuXmls(ctl, file);
  if (model === null) ctl.fail('Either --file or --model must be provided');
  return [`<cpu><model>${model}</model></cpu>`];
}

export const cpuBaselineCommands: CmdDef[] = [
  {
    name: 'cpu-baseline',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const cpus = cpuXmls(ctl, req(ctl, opts, 'file'));
      ctl.print(await ctl.c.baselineCPU(cpus, baselineFlags(opts)));
      return true;
    },
  },
  {
    name: 'hypervisor-cpu-baseline',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const s = (n: string) => str(ctl, opts, n);
      const [virttype, emulator, arch, machine] = [s('virttype'), s('emulator'), s('arch'), s('machine')];
      const cpus = hypervisorCpus(ctl, opts);
      ctl.print(await ctl.c.baselineHypervisorCPU(emulator, arch, machine, virttype, cpus, baselineFlags(opts)));
      return true;
    },
  },
];
