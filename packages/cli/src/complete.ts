/** The `complete` command's answers (the bash completion script asks it): commands, options, domain names. */
import type { Ctl } from './ctl';
import type { CmdDef, CommandTable, OptDef } from './types';

/** Candidate values for an option: domain names for a `domain` option, else none. */
async function values(ctl: Ctl, o: OptDef | undefined): Promise<string[]> {
  if (o?.name !== 'domain') return [];
  if (!ctl.conn) await ctl.reconnect(null, ctl.readOnly);
  return (await ctl.c.listAllDomains(0)).map((d) => d.getName());
}

/** The options a command still accepts after `given`, as `--name` words in table order. */
function optionWords(def: CmdDef, given: Set<string>): string[] {
  return def.opts.filter((o) => !o.aliasOf && !o.extension && (o.multi || !given.has(o.name))).map((o) => `--${o.name}`);
}

/** Completions of the last word of `words` (the words typed so far, the last one partial). */
export async function complete(ctl: Ctl, table: CommandTable, words: string[]): Promise<string[]> {
  const text = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  if (before.length === 0)
    return table
      .all()
      .filter((c) => c.name.startsWith(text))
      .map((c) => c.name);
  const def = table.find(before[0]);
  if (!def) return [];
  const given = new Set<string>();
  const positional = def.opts.filter((o) => o.type !== 'bool' && !o.aliasOf && !o.namedOnly && !o.extension);
  let pendingValue: OptDef | undefined;
  for (const w of before.slice(1)) {
    if (pendingValue) {
      pendingValue = undefined;
      continue;
    }
    const o = w.startsWith('--') ? def.opts.find((x) => x.name === w.slice(2)) : positional.find((x) => !given.has(x.name));
    if (!o) continue;
    given.add(o.name);
    if (w.startsWith('--') && o.type !== 'bool') pendingValue = o;
  }
  const pick = (list: string[]): string[] => list.filter((m) => m.startsWith(text));
  if (pendingValue) return pick(await values(ctl, pendingValue));
  if (text === '' || text.startsWith('-')) return pick(optionWords(def, given));
  return pick(
    await values(
      ctl,
      positional.find((x) => !given.has(x.name)),
    ),
  );
}
