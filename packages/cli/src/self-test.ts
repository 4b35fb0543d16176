/** self-test: virsh's vshCmddefCheckInternals over the command table; the problems found, if any. */
import { VIRSH_GROUPS, isAlias, type VirshCommand } from './virsh-table';
import type { CommandTable } from './types';

/** The problems of one command's definition, in virsh's wording. */
function checkCommand(c: VirshCommand): string[] {
  if (!c.help) return [`command '${c.name}' lacks help`];
  const out: string[] = [];
  let seenOptional = false;
  c.opts.forEach((o, i) => {
    if (i > 63) out.push(`command '${c.name}' has too many options`);
    if ((o.type === 'bool' || o.type === 'string') && o.required)
      out.push(`parameter '${o.name}' of command '${c.name}' misused VSH_OFLAG_REQ`);
    if (o.type === 'bool' || o.type === 'string' || (o.type === 'int' && !o.required)) seenOptional = true;
    if (o.type === 'alias') {
      const target = o.help.split('=')[0];
      const t = c.opts.slice(i + 1).find((x) => x.name === target && x.type !== 'alias');
      if (!t) out.push(`alias '${o.name}' of command '${c.name}' has missing alias option`);
      else if (o.help.includes('=') && t.type === 'bool') out.push(`alias '${o.name}' of command '${c.name}' has mismatched alias type`);
    }
    if (o.type === 'argv' && i !== c.opts.length - 1) out.push(`parameter '${o.name}' of command '${c.name}' must be listed last`);
    if (o.type === 'data' && !o.required) out.push(`parameter '${o.name}' of command '${c.name}' must use VSH_OFLAG_REQ flag`);
    if ((o.type === 'data' || (o.type === 'int' && o.required)) && seenOptional) {
      out.push(`parameter '${o.name}' of command '${c.name}' must be listed before optional parameters`);
    }
  });
  return out;
}

/** Every problem in the table, plus aliases that point nowhere and commands the parser cannot find. */
export function selfTest(table: CommandTable): string[] {
  const out: string[] = [];
  for (const g of VIRSH_GROUPS) {
    for (const c of g.commands) {
      if (isAlias(c)) {
        const target =
          g.commands.find((x) => x.name === c.alias) ?? VIRSH_GROUPS.flatMap((x) => x.commands).find((x) => x.name === c.alias);
        if (!target) out.push(`command alias '${c.name}' is pointing to a non-existent command '${c.alias}'`);
        else if (isAlias(target)) out.push(`command alias '${c.name}' is pointing to another command alias '${c.alias}'`);
        continue;
      }
      out.push(...checkCommand(c));
      if (!table.find(c.name)) out.push(`command '${c.name}' is missing from vsh's command table`);
    }
  }
  return out;
}
