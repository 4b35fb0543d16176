/** Splitting a command string into words and `;` separators, with virsh's quoting rules. */
import { CliError } from './errors';

/** A word, or the end of one command (`;`). */
export type Token = { kind: 'arg'; text: string } | { kind: 'end' };

/**
 * Words as virsh's string parser reads them: blanks separate, `;` or a newline ends a command,
 * a word starting with `#` comments out the rest of the line, '…' quotes literally, "…" quotes
 * with backslash escapes, a backslash outside single quotes escapes, and backslash-newline is
 * dropped.
 */
export function tokenizeString(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (true) {
    while (s[i] === ' ' || s[i] === '\t' || (s[i] === '\\' && s[i + 1] === '\n')) i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) return out;
    if (s[i] === ';' || s[i] === '\n') {
      out.push({ kind: 'end' });
      i++;
      continue;
    }
    if (s[i] === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      out.push({ kind: 'end' });
      i++;
      continue;
    }
    let single = false;
    let double = false;
    let word = '';
    for (; i < s.length; i++) {
      const ch = s[i];
      if (!single && !double && (ch === ' ' || ch === '\t' || ch === ';' || ch === '\n')) break;
      if (!double && ch === "'") {
        single = !single;
        continue;
      }
      if (!single && ch === '\\') {
        i++;
        if (i >= s.length) throw new CliError('dangling \\');
        if (s[i] !== '\n') word += s[i];
        continue;
      }
      if (!single && ch === '"') {
        double = !double;
        continue;
      }
      word += ch;
    }
    if (double) throw new CliError('missing "');
    out.push({ kind: 'arg', text: word });
  }
}

/** Words from an argument vector: each argument is one word, `;` included. */
export function tokenizeArgv(args: string[]): Token[] {
  return args.map((text) => ({ kind: 'arg', text }));
}
