/** virTypedParamsValidate: every parameter known, given once, and of its type when it carries one. */
import { ErrorDomain, ErrorNumber, TypedParameterType as T, typedParamType, VirError, type TypedParams } from '@virtkit/core';

/** virTypedParameterTypeToString. */
const TYPE_NAMES: Record<number, string> = {
  [T.VIR_TYPED_PARAM_INT]: 'int',
  [T.VIR_TYPED_PARAM_UINT]: 'uint',
  [T.VIR_TYPED_PARAM_LLONG]: 'llong',
  [T.VIR_TYPED_PARAM_ULLONG]: 'ullong',
  [T.VIR_TYPED_PARAM_DOUBLE]: 'double',
  [T.VIR_TYPED_PARAM_BOOLEAN]: 'boolean',
  [T.VIR_TYPED_PARAM_STRING]: 'string',
};

export function validateParams(params: TypedParams, known: Record<string, number>): void {
  for (const [field, value] of Object.entries(params)) {
    const want = known[field];
    if (want === undefined)
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_NONE, `parameter '${field}' not supported`);
    // a caller in this process may pass plain values: then only a string/number mismatch shows
    const got =
      typedParamType(params, field) ??
      (typeof value === 'string' ? T.VIR_TYPED_PARAM_STRING : want === T.VIR_TYPED_PARAM_STRING ? 0 : want);
    if (got !== want) {
      const detail = `invalid type '${TYPE_NAMES[got] ?? ''}' for parameter '${field}', expected '${TYPE_NAMES[want]}'`;
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, detail);
    }
  }
}
