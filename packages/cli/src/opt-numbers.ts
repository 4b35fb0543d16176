/** Numeric options read as virsh's vshCommandOptInt / OptUInt / OptScaledInt do, with their errors. */
import { CommandFailed, type Ctl } from './ctl';
import type { Opts } from './types';
import { str } from './opt';

const INT = /^\s*[+-]?\d+$/;

/** vshCommandOptInt (virStrToLong_i): a whole C int, or null when absent. */
export function int(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  const n = INT.test(v) ? Number(v) : NaN;
  if (!(n >= -0x80000000 && n <= 0x7fffffff)) ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  return n;
}

/** vshCommandOptUInt (virStrToLong_ui): a whole C unsigned int; a negative one wraps around, as in C. */
export function wrappingUint(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  const n = INT.test(v) ? Number(v) : NaN;
  if (!(n >= -0xffffffff && n <= 0xffffffff)) ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  return n < 0 ? 0x100000000 + n : n;
}

const ULLONG_MAX = (1n << 64n) - 1n;

/** virScaleInteger: the multiplier a unit suffix stands for; `base` when there is none. */
function suffixScale(suffix: string, base: bigint): bigint | string {
  if (suffix === '') return base;
  const s = suffix.toLowerCase();
  if (s === 'b' || s === 'byte' || s === 'bytes') return 1n;
  const step = s.length === 1 || s.slice(1) === 'ib' ? 1024n : s.slice(1) === 'b' ? 1000n : null;
  const power = 'kmgtpe'.indexOf(s[0]) + 1;
  if (step === null || power === 0) return `unknown suffix '${suffix}'`;
  return step ** BigInt(power);
}

/**
 * vshCommandOptScaledInt: a byte count with an optional unit (`42MB`, `1G`), `scale` bytes per
 * unit when none is given, at most `max`; or null when absent.
 */
export function scaled(ctl: Ctl, opts: Opts, name: string, scale: bigint, max: bigint): bigint | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  const m = /^\s*\+?(\d+)(.*)$/s.exec(v);
  const value = m ? BigInt(m[1]) : null;
  const unit = m && value !== null && value <= ULLONG_MAX ? suffixScale(m[2], scale) : null;
  if (value === null || unit === null || typeof unit === 'string' || (value !== 0n && value > max / unit)) {
    ctl.error(`Scaled numeric value '${v}' for <${name}> option is malformed or out of range`);
    if (typeof unit === 'string') ctl.error(`invalid argument: ${unit}`);
    else if (unit !== null && value !== null) ctl.error(`numerical overflow: value too large: ${value}${m![2]}`);
    throw new CommandFailed();
  }
  return value * unit;
}
