/**
 * Turning words into commands with their options, by virsh's vshCommandParse: options by exact
 * name or declared alias (no abbreviations), `--name=value`, positional words filling the
 * non-flag options still unset in table order, `--` ending options, `--help` turning the
 * command into `help <command>`, a first word starting with `#` commenting the command out.
 */
import { CliError } from './errors';
import type { Token } from './tokenize';
import type { CmdDef, OptDef, Opts, ParsedCmd } from './types';

/** Where the parser reports option debug lines (virsh's `-d 1`). */
export type DebugSink = (line: string) => void;

/** Parse every command of the line; any error rejects the whole line, as virsh does. */
export function parseCommands(tokens: Token[], lookup: (name: string) => CmdDef | undefined, debug?: DebugSink): ParsedCmd[] {
  const cmds: ParsedCmd[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (j < tokens.length && tokens[j].kind !== 'end') j++;
    const words = tokens.slice(i, j).map((t) => (t as { text: string }).text);
    i = j + 1;
    if (words.length === 0 || words[0].startsWith('#')) continue;
    const def = lookup(words[0]);
    if (!def) throw new CliError(`unknown command: '${words[0]}'`);
    const opts = parseOptions(def, words.slice(1), debug);
    if (opts.has('help') && !def.opts.some((o) => o.name === 'help')) {
      cmds.push({ def: lookup('help')!, opts: new Map([['command', def.name]]) });
    } else {
      cmds.push({ def, opts });
    }
  }
  return cmds;
}

/** The option `name` refers to, after resolving an alias; `value` is the alias's implied value. */
function resolve(def: CmdDef, name: string): { opt: OptDef; value?: string } | undefined {
  const named = def.opts.find((x) => x.name === name);
  if (!named?.aliasOf) return named && { opt: named };
  const eq = named.aliasOf.indexOf('=');
  const target = eq >= 0 ? named.aliasOf.slice(0, eq) : named.aliasOf;
  const opt = def.opts.find((x) => x.name === target && !x.aliasOf);
  return opt && { opt, value: eq >= 0 ? named.aliasOf.slice(eq + 1) : undefined };
}

const HELP_OPT: OptDef = { name: 'help', type: 'bool' };

/** Options that take positional words, in table order (virsh's opts_need_arg). */
function positionals(def: CmdDef): OptDef[] {
  return def.opts.filter((o) => o.type !== 'bool' && !o.aliasOf && !o.namedOnly && !o.extension);
}

/** The options of one command from its words. */
export function parseOptions(def: CmdDef, words: string[], debug?: DebugSink): Opts {
  const opts: Opts = new Map();
  const open = positionals(def);
  const isHelp = def.name === 'help';
  let dataOnly = false;
  const save = (o: OptDef, value: string | true): void => {
    if (o.name !== 'help')
      debug?.(`${def.name}: ${o.name}(${value === true ? 'bool' : 'optdata'}): ${value === true ? '(none)' : value}\n`);
    const prev = opts.get(o.name);
    opts.set(o.name, o.multi && typeof prev === 'string' && value !== true ? `${prev}\0${value}` : value);
  };
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (!dataOnly && w.startsWith('--') && /^[A-Za-z0-9]/.test(w.slice(2))) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
      let inline = eq >= 0 ? w.slice(eq + 1) : undefined;
      const found = name === 'help' ? { opt: HELP_OPT } : resolve(def, name);
      if (!found) {
        if (isHelp) continue;
        throw new CliError(`command '${def.name}' doesn't support option --${name}`);
      }
      const o = found.opt;
      if (found.value !== undefined) {
        if (inline !== undefined) throw new CliError(`invalid '=' after option --${name}`);
        inline = found.value;
      }
      if (opts.has(o.name) && !o.multi) throw new CliError(`option --${o.name} already seen`);
      if (o.type === 'bool') {
        if (inline !== undefined) throw new CliError(`invalid '=' after option --${o.name}`);
        save(o, true);
        continue;
      }
      if (inline === undefined && k + 1 >= words.length) {
        throw new CliError(`expected syntax: --${o.name} <${o.type === 'int' ? 'number' : 'string'}>`);
      }
      save(o, inline ?? words[++k]);
      if (open.includes(o) && !o.multi) open.splice(open.indexOf(o), 1);
      continue;
    }
    if (!dataOnly && w === '--') {
      dataOnly = true;
      continue;
    }
    const o = open[0];
    if (!o) {
      if (isHelp) continue;
      throw new CliError(`unexpected data '${w}'`);
    }
    if (!o.multi) open.shift();
    save(o, w);
  }
  if (!opts.has('help')) checkRequired(def, opts);
  return opts;
}

/** virsh's vshCommandCheckOpts: every required option was given. */
function checkRequired(def: CmdDef, opts: Opts): void {
  const missing = def.opts.filter((o) => o.required && !opts.has(o.name));
  if (missing.length === 0) return;
  const lines = missing.map((o) =>
    o.type === 'data' || o.multi
      ? `command '${def.name}' requires <${o.name}> option`
      : `command '${def.name}' requires --${o.name} option`,
  );
  throw new CliError(lines.join('\nerror: '));
}

/** The values of a repeatable option. */
export function multiValues(opts: Opts, name: string): string[] {
  const v = opts.get(name);
  return typeof v === 'string' ? v.split('\0') : [];
}
