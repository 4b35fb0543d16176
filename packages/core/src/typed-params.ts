/**
 * libvirt's typed parameter list (virTypedParameter[]), as a plain record. A string field the
 * list repeats (virTypedParamsAddStringList: VIR_MIGRATE_PARAM_MIGRATE_DISKS, ...COMPRESSION)
 * is one field holding all its values in order, as libvirt-python's dict holds it.
 */
export type TypedParamScalar = number | bigint | string | boolean;
export type TypedParamValue = TypedParamScalar | string[];
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
/** VIR_TYPED_PARAM_STRING, the one type a list may repeat. */
const STRING = 7;

type Typed = TypedParams & { [TYPES]?: Record<string, number> };

/** A record from typed parameters, remembering each field's libvirt type. */
export function typedParams(list: Iterable<TypedParam>): TypedParams {
  const out: Typed = {};
  const types: Record<string, number> = {};
  for (const p of list) {
    const had = out[p.field];
    const repeated = had !== undefined && p.type === STRING && types[p.field] === STRING;
    out[p.field] = repeated ? [...[had].flat().map(String), ...[p.value].flat().map(String)] : p.value;
    types[p.field] = p.type;
  }
  Object.defineProperty(out, TYPES, { value: types, enumerable: false });
  return out;
}

/** The libvirt type of a field of a record made by `typedParams`, or undefined when it has none. */
export function typedParamType(params: TypedParams, field: string): number | undefined {
  return (params as Typed)[TYPES]?.[field];
}

/**
 * The record as a typed list, with `fallback` choosing the type of fields that carry none; a
 * field holding several strings is that many entries.
 */
export function typedParamList(
  params: TypedParams,
  fallback: (value: TypedParamScalar) => number,
): Array<TypedParam & { value: TypedParamScalar }> {
  return Object.entries(params).flatMap(([field, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ field, type: typedParamType(params, field) ?? fallback(v), value: v })),
  );
}

/** A field's values as a list: none, one, or the repeated strings (virTypedParamsGetStringList). */
export function typedParamStrings(params: TypedParams, field: string): string[] {
  const v = params[field];
  return v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
}
