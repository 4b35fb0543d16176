/**
 * Migration parameters (VIR_MIGRATE_PARAM_*, whose names and types api/ defines) typed as libvirt
 * expects them, so a record a caller builds with plain JS values reaches a driver (or a libvirtd
 * checking types with virTypedParamsValidate) as libvirt's C client sends it.
 */
import { MigrateParamTypes, TypedParameterType as T } from './generated/enums.gen';
import { typedParamList, typedParams, type TypedParams, type TypedParamScalar, type TypedParamValue } from './typed-params';

/** `params` with libvirt's type on each known migration parameter (unknown ones keep their own). */
export function migrateParams(params: TypedParams): TypedParams {
  const fallback = (v: TypedParamScalar): number =>
    typeof v === 'string' ? T.VIR_TYPED_PARAM_STRING : typeof v === 'bigint' ? T.VIR_TYPED_PARAM_ULLONG : T.VIR_TYPED_PARAM_INT;
  return typedParams(typedParamList(params, fallback).map((p) => ({ ...p, type: MigrateParamTypes[p.field] ?? p.type })));
}

/** A copy of `params` with `field` set (virTypedParamsReplaceString and friends), types kept. */
export function withParam(params: TypedParams, field: string, value: TypedParamValue): TypedParams {
  return migrateParams({ ...params, [field]: value });
}
