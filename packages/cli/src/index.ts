/**
 * vsh: the virsh-compatible command line of virtkit. `main(argv, io)` runs one invocation
 * in-process (tests use it); `bin.ts` wires it to the process.
 */
import { open, registerDriver } from '@virtkit/core';
import * as driverTest from '@virtkit/driver-test';
import { COMMANDS, findCommand } from './commands';
import { Ctl } from './ctl';
import { CliError, isVirError } from './errors';
import { parseGlobals } from './globals';
import { usage } from './help';
import { parseCommands } from './parse';
import { runCommands } from './run';
import { tokenizeArgv, tokenizeString } from './tokenize';
import type { Io, ParsedCmd } from './types';

export type { Io } from './types';
export { COMMANDS, findCommand } from './commands';

/** The libvirt release whose virsh vsh reproduces. */
export const VIRSH_VERSION = '9.0.0';

let driversRegistered = false;

/** Make the first-party drivers available to `open()`. */
function registerDrivers(): void {
  if (driversRegistered) return;
  driversRegistered = true;
  for (const mod of [driverTest as Record<string, unknown>]) {
    const d = (mod.driver ?? mod.default) as { open?: unknown; schemes?: unknown } | undefined;
    if (d && typeof d.open === 'function' && Array.isArray(d.schemes)) registerDriver(d as Parameters<typeof registerDriver>[0]);
  }
}

/** Run vsh with `argv` (without the program name); resolves to the exit code, also stored in `io.exitCode`. */
export async function main(argv: string[], io: Io): Promise<number> {
  const code = await mainInner(argv, io);
  io.exitCode = code;
  return code;
}

async function mainInner(argv: string[], io: Io): Promise<number> {
  const ctl = new Ctl(io);
  let cmds: ParsedCmd[];
  let timing = false;
  try {
    const g = parseGlobals(argv);
    if (g.help) {
      io.stdout(usage(COMMANDS));
      return 0;
    }
    if (g.version === 'short') {
      io.stdout(`${VIRSH_VERSION}\n`);
      return 0;
    }
    if (g.version === 'long') {
      io.stdout(
        `Virsh command line tool of libvirt ${VIRSH_VERSION}\nSee web site at https://libvirt.org/\n\n` +
          'Compiled with support for:\n Hypervisors: Test\n (vsh: further drivers load as plugins)\n',
      );
      return 0;
    }
    ctl.quiet = g.quiet;
    ctl.readOnly = g.readOnly;
    ctl.uri = g.uri;
    timing = g.timing;
    if (g.rest.length === 0) throw new CliError('interactive mode is not supported by vsh; give a command');
    const tokens = g.rest.length === 1 ? tokenizeString(g.rest[0]) : tokenizeArgv(g.rest);
    cmds = parseCommands(tokens, findCommand);
  } catch (e) {
    if (e instanceof CliError) {
      ctl.error(e.message);
      return 1;
    }
    throw e;
  }
  if (cmds.length === 0) return 1;
  if (cmds.every((c) => c.def.noConnect)) return (await runCommands(ctl, cmds, timing)) ? 0 : 1;
  registerDrivers();
  try {
    ctl.conn = await open(ctl.uri, { readOnly: ctl.readOnly });
  } catch (e) {
    ctl.error('failed to connect to the hypervisor');
    if (isVirError(e)) ctl.error(e.message);
    else throw e;
    return 1;
  }
  try {
    return (await runCommands(ctl, cmds, timing)) ? 0 : 1;
  } finally {
    await ctl.conn.close().catch(() => undefined);
  }
}
