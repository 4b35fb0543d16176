/** Running parsed commands in order, with virsh's error reporting and blank line after each. */
import type { Ctl } from './ctl';
import { CommandFailed } from './ctl';
import type { ParsedCmd } from './types';
import { isVirError } from './errors';

/** Run one command; false when it failed (its errors are already printed). */
async function runOne(ctl: Ctl, cmd: ParsedCmd): Promise<boolean> {
  ctl.cmdName = cmd.def.name;
  try {
    // virsh connects lazily: the first command that needs a connection opens it.
    if (!cmd.def.noConnect && !ctl.conn) await ctl.reconnect(null, ctl.readOnly);
    return await cmd.def.handler(ctl, cmd.opts);
  } catch (e) {
    if (e instanceof CommandFailed) return false;
    if (isVirError(e)) {
      ctl.error(e.message);
      return false;
    }
    ctl.error(e instanceof Error ? e.message : String(e));
    return false;
  }
}

/** Run every command; the result is the last command's, as virsh's exit status. */
export async function runCommands(ctl: Ctl, cmds: ParsedCmd[], timing: boolean): Promise<boolean> {
  let ok = true;
  for (const cmd of cmds) {
    const before = performance.now();
    ok = await runOne(ctl, cmd);
    // virsh returns at quit/exit without the blank line.
    if (cmd.def.name === 'quit' || cmd.def.name === 'exit') return ok;
    if (timing) ctl.print(`\n(Time: ${(performance.now() - before).toFixed(3)} ms)\n\n`);
    else ctl.printExtra('\n');
  }
  return ok;
}
