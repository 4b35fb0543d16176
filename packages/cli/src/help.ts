/**
 * virsh's help texts from its command table: `-h` usage, `help` (every group), `help GROUP` and
 * `help COMMAND`, laid out as vsh.c's cmdHelp, vshCmdGrpHelp and vshCmddefHelp lay them out.
 */
import { VIRSH_GROUPS, isAlias, type VirshCommand, type VirshGroup } from './virsh-table';

const pad = (s: string, n: number): string => s.padEnd(n);

/** The command lines of one group: aliases and hidden commands left out. */
function groupLines(g: VirshGroup): string {
  return g.commands
    .filter((c): c is VirshCommand => !isAlias(c) && !c.hidden)
    .map((c) => `    ${pad(c.name, 30)} ${c.help}\n`)
    .join('');
}

/** `help GROUP`. */
export function groupHelp(g: VirshGroup): string {
  return ` ${g.name} (help keyword '${g.keyword}'):\n${groupLines(g)}`;
}

/** `help` with no argument. */
export function allHelp(): string {
  return `Grouped commands:\n\n${VIRSH_GROUPS.map((g) => `${groupHelp(g)}\n`).join('')}`;
}

/** The usage text of -h/--help. */
export function usage(): string {
  let out = `
virsh [options]... [<command_string>]
virsh [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -d | --debug=NUM        debug level [0-4]
    -e | --escape <char>    set escape sequence for console
    -h | --help             this help
    -k | --keepalive-interval=NUM
                            keepalive interval in seconds, 0 for disable
    -K | --keepalive-count=NUM
                            number of possible missed keepalive messages
    -l | --log=FILE         output logging to file
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -t | --timing           print timing information
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
  commands (non interactive mode):

`;
  for (const g of VIRSH_GROUPS) out += ` ${g.name} (help keyword '${g.keyword}')\n${groupLines(g)}\n`;
  out +=
    '\n  (specify help <group> for details about the commands in the group)\n\n  (specify help <command> for details about the command)\n\n';
  return out;
}

/** `help COMMAND`: NAME, SYNOPSIS, DESCRIPTION and OPTIONS, as vshCmddefHelp prints them. */
export function commandHelp(def: VirshCommand): string {
  let shortopt = false; // a positional word works instead of --opt word
  const synopsis: string[] = [];
  const options: string[] = [];
  for (const o of def.opts) {
    let syn: string;
    let left: string;
    switch (o.type) {
      case 'alias':
        continue;
      case 'bool':
        syn = `[--${o.name}]`;
        left = `--${o.name}`;
        break;
      case 'int':
        syn = o.required ? `<${o.name}>` : `[--${o.name} <number>]`;
        left = o.required ? `[--${o.name}] <number>` : `--${o.name} <number>`;
        shortopt ||= !o.namedOnly;
        break;
      case 'string':
        syn = `[--${o.name} <string>]`;
        left = `--${o.name} <string>`;
        shortopt ||= !o.namedOnly;
        break;
      case 'data':
        syn = o.required ? `<${o.name}>` : `[<${o.name}>]`;
        left = `[--${o.name}] <string>`;
        shortopt ||= !o.namedOnly;
        break;
      case 'argv':
        if (shortopt) syn = o.required ? `{[--${o.name}] <string>}...` : `[[--${o.name}] <string>]...`;
        else syn = o.required ? `<${o.name}>...` : `[<${o.name}>]...`;
        left = shortopt ? `[--${o.name}] <string>` : `<${o.name}>`;
        break;
    }
    synopsis.push(` ${syn}`);
    options.push(`    ${pad(left, 15)}  ${o.help}\n`);
  }
  let out = `  NAME\n    ${def.name} - ${def.help}\n\n  SYNOPSIS\n    ${def.name}${synopsis.join('')}\n`;
  if (def.desc) out += `\n  DESCRIPTION\n    ${def.desc}\n`;
  if (def.opts.length > 0) out += `\n  OPTIONS\n${options.join('')}`;
  return `${out}\n`;
}

/** The table entry of a command or alias (an alias gives its command), if virsh has it. */
export function tableCommand(name: string): VirshCommand | undefined {
  const all = VIRSH_GROUPS.flatMap((g) => g.commands);
  const c = all.find((x) => x.name === name);
  if (!c || !isAlias(c)) return c;
  return all.find((x): x is VirshCommand => x.name === c.alias && !isAlias(x));
}

/** The group called `name` or with keyword `name`. */
export function tableGroup(name: string): VirshGroup | undefined {
  return VIRSH_GROUPS.find((g) => g.name === name || g.keyword === name);
}
