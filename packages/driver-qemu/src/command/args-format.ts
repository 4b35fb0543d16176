/**
 * libvirt's rendering of a command as text (virCommandToString with line breaks), the format of
 * the test suite's `.args` files: environment first, then the program, options each on their own
 * line with their value(s) on the same line, shell-quoted where needed.
 */
import type { QemuCommand } from './types';

const NEEDS_QUOTE = /[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/;

/** virBufferEscapeShell: as-is unless empty or containing shell metacharacters. */
export function shellQuote(value: string): string {
  if (value !== '' && !NEEDS_QUOTE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command as text (ends with a newline). With `lineBreaks` (the default, the `.args` format)
 * each option starts a new line; without, everything is on one line as `domxml-to-native` prints it.
 */
export function formatArgs(cmd: QemuCommand, opts: { lineBreaks?: boolean } = {}): string {
  const lb = opts.lineBreaks ?? true;
  let out = '';
  for (const [name, value] of cmd.env) out += `${name}=${shellQuote(value)} ${lb ? '\\\n' : ''}`;
  const args = cmd.argv;
  const isOpt = (a: string) => a.startsWith('-');
  // laterOpt[i]: some argument after index i starts with '-'.
  const laterOpt: boolean[] = new Array(args.length).fill(false);
  for (let i = args.length - 2; i >= 0; i--) laterOpt[i] = laterOpt[i + 1] || isOpt(args[i + 1]);
  let seenOpt = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0) {
      out += ' ';
      let brk = true;
      if (!isOpt(a) && seenOpt && (isOpt(args[i - 1]) || laterOpt[i])) brk = false;
      if (brk && lb) out += '\\\n';
    }
    out += shellQuote(a);
    if (isOpt(a)) seenOpt = true;
  }
  return out + '\n';
}
