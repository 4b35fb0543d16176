/** `help <command>`: virsh's NAME / SYNOPSIS / DESCRIPTION / OPTIONS page for one command. */
import type { CmdDef, OptDef } from '../types';
import { CommandFailed } from '../ctl';
import { label } from '../format';
import { req, str } from '../opt';
import { usage } from '../help';
import { DESCRIPTIONS } from './descriptions';

function valueWord(o: OptDef): string {
  return o.type === 'int' ? '<number>' : '<string>';
}

/** One command's help page, laid out as virsh's vshCmddefHelp does. */
export function commandHelp(def: CmdDef): string {
  const opts = def.opts.filter((o) => !o.aliasOf);
  const synopsis = opts.map((o) => {
    if (o.type === 'bool') return `[--${o.name}]`;
    if (o.type === 'data' && o.multi && !o.required) return `[<${o.name}>]...`;
    if (o.required) return o.namedOnly ? `--${o.name} ${valueWord(o)}` : `<${o.name}>`;
    return `[--${o.name} ${valueWord(o)}]`;
  });
  const lines = opts.map((o) => {
    const left =
      o.type === 'bool'
        ? `--${o.name}`
        : o.type === 'data' && o.multi && !o.required
          ? `<${o.name}>`
          : o.required && !o.namedOnly
            ? `[--${o.name}] ${valueWord(o)}`
            : `--${o.name} ${valueWord(o)}`;
    return `    ${label(left)}  ${o.help ?? ''}\n`;
  });
  let out = `  NAME\n    ${def.name} - ${def.help}\n\n  SYNOPSIS\n    ${[def.name, ...synopsis].join(' ')}\n\n`;
  const desc = def.desc ?? DESCRIPTIONS[def.name] ?? def.help;
  if (desc) out += `  DESCRIPTION\n    ${desc}\n\n`;
  if (lines.length) out += `  OPTIONS\n${lines.join('')}\n`;
  return out;
}

/** Built by the command table, which it lists and looks commands up in. */
export function helpCommand(commands: () => readonly CmdDef[], find: (name: string) => CmdDef | undefined): CmdDef {
  return {
    name: 'help',
    group: 'virsh',
    help: 'print help',
    desc: 'Prints global help, command specific help, or help for a group of related commands',
    noConnect: true,
    opts: [{ name: 'command', type: 'string', help: 'Prints global help, command specific help, or help for a group of related commands' }],
    async handler(ctl, opts) {
      const name = str(ctl, opts, 'command');
      if (name === null) {
        ctl.print(usage(commands()));
        return true;
      }
      const def = find(req(ctl, opts, 'command'));
      if (!def) {
        ctl.error(`command or command group '${name}' doesn't exist`);
        throw new CommandFailed();
      }
      ctl.print(commandHelp(def));
      return true;
    },
  };
}
