/**
 * Queries over the QAPI schema returned by `query-qmp-schema` (libvirt's
 * virQEMUQAPISchemaPathGet). A query is a `/`-separated path:
 *
 *   NAME            first component: a command or event
 *   arg-type / ret-type   follow the command's argument / return type
 *   MEMBER          an object member (then its type)
 *   *MEMBER         an optional object member
 *   +CASE           the variant of a union for the tag value CASE
 *   ^VALUE          the enum has VALUE
 *   $FEATURE        the current entity has FEATURE
 *
 * Arrays are traversed to their element type and alternates to any of their members.
 */

export interface SchemaEntry {
  name: string;
  'meta-type': string;
  'arg-type'?: string;
  'ret-type'?: string;
  'element-type'?: string;
  members?: Array<{ name?: string; type: string; default?: unknown }>;
  variants?: Array<{ case: string; type: string }>;
  values?: string[];
  features?: string[];
}

export class QapiSchema {
  private readonly byName = new Map<string, SchemaEntry>();

  constructor(entries: SchemaEntry[]) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Names of all entries of a meta type (`command`, `event`). */
  names(metaType: string): string[] {
    return [...this.byName.values()].filter((e) => e['meta-type'] === metaType).map((e) => e.name);
  }

  /** Whether the path query matches. */
  query(path: string): boolean {
    const [first, ...rest] = path.split('/');
    const top = this.byName.get(first!);
    if (!top || (top['meta-type'] !== 'command' && top['meta-type'] !== 'event')) return false;
    return this.walk(top, rest);
  }

  private walk(entry: SchemaEntry | undefined, parts: string[]): boolean {
    if (!entry) return false;
    if (entry['meta-type'] === 'array') return this.walk(this.byName.get(entry['element-type'] ?? ''), parts);
    if (parts.length === 0) return true;
    if (entry['meta-type'] === 'alternate') {
      return (entry.members ?? []).some((m) => this.walk(this.byName.get(m.type), parts));
    }
    const [p, ...rest] = parts as [string, ...string[]];
    switch (p[0]) {
      case '$':
        return (entry.features ?? []).includes(p.slice(1)) && this.walk(entry, rest);
      case '^': {
        const values = entry.values ?? (entry.members ?? []).map((m) => m.name ?? '');
        return entry['meta-type'] === 'enum' && values.includes(p.slice(1)) && this.walk(entry, rest);
      }
      case '+': {
        const v = (entry.variants ?? []).find((x) => x.case === p.slice(1));
        return v !== undefined && this.walk(this.byName.get(v.type), rest);
      }
      case '*': {
        const m = (entry.members ?? []).find((x) => x.name === p.slice(1));
        return m !== undefined && 'default' in m && this.walk(this.byName.get(m.type), rest);
      }
      default: {
        if ((p === 'arg-type' || p === 'ret-type') && entry[p] !== undefined) {
          return this.walk(this.byName.get(entry[p]!), rest);
        }
        const m = (entry.members ?? []).find((x) => x.name === p);
        return m !== undefined && this.walk(this.byName.get(m.type), rest);
      }
    }
  }
}
