/** Turning words into commands with their options, by virsh's rules and with virsh's errors. */
import { CliError } from './errors';
import type { Token } from './tokenize';
import type { CmdDef, OptDef, Opts, ParsedCmd } from './types';

/** Parse every command of the line; any error rejects the whole line, as virsh does. */
export function parseCommands(tokens: Token[], lookup: (name: string) => CmdDef | undefined): ParsedCmd[] {
  const cmds: ParsedCmd[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    if (first.kind === 'end') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && tokens[j].kind !== 'end') j++;
    const words = tokens.slice(i + 1, j).map((t) => (t as { text: string }).text);
    const def = lookup(first.text);
    if (!def) throw new CliError(`unknown command: '${first.text}'`);
    cmds.push({ def, opts: parseOptions(def, words) });
    i = j;
  }
  return cmds;
}

function valueSyntax(o: OptDef): string {
  return o.type === 'int' ? 'number' : 'string';
}

/** The options of one command from its words: `--name value`, `--name=value`, positionals, `--`. */
export function parseOptions(def: CmdDef, words: string[]): Opts {
  const opts: Opts = new Map();
  let dataOnly = false;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (!dataOnly && w === '--') {
      dataOnly = true;
      continue;
    }
    if (!dataOnly && w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
      const named = def.opts.find((x) => x.name === name);
      const [aliasName, aliasValue] = named?.aliasOf?.split('=') ?? [];
      const o = aliasName ? def.opts.find((x) => x.name === aliasName) : named;
      if (!o) throw new CliError(`command '${def.name}' doesn't support option --${name}`);
      if (aliasValue !== undefined) {
        if (opts.has(o.name)) throw new CliError(`option --${o.name} already seen`);
        setValue(opts, o, aliasValue);
        continue;
      }
      if (opts.has(o.name) && !o.multi) throw new CliError(`option --${o.name} already seen`);
      if (o.type === 'bool') {
        if (eq >= 0) throw new CliError(`invalid '=' after option --${o.name}`);
        opts.set(o.name, true);
      } else if (eq >= 0) {
        setValue(opts, o, w.slice(eq + 1));
      } else {
        if (k + 1 >= words.length) throw new CliError(`expected syntax: --${o.name} <${valueSyntax(o)}>`);
        setValue(opts, o, words[++k]);
      }
      continue;
    }
    const o =
      def.opts.find((x) => x.type !== 'bool' && !x.namedOnly && !x.multi && !x.aliasOf && !opts.has(x.name)) ??
      def.opts.find((x) => x.multi);
    if (!o) throw new CliError(`unexpected data '${w}'`);
    setValue(opts, o, w);
  }
  for (const o of def.opts) {
    if (o.required && !opts.has(o.name)) {
      throw new CliError(
        o.namedOnly ? `command '${def.name}' requires --${o.name} option` : `command '${def.name}' requires <${o.name}> option`,
      );
    }
  }
  return opts;
}

function setValue(opts: Opts, o: OptDef, value: string): void {
  const prev = opts.get(o.name);
  opts.set(o.name, o.multi && typeof prev === 'string' ? `${prev}\0${value}` : value);
}

/** The values of a repeatable option. */
export function multiValues(opts: Opts, name: string): string[] {
  const v = opts.get(name);
  return typeof v === 'string' ? v.split('\0') : [];
}
