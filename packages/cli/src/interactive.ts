/**
 * virsh's interactive mode: the welcome text, the `virsh # ` prompt (`virsh > ` read-only), one
 * command line at a time until `quit`/`exit` or end of input, and the readline history kept in
 * $XDG_CACHE_HOME/virsh/history (500 lines, or $VIRSH_HISTSIZE).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Ctl } from './ctl';

/** Runs one command line; resolves when its commands are done. */
export type LineRunner = (line: string) => Promise<void>;

function historyFile(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'virsh', 'history');
}

function historySize(): number {
  const n = Number(process.env.VIRSH_HISTSIZE ?? 500);
  return Number.isInteger(n) && n >= 0 && n <= 1000000 ? n : 500;
}

function loadHistory(file: string): string[] {
  try {
    // node's readline keeps the newest entry first.
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, lines: string[], size: number): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, lines.slice(0, size).reverse().join('\n') + (lines.length ? '\n' : ''));
  } catch {
    // virsh, too, goes on without a history file it cannot write.
  }
}

/** Read and run lines from stdin until quit or end of input. */
export async function interactive(ctl: Ctl, run: LineRunner, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  if (!ctl.quiet) {
    ctl.print(
      "Welcome to virsh, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n",
    );
  }
  const tty = (input as { isTTY?: boolean }).isTTY === true;
  const file = historyFile();
  const size = historySize();
  const rl = readline.createInterface({
    input,
    output: tty ? process.stdout : undefined,
    terminal: tty,
    history: tty ? loadHistory(file) : [],
    historySize: size,
  });
  const lines = rl[Symbol.asyncIterator]();
  ctl.imode = true;
  let eof = false;
  while (ctl.imode) {
    const prompt = ctl.readOnly ? 'virsh > ' : 'virsh # ';
    if (tty) {
      rl.setPrompt(prompt);
      rl.prompt();
    } else {
      ctl.print(prompt);
    }
    const next = await lines.next();
    if (next.done) {
      eof = true;
      break;
    }
    const line = next.value;
    // Piped input is echoed after the prompt, as readline does for a non-terminal.
    if (!tty) ctl.print(`${line}\n`);
    if (line) await run(line);
  }
  if (tty) saveHistory(file, (rl as unknown as { history: string[] }).history, size);
  rl.close();
  if (eof || !tty) ctl.print('\n');
}
