/** Typed parameters (virTypedParameter) on the wire: the value types, the list codec and record conversion. */
import { typedParamList, typedParams, type TypedParams } from '@virtkit/core';
import { TypedParamType } from '../generated/protocol.gen';
import { asObj, intOf } from './coerce';
import type { XdrType } from './grammar';
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

/**
 * A record or a list of typed params → the wire list. A record made by core's `typedParams`
 * travels with the types it remembers; other fields get the type their JS value suggests.
 */
export function toWireTypedParams(v: unknown): WireTypedParam[] {
  if (Array.isArray(v)) return v as WireTypedParam[];
  const o = asObj(v ?? {}, 'TP') as TypedParams;
  return typedParamList(o, guessTypedParamType) as WireTypedParam[];
}

/** The wire list → a record that remembers each field's type (what the driver SPI takes and returns). */
export function typedParamsToRecord(list: readonly WireTypedParam[]): TypedParams {
  return typedParams(list);
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

/**
 * A decoded value with every typed-parameter list inside it (at any depth: a struct field, the
 * items of an array) turned into a typed record, as the driver SPI hands them out.
 */
export function typedParamsToRecords(value: unknown, type: XdrType): unknown {
  switch (type.k) {
    case 'tp':
      return typedParamsToRecord(value as WireTypedParam[]);
    case 'optional':
      return value === null || value === undefined ? value : typedParamsToRecords(value, type.of);
    case 'varray':
    case 'farray':
      return Array.isArray(value) ? value.map((v) => typedParamsToRecords(v, type.of)) : value;
    case 'struct': {
      const o = value as Record<string, unknown>;
      const out: Record<string, unknown> = { ...o };
      for (const [name, t] of type.fields) out[name] = typedParamsToRecords(o[name], t);
      return out;
    }
    default:
      return value;
  }
}
