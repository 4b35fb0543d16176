/** Listing snapshots and checkpoints: collecting by virsh's rules, then table, names or tree. */
import type { Ctl } from './ctl';
import type { Opts } from './types';
import { formatTime, renderTree } from './format';
import { momentFields, type MomentFields } from './xmlinfo';
import { flag, printJson } from './opt';
import { printTable } from './table';
import { isVirError } from './errors';

/** What the list logic needs of a snapshot or checkpoint handle. */
export interface Moment {
  getName(): string;
  getXMLDesc(flags?: number): Promise<string>;
  getParent(flags?: number): Promise<Moment>;
}

export interface Row {
  name: string;
  fields: MomentFields;
  parent: string | null;
}

/** Rows for `items`, with parents read from the API (missing parent: none). */
export async function describe(items: Moment[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const m of items) {
    const fields = momentFields(await m.getXMLDesc(0));
    let parent: string | null = null;
    try {
      parent = (await m.getParent()).getName();
    } catch (e) {
      if (!isVirError(e)) throw e;
    }
    rows.push({ name: m.getName(), fields, parent });
  }
  return rows;
}

/** Sort rows by name as virsh does unless the listing is topological. */
export function sortRows(rows: Row[], topological: boolean): Row[] {
  if (topological) return rows;
  return [...rows].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Print rows as a tree, a name list, JSON, or a table (with State for snapshots, Parent on request). */
export function printMoments(ctl: Ctl, opts: Opts, rows: Row[], withState: boolean, treeRoot: string | null): void {
  if (flag(opts, 'json')) {
    printJson(
      ctl,
      rows.map((r) => ({
        name: r.name,
        creationTime: r.fields.creationTime,
        ...(withState ? { state: r.fields.state } : {}),
        parent: r.parent,
      })),
    );
    return;
  }
  if (flag(opts, 'tree')) {
    const names = rows.map((r) => r.name);
    const parentOf = rows.map((r) => (r.name === treeRoot || r.parent === null ? -1 : names.indexOf(r.parent)));
    ctl.print(renderTree(names, parentOf));
    return;
  }
  if (flag(opts, 'name')) {
    for (const r of rows) ctl.print(`${r.name}\n`);
    return;
  }
  const header = ['Name', 'Creation Time'];
  if (withState) header.push('State');
  if (flag(opts, 'parent')) header.push('Parent');
  printTable(
    ctl,
    header,
    rows.map((r) => {
      const row = [r.name, r.fields.creationTime === null ? '' : formatTime(r.fields.creationTime)];
      if (withState) row.push(r.fields.state ?? '');
      if (flag(opts, 'parent')) row.push(r.parent ?? '');
      return row;
    }),
  );
}
