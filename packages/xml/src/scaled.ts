/**
 * libvirt's scaled integers (virScaleInteger / virParseScaledValue): a decimal value with an
 * optional case-insensitive unit — `b`/`byte`/`bytes`, binary `k`/`KiB`/`M`/`MiB`/... (1024^n),
 * SI `KB`/`MB`/... (1000^n) up to exa. Values are unsigned 64-bit, so they are bigints.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from './tree';

export const ULLONG_MAX = (1n << 64n) - 1n;
export const LLONG_MAX = (1n << 63n) - 1n;

const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** The multiplier a unit stands for; `scale` applies when the unit is absent or empty. */
export function unitScale(unit: string | undefined | null, scale: bigint): bigint {
  if (unit === undefined || unit === null || unit === '') {
    if (scale <= 0n) throw VirError.internal(`invalid scale ${scale}`);
    return scale;
  }
  const lower = unit.toLowerCase();
  if (lower === 'b' || lower === 'byte' || lower === 'bytes') return 1n;
  let base: bigint;
  if (unit.length === 1 || lower.slice(1) === 'ib') base = 1024n;
  else if (unit.length === 2 && lower[1] === 'b') base = 1000n;
  else throw VirError.invalidArg(`unknown suffix '${unit}'`);
  const power = POWERS[lower[0]];
  if (power === undefined) throw VirError.invalidArg(`unknown suffix '${unit}'`);
  return base ** BigInt(power);
}

/** virScaleInteger: `value` times the unit's multiplier, refusing results above `limit`. */
export function scaleInteger(value: bigint, unit: string | undefined | null, scale: bigint, limit: bigint): bigint {
  const mult = unitScale(unit, scale);
  if (value !== 0n && value > limit / mult) {
    throw VirError.create(ErrorNumber.VIR_ERR_OVERFLOW, ErrorDomain.VIR_FROM_NONE, `value too large: ${value}${unit ?? ''}`);
  }
  return value * mult;
}

/** virStrToLong_ullp: a whole non-negative decimal number within 64 bits, or undefined. */
export function parseULL(text: string): bigint | undefined {
  const m = /^[ \t\n\r\f\v]*\+?([0-9]+)$/.exec(text);
  if (!m) return undefined;
  const v = BigInt(m[1]);
  return v > ULLONG_MAX ? undefined : v;
}

/** A signed decimal within `min..max` (virStrToLong_i / _ll style), or undefined. */
export function parseIntStrict(text: string, min = -(2 ** 31), max = 2 ** 31 - 1, radix = 10): number | undefined {
  const re = radix === 8 ? /^[ \t\n\r]*([+-]?[0-7]+)$/ : /^[ \t\n\r]*([+-]?[0-9]+)$/;
  const m = re.exec(text);
  if (!m) return undefined;
  const v = parseInt(m[1], radix);
  return Number.isSafeInteger(v) && v >= min && v <= max ? v : undefined;
}

/**
 * virParseScaledValue for an element: its text is the number, its `unit` attribute the unit.
 * Returns undefined when the element is absent (an error instead when `required`).
 * `what` names the element in messages, as libvirt names the XPath it was given.
 */
export function parseScaledElement(
  el: XmlElement | undefined,
  what: string,
  scale: bigint,
  max: bigint,
  required = false,
  unitOverride?: string,
): bigint | undefined {
  if (!el) {
    if (!required) return undefined;
    throw VirError.xml(`missing element or attribute '${what}'`);
  }
  const text = el.text();
  const value = parseULL(text);
  if (value === undefined) throw VirError.xml(`Invalid value '${text}' for element or attribute '${what}'`);
  return scaleInteger(value, unitOverride ?? el.attr('unit'), scale, max);
}
