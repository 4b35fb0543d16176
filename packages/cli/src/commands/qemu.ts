/** QEMU-specific commands: qemu-monitor-command. */
import { DomainQemuMonitorCommandFlags } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req } from '../opt';
import { multiValues } from '../parse';
import { monitorCommand } from '../qmp-command';
import { formatJson, member, parseJson } from '../yajl-json';
import { DOMAIN_OPT } from './shared-options';

export const qemuCommands: CmdDef[] = [
  {
    name: 'qemu-monitor-command',
    group: 'domain',
    help: 'QEMU Monitor Command',
    opts: [
      DOMAIN_OPT,
      { name: 'hmp', type: 'bool' },
      { name: 'pretty', type: 'bool' },
      { name: 'return-value', type: 'bool' },
      { name: 'cmd', type: 'string', required: true, multi: true },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'hmp', 'pretty');
      exclusive(ctl, opts, 'hmp', 'return-value');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const hmp = flag(opts, 'hmp');
      const text = monitorCommand(ctl, multiValues(opts, 'cmd'), hmp);
      const reply = await dom.qemuMonitorCommand(text, hmp ? DomainQemuMonitorCommandFlags.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP : 0);
      if (!flag(opts, 'pretty') && !flag(opts, 'return-value')) {
        ctl.print(`${reply}\n`);
        return true;
      }
      let shown = parseJson(reply);
      if (flag(opts, 'return-value')) {
        const value = member(shown, 'return');
        if (!value) return ctl.fail("'return' member missing");
        shown = value;
      }
      ctl.print(`${formatJson(shown, flag(opts, 'pretty')).trimEnd()}\n`);
      return true;
    },
  },
];
