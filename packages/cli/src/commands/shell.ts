/** virsh's own commands: echo, quit, exit, cd, pwd, connect, self-test, complete. */
import * as os from 'node:os';
import type { CmdDef, CommandTable } from '../types';
import { flag, str } from '../opt';
import { multiValues } from '../parse';
import { echoCommand } from './echo';
import { selfTest } from '../self-test';
import { complete } from '../complete';

const quit: CmdDef['handler'] = async (ctl) => {
  ctl.imode = false;
  return true;
};

/** Bodies only: names, help and options come from virsh's table. */
const bare = (name: string, handler: CmdDef['handler'], noConnect = true): CmdDef => ({
  name,
  group: 'virsh',
  help: '',
  opts: [],
  noConnect,
  handler,
});

/** The shell's own commands; `self-test` and `complete` read the command table they are part of. */
export const shellCommands = (table: CommandTable): CmdDef[] => [
  echoCommand,
  bare('quit', quit),
  bare('exit', quit),
  bare('cd', async (ctl, opts) => {
    if (!ctl.imode) ctl.fail('cd: command valid only in interactive mode');
    const dir = str(ctl, opts, 'dir', true) || os.homedir() || '/';
    try {
      process.chdir(dir);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
      ctl.fail(`cd: ${why}: ${dir}`);
    }
    return true;
  }),
  bare('pwd', async (ctl) => {
    ctl.print(`${process.cwd()}\n`);
    return true;
  }),
  bare('connect', async (ctl, opts) => {
    const name = str(ctl, opts, 'name');
    // virshReconnect: with no URI, the connection keeps its read-only mode.
    await ctl.reconnect(name, flag(opts, 'readonly') || (name === null && ctl.readOnly));
    return true;
  }),
  bare('self-test', async (ctl) => {
    const problems = selfTest(table);
    for (const p of problems) ctl.error(p);
    return problems.length === 0;
  }),
  bare('complete', async (ctl, opts) => {
    const words = multiValues(opts, 'string');
    if (words.length === 0) return false;
    for (const m of await complete(ctl, table, words)) ctl.print(`${m}\n`);
    return true;
  }),
];
