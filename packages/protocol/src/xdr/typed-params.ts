/** Typed parameters (virTypedParameter) on the wire: the value types, the list codec and record conversion. */
import { TypedParamType } from '../generated/protocol.gen';
import { asObj, intOf } from './coerce';
import type { XdrReader, XdrWriter } from './primitives';
import { XdrError } from './xdr-error';

export { TypedParamType };

/** One typed parameter as it travels. */
export interface WireTypedParam {
  field: string;
  type: TypedParamType;
  value: number | bigint | string | boolean;
}

/** The typed parameter type a plain JS value travels as when no type is given. */
export function guessTypedParamType(v: unknown): TypedParamType {
  if (typeof v === 'boolean') return TypedParamType.BOOLEAN;
  if (typeof v === 'string') return TypedParamType.STRING;
  if (typeof v === 'bigint') return v < 0n ? TypedParamType.LLONG : TypedParamType.ULLONG;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return TypedParamType.DOUBLE;
    return v < 0 ? TypedParamType.LLONG : TypedParamType.ULLONG;
  }
  throw new XdrError(`typed parameter value ${String(v)} has no XDR form`);
}

/** A record or a list of typed params → the wire list. */
export function toWireTypedParams(v: unknown): WireTypedParam[] {
  if (Array.isArray(v)) return v as WireTypedParam[];
  const o = asObj(v ?? {}, 'TP');
  return Object.entries(o).map(([field, value]) => ({ field, type: guessTypedParamType(value), value: value as WireTypedParam['value'] }));
}

/** The wire list → a plain record (what the driver SPI takes and returns). */
export function typedParamsToRecord(list: readonly WireTypedParam[]): Record<string, number | bigint | string | boolean> {
  const out: Record<string, number | bigint | string | boolean> = {};
  for (const p of list) out[p.field] = p.value;
  return out;
}

/** Encode one remote_typed_param. */
export function encodeTypedParam(w: XdrWriter, p: WireTypedParam): void {
  w.string(p.field);
  w.int(p.type);
  switch (p.type) {
    case TypedParamType.INT:
      return w.int(intOf(p.value, p.field));
    case TypedParamType.UINT:
      return w.uint(intOf(p.value, p.field));
    case TypedParamType.LLONG:
      return w.hyper(p.value as number | bigint);
    case TypedParamType.ULLONG:
      return w.uhyper(p.value as number | bigint);
    case TypedParamType.DOUBLE:
      return w.double(p.value as number);
    case TypedParamType.BOOLEAN:
      return w.int(p.value ? 1 : 0);
    case TypedParamType.STRING:
      return w.string(p.value as string);
    default:
      throw new XdrError(`typed parameter '${p.field}' has unknown type ${p.type as number}`);
  }
}

/** Decode one remote_typed_param (field names are at most VIR_TYPED_PARAM_FIELD_LENGTH). */
export function decodeTypedParam(r: XdrReader): WireTypedParam {
  const field = r.string(80);
  const type = r.int();
  switch (type) {
    case TypedParamType.INT:
      return { field, type, value: r.int() };
    case TypedParamType.UINT:
      return { field, type, value: r.uint() };
    case TypedParamType.LLONG:
      return { field, type, value: r.hyper() };
    case TypedParamType.ULLONG:
      return { field, type, value: r.uhyper() };
    case TypedParamType.DOUBLE:
      return { field, type, value: r.double() };
    case TypedParamType.BOOLEAN:
      return { field, type, value: r.int() !== 0 };
    case TypedParamType.STRING:
      return { field, type, value: r.string() };
    default:
      throw new XdrError(`typed parameter '${field}' has unknown type ${type}`);
  }
}
