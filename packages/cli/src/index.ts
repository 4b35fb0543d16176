/**
 * vsh: the virsh-compatible command line of virtkit. `main(argv, io)` runs one invocation
 * in-process (tests use it); `bin.ts` wires it to the process.
 */
import { open } from '@virtkit/core';
import { findCommand } from './commands';
import { Ctl, Level } from './ctl';
import { CliError } from './errors';
import { parseGlobals, type Globals } from './globals';
import { registerDriverFor } from './first-party-drivers';
import { usage } from './help';
import { interactive } from './interactive';
import { parseCommands } from './parse';
import { runCommands } from './run';
import { tokenizeArgv, tokenizeString, type Token } from './tokenize';
import type { Io } from './types';

export type { Io } from './types';
export { COMMANDS, findCommand } from './commands';

/** The libvirt release whose virsh vsh reproduces. */
export const VIRSH_VERSION = '9.0.0';

/** Run vsh with `argv` (without the program name); resolves to the exit code, also stored in `io.exitCode`. */
export async function main(argv: string[], io: Io): Promise<number> {
  const ctl = new Ctl(io);
  let code: number;
  try {
    code = await mainInner(argv, ctl);
  } finally {
    await ctl.conn?.close().catch(() => undefined);
    ctl.closeLog();
  }
  io.exitCode = code;
  return code;
}

/** -d/-l, else $VIRSH_DEBUG and $VIRSH_LOG_FILE, as virsh's vshInitDebug. */
function setupDebug(ctl: Ctl, g: Globals): void {
  for (const w of g.warnings) ctl.error(w);
  if (g.debug !== null) ctl.debugLevel = g.debug;
  else if (process.env.VIRSH_DEBUG !== undefined) {
    const n = Number(process.env.VIRSH_DEBUG);
    if (/^\s*[+-]?\d+$/.test(process.env.VIRSH_DEBUG) && n >= Level.DEBUG && n <= Level.ERROR) ctl.debugLevel = n;
    else ctl.error('VIRSH_DEBUG not set with a valid numeric value');
  }
  const log = g.log ?? (process.env.VIRSH_LOG_FILE || null);
  if (log) ctl.openLog(log);
}

/** Parse one command line and run it; false when parsing or the last command failed. */
async function runLine(ctl: Ctl, tokens: Token[], timing: boolean): Promise<boolean> {
  let cmds;
  try {
    cmds = parseCommands(tokens, findCommand, (line) => ctl.debug(Level.INFO, line));
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    ctl.error(e.message);
    return false;
  }
  return runCommands(ctl, cmds, timing);
}

async function mainInner(argv: string[], ctl: Ctl): Promise<number> {
  let g: Globals;
  try {
    g = parseGlobals(argv);
    if (g.help) {
      ctl.print(usage());
      return 0;
    }
    if (g.version === 'short') {
      ctl.print(`${VIRSH_VERSION}\n`);
      return 0;
    }
    if (g.version === 'long') {
      ctl.print(
        `Virsh command line tool of libvirt ${VIRSH_VERSION}\nSee web site at https://libvirt.org/\n\n` +
          'Compiled with support for:\n Hypervisors: Test\n (vsh: further drivers load as plugins)\n',
      );
      return 0;
    }
    setupDebug(ctl, g);
  } catch (e) {
    if (e instanceof CliError) {
      ctl.error(e.message);
      return 1;
    }
    throw e;
  }
  ctl.quiet = g.quiet;
  ctl.readOnly = g.readOnly;
  ctl.uri = g.uri ?? (process.env.VIRSH_DEFAULT_CONNECT_URI || null);
  ctl.escape = g.escape ?? ctl.escape;
  ctl.keepaliveInterval = g.keepaliveInterval;
  ctl.keepaliveCount = g.keepaliveCount;
  ctl.opener = async (uri, readOnly) => {
    await registerDriverFor(uri);
    return open(uri, { readOnly });
  };
  if (g.rest.length === 0) {
    await interactive(ctl, async (line) => {
      const tokens = tokenizeOrReport(ctl, line);
      if (tokens) await runLine(ctl, tokens, g.timing);
    });
    return 0;
  }
  if (g.rest.length === 1) ctl.debug(Level.INFO, `commands: "${g.rest[0]}"\n`);
  const tokens = g.rest.length === 1 ? tokenizeOrReport(ctl, g.rest[0]) : tokenizeArgv(g.rest);
  if (tokens === null) return 1;
  return (await runLine(ctl, tokens, g.timing)) ? 0 : 1;
}

/** The words of a command string; a quoting error is reported and gives no command. */
function tokenizeOrReport(ctl: Ctl, line: string): Token[] | null {
  try {
    return tokenizeString(line);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    ctl.error(e.message);
    return null;
  }
}
