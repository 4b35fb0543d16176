/** cpu-models, as virsh 9.0's cmdCPUModelNames runs it. */
import type { CmdDef } from '../types';
import { req } from '../opt';

export const cpuCommands: CmdDef[] = [
  {
    name: 'cpu-models',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const arch = req(ctl, opts, 'arch');
      const models = await ctl.attempt('failed to get CPU model names', () => ctl.c.getCPUModelNames(arch));
      if (models.length === 0) ctl.printExtra('all CPU models are accepted\n');
      for (const m of models) ctl.print(`${m}\n`);
      return true;
    },
  },
];
