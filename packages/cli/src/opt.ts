/** Reading parsed options the way virsh's vshCommandOpt* do, with its errors. */
import type { Ctl } from './ctl';
import type { Opts } from './types';

/** True when the flag was given. */
export function flag(opts: Opts, name: string): boolean {
  return opts.has(name);
}

/** A string option, or null when absent; an empty value fails as virsh's does. */
export function str(ctl: Ctl, opts: Opts, name: string, emptyOk = false): string | null {
  const v = opts.get(name);
  if (v === undefined || v === true) return null;
  if (v === '' && !emptyOk) ctl.fail(`Failed to get option '${name}': Option argument is empty`);
  return v;
}

/** A required string option. */
export function req(ctl: Ctl, opts: Opts, name: string): string {
  const v = str(ctl, opts, name);
  if (v === null) ctl.fail(`Failed to get option '${name}': Option argument is empty`);
  return v;
}

/** An unsigned integer option, or null when absent. */
export function uint(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) {
    ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  }
  return Number(v);
}

/** An unsigned 64-bit option (vshCommandOptULongLong), or null when absent. */
export function ullong(ctl: Ctl, opts: Opts, name: string): bigint | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  if (!/^\d+$/.test(v) || BigInt(v) >= 1n << 64n) ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  return BigInt(v);
}

/** virsh's VSH_EXCLUSIVE_OPTIONS: fail when both were given. */
export function exclusive(ctl: Ctl, opts: Opts, a: string, b: string): void {
  if (opts.has(a) && opts.has(b)) ctl.fail(`Options --${a} and --${b} are mutually exclusive`);
}

/** virsh's VSH_REQUIRE_OPTION: option `needer` is only valid together with `needed`. */
export function requires(ctl: Ctl, opts: Opts, needer: string, needed: string): void {
  if (opts.has(needer) && !opts.has(needed)) ctl.fail(`Option --${needed} is required by option --${needer}`);
}

/** Print `value` as JSON (the --json addition). */
export function printJson(ctl: Ctl, value: unknown): void {
  // A 64-bit value beyond 2^53 arrives as a bigint (see Wide): printed as its exact JSON number.
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v), 2);
  ctl.print(text.replace(BIGINT_TEXT, '$1') + '\n');
}

const BIGINT_MARK = '\u0000bigint:';
const BIGINT_TEXT = /"\\u0000bigint:(-?\d+)"/g;

/** A signed 32-bit integer option (vshCommandOptInt), or null when absent. */
export function int(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  if (!/^[+-]?\d+$/.test(v) || Number(v) > 0x7fffffff || Number(v) < -0x80000000) {
    ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  }
  return Number(v);
}
