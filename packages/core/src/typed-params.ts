/** libvirt's typed parameter list (virTypedParameter[]), as a plain record. */
export type TypedParamValue = number | bigint | string | boolean;
export type TypedParams = Record<string, TypedParamValue>;

/** One typed parameter with its libvirt type (a `TypedParameterType` value), as libvirt's C API holds it. */
export interface TypedParam {
  field: string;
  /** VIR_TYPED_PARAM_INT (1) … VIR_TYPED_PARAM_STRING (7). */
  type: number;
  value: TypedParamValue;
}

/**
 * A JS value cannot say whether 5 is an int, a uint or an unsigned long long, yet a C client
 * asking virTypedParamsGetInt for a ULLONG gets an error. So a record built from typed
 * parameters keeps each field's libvirt type under this symbol (not enumerable: the record still
 * reads, prints and compares as a plain record); the wire encoder sends those types.
 */
const TYPES = Symbol.for('virtkit.typedParamTypes');

type Typed = TypedParams & { [TYPES]?: Record<string, number> };

/** A record from typed parameters, remembering each field's libvirt type. */
export function typedParams(list: Iterable<TypedParam>): TypedParams {
  const out: Typed = {};
  const types: Record<string, number> = {};
  for (const p of list) {
    out[p.field] = p.value;
    types[p.field] = p.type;
  }
  Object.defineProperty(out, TYPES, { value: types, enumerable: false });
  return out;
}

/** The libvirt type of a field of a record made by `typedParams`, or undefined when it has none. */
export function typedParamType(params: TypedParams, field: string): number | undefined {
  return (params as Typed)[TYPES]?.[field];
}

/** The record as a typed list, with `fallback` choosing the type of fields that carry none. */
export function typedParamList(params: TypedParams, fallback: (value: TypedParamValue) => number): TypedParam[] {
  return Object.entries(params).map(([field, value]) => ({ field, type: typedParamType(params, field) ?? fallback(value), value }));
}
