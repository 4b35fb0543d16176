/** A typed parameter's value as virsh prints it, pretty (vshGetTypedParamValue) or raw (virTypedParameterToString). */
import { TypedParameterType as T, typedParamType, type TypedParams } from '@virtkit/core';

/** C's printf %g: six significant digits, trailing zeros dropped, exponent form outside 1e-4..1e6. */
export function printfG(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = v.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** The text of field `field` of `params`; its libvirt type decides how a number is written. */
export function typedParamText(params: TypedParams, field: string, raw: boolean): string {
  const v = params[field];
  const type =
    typedParamType(params, field) ??
    (typeof v === 'boolean' ? T.VIR_TYPED_PARAM_BOOLEAN : typeof v === 'string' ? T.VIR_TYPED_PARAM_STRING : T.VIR_TYPED_PARAM_ULLONG);
  if (type === T.VIR_TYPED_PARAM_BOOLEAN) return v ? 'yes' : 'no';
  if (type === T.VIR_TYPED_PARAM_DOUBLE) return raw ? printfG(Number(v)) : Number(v).toFixed(6);
  return String(v);
}
