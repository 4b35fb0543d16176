/** `help [COMMAND|GROUP]`: virsh's cmdHelp. */
import type { CmdDef } from '../types';
import { str } from '../opt';
import { allHelp, commandHelp, groupHelp, tableCommand, tableGroup } from '../help';

/** Built by the command table, which it looks commands up in (for --help of an unknown name). */
export function helpCommand(find: (name: string) => CmdDef | undefined): CmdDef {
  return {
    name: 'help',
    group: 'virsh',
    help: '',
    noConnect: true,
    opts: [],
    async handler(ctl, opts) {
      const name = str(ctl, opts, 'command', true);
      if (!name) {
        ctl.print(allHelp());
        return true;
      }
      const def = tableCommand(name);
      if (def && find(def.name)) {
        ctl.print(commandHelp(def));
        return true;
      }
      const group = tableGroup(name);
      if (group) {
        ctl.print(groupHelp(group));
        return true;
      }
      return ctl.fail(`command or command group '${name}' doesn't exist`);
    },
  };
}
