/**
 * The driver SPI seen from the wire: a procedure's table entry (argMap, paramOrder, hasFlags,
 * retShape) turns SPI arguments into its wire arguments and its reply into the SPI result. The
 * daemon's dispatch does the reverse with the same entry.
 */
import type { ProcedureInfo, RetShape } from '@virtkit/protocol';
import { parseXdrType, typedParamsToRecord, typedParamsToRecords, type WireTypedParam } from '@virtkit/protocol';

/** Whether the SPI method of `p` returns a boolean (the wire carries an int). */
export function returnsBoolean(p: ProcedureInfo): boolean {
  return p.returns === 'bool';
}

/** The wire argument record of a call from the SPI arguments (owner ref, parameters in API order, flags). */
export function wireArguments(p: ProcedureInfo, spiArgs: readonly unknown[]): Record<string, unknown> {
  const argMap = p.argMap ?? [];
  const hasSelf = p.object !== 'Connect' && argMap.some((s) => s.kind === 'self');
  let i = 0;
  const self = hasSelf ? spiArgs[i++] : undefined;
  const params = new Map<string, unknown>();
  for (const name of p.paramOrder) params.set(name, spiArgs[i++]);
  const flags = p.hasFlags ? (spiArgs[i] ?? 0) : 0;
  const out: Record<string, unknown> = {};
  p.args.forEach(([field], k) => {
    const src = argMap[k];
    if (src.kind === 'self') out[field] = self;
    else if (src.kind === 'flags') out[field] = flags;
    else if (src.kind === 'const') out[field] = src.value;
    else out[field] = params.get(src.name) ?? null;
  });
  return out;
}

/** The stream argument of a stream procedure's SPI call. */
export function streamArgument(p: ProcedureInfo, spiArgs: readonly unknown[]): unknown {
  const offset = p.object !== 'Connect' && (p.argMap ?? []).some((s) => s.kind === 'self') ? 1 : 0;
  const k = p.streamParam === null ? -1 : p.paramOrder.indexOf(p.streamParam);
  return k < 0 ? undefined : spiArgs[offset + k];
}

function isTypedParams(type: string): boolean {
  return /^TP</.test(type);
}

/** A record reply as the SPI returns it: the shape's fields by name, typed params as records, `found = 0` as null. */
function recordResult(p: ProcedureInfo, shape: Extract<RetShape, { kind: 'record' }>, ret: Record<string, unknown>): unknown {
  if (shape.nullable && !ret.found) return null;
  const types = new Map(p.ret.map(([name, type]) => [name, type]));
  const out: Record<string, unknown> = {};
  for (const f of shape.fields) {
    out[f] = isTypedParams(types.get(f) ?? '') ? typedParamsToRecord(ret[f] as WireTypedParam[]) : ret[f];
  }
  return out;
}

/** The SPI result of a decoded reply. */
export function spiResult(p: ProcedureInfo, ret: Record<string, unknown>): unknown {
  switch (p.retShape.kind) {
    case 'void':
      return undefined;
    case 'single': {
      const [name, type] = p.ret[0];
      const v = ret[name];
      return returnsBoolean(p) ? v !== 0 && v !== false : typedParamsToRecords(v, parseXdrType(type));
    }
    case 'list':
      return typedParamsToRecords(ret[p.ret[0][0]], parseXdrType(p.ret[0][1]));
    case 'record':
      return recordResult(p, p.retShape, ret);
  }
}
