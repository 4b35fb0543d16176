/**
 * libvirt's 64-bit integers (`long long`, `unsigned long long`: api/ `long` and `ulong`) in
 * JavaScript. The rule, the same on every path: a value is a `number` when it is a safe integer
 * (|v| ≤ 2^53 − 1) and a `bigint` beyond that. The XDR decoder applies it at the wire boundary
 * (remote client and daemon alike), and local drivers return values that follow it (libvirt's test
 * driver reports a CPU time near 2^61 ns: a `bigint`). Callers accept both; inputs may be either.
 */
export type Wide = number | bigint;

/** A wide integer as a double, for display and arithmetic that tolerates rounding (virsh's `%lf`). */
export function wideToNumber(v: Wide): number {
  return typeof v === 'bigint' ? Number(v) : v;
}
