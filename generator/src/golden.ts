/**
 * The committed golden dump of every remote message layout (`api/remote-layouts.golden.json`),
 * libvirt's `remote_protocol-structs` rule: a layout, once committed, is part of the protocol that
 * deployed peers speak, so it may never change or disappear; new layouts are added to the dump.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { legacyEventFields, type ApiModel, type WireField } from './model';
import { expandLayout } from './wire';

export const GOLDEN = 'api/remote-layouts.golden.json';

/** One message layout: a call's arguments and reply, or an event message's payload. */
export interface GoldenLayout {
  name: string;
  args?: WireField[];
  ret?: WireField[];
  message?: WireField[];
}

export type GoldenDump = Record<string, GoldenLayout>;

/** Every layout of the model (calls, events, the protocol's own procedures), keyed `program:procedure`. */
export function currentLayouts(model: ApiModel): GoldenDump {
  const out: GoldenDump = {};
  for (const c of model.calls) {
    if (!c.remote) continue;
    out[`${c.remote.program}:${c.remote.proc}`] = {
      name: c.remote.procName,
      args: expandLayout(c.remote.args, model),
      ret: expandLayout(c.remote.ret, model),
    };
  }
  for (const e of model.events) {
    const fields = expandLayout(e.fields, model);
    out[`remote:${e.proc}`] = { name: e.procName, message: fields };
    if (e.legacyProc !== null) out[`remote:${e.legacyProc}`] = { name: e.legacyProcName ?? '', message: legacyEventFields(e, fields) };
  }
  for (const p of model.protocol?.procedures ?? []) {
    const args = expandLayout(p.args, model);
    out[`${p.program}:${p.proc}`] =
      p.ret === null ? { name: p.procName, message: args } : { name: p.procName, args, ret: expandLayout(p.ret, model) };
  }
  return out;
}

export function readGolden(root: string): GoldenDump {
  const file = path.join(root, GOLDEN);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as GoldenDump) : {};
}

/** Committed layouts that the model changed or dropped. */
export function goldenViolations(committed: GoldenDump, current: GoldenDump): string[] {
  const errors: string[] = [];
  for (const [key, old] of Object.entries(committed)) {
    const now = current[key];
    if (!now) errors.push(`${GOLDEN}: ${key} ${old.name} disappeared; committed wire layouts may never be removed`);
    else if (JSON.stringify(now) !== JSON.stringify(old)) {
      errors.push(
        `${GOLDEN}: ${key} ${old.name} changed (committed ${JSON.stringify(old)}, now ${JSON.stringify(now)}); committed wire layouts may never change`,
      );
    }
  }
  return errors;
}

function order(key: string): [string, number] {
  const [program, proc] = key.split(':');
  return [program, Number(proc)];
}

/** The dump's text: committed layouts plus new ones, one per line, by program and number. */
export function goldenText(committed: GoldenDump, current: GoldenDump): string {
  const merged: GoldenDump = { ...current, ...committed };
  const keys = Object.keys(merged).sort((a, b) => {
    const [pa, na] = order(a);
    const [pb, nb] = order(b);
    return pa === pb ? na - nb : pa.localeCompare(pb);
  });
  return `{\n${keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(merged[k])}`).join(',\n')}\n}\n`;
}
