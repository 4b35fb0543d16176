/** `vsh -h`: virsh's usage text, listing the commands vsh has. */
import type { CmdDef } from './types';

const GROUPS: Array<[string, string]> = [
  ['domain', "Domain Management (help keyword 'domain')"],
  ['domain-monitor', "Domain Monitoring (help keyword 'monitor')"],
  ['checkpoint', "Checkpoint (help keyword 'checkpoint')"],
  ['host', "Host and Hypervisor (help keyword 'host')"],
  ['interface', "Interface (help keyword 'interface')"],
  ['network', "Networking (help keyword 'network')"],
  ['pool', "Storage Pool (help keyword 'pool')"],
  ['volume', "Storage Volume (help keyword 'volume')"],
  ['secret', "Secret (help keyword 'secret')"],
  ['snapshot', "Snapshot (help keyword 'snapshot')"],
];

/** The usage text printed by -h/--help, listing `commands` by group. */
export function usage(commands: readonly CmdDef[]): string {
  let out = `
vsh [options]... [<command_string>]
vsh [options]... <command> [args...]

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
  for (const [group, title] of GROUPS) {
    const cmds = commands.filter((c) => c.group === group).sort((a, b) => a.name.localeCompare(b.name));
    if (!cmds.length) continue;
    out += ` ${title}\n`;
    for (const c of cmds) out += `    ${c.name.padEnd(30)} ${c.help}\n`;
    out += '\n';
  }
  out +=
    '\n  (specify help <group> for details about the commands in the group)\n\n  (specify help <command> for details about the command)\n\n';
  return out;
}
