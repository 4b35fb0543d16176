/**
 * Wire layouts as both RPC ends read them: records nested in a message (`WireStructDef`s, e.g.
 * `GraphicsAddress`) are written out inline as `{field:type,...}`, so a codec needs no table of
 * names and a change inside a nested record shows as a change of the message that carries it.
 */
import type { ApiModel, WireField, WireStructDef } from './model';

const NAME_AND_SUFFIX = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/;

/** `GraphicsIdentity<20>` → `{type:string,name:string}<20>`; other types unchanged. */
export function expandWireType(type: string, structs: readonly WireStructDef[], seen: string[] = []): string {
  const m = NAME_AND_SUFFIX.exec(type);
  const struct = m && structs.find((s) => s.name === m[1]);
  if (!m || !struct) return type;
  if (seen.includes(struct.name)) throw new Error(`wire record ${struct.name} contains itself`);
  const inner = struct.fields.map(([n, t]) => `${n}:${expandWireType(t, structs, [...seen, struct.name])}`).join(',');
  return `{${inner}}${m[2]}`;
}

/** A message layout with every nested record written out. */
export function expandLayout(fields: readonly WireField[], model: ApiModel): WireField[] {
  return fields.map(([n, t]) => [n, expandWireType(t, model.wireStructs)]);
}
