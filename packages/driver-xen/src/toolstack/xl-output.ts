/**
 * Readers of what the `xl` command prints, in the formats of Xen's tools/xl sources:
 * `xl info` (xl_info.c: "key<padding>: value" lines) and `xl list -v` (list_domains: a header,
 * then one fixed-width row per domain with the state letters, CPU time, UUID and shutdown reason).
 */

/** `xl info` as key → value, e.g. `nr_cpus` → `4`. */
export type XlInfo = ReadonlyMap<string, string>;

export function parseXlInfo(text: string): XlInfo {
  const info = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\s*: ?(.*)$/.exec(line);
    if (m) info.set(m[1], m[2].trimEnd());
  }
  return info;
}

/** One row of `xl list -v`. */
export interface XlDomainRow {
  name: string;
  domid: number;
  /** Current memory in MiB. */
  memMiB: number;
  vcpus: number;
  running: boolean;
  blocked: boolean;
  paused: boolean;
  shutdown: boolean;
  /** The shutdown reason letter (`-rscwS`), `-` when the domain is not shutting down. */
  shutdownReason: string;
  dying: boolean;
  /** CPU time used, in seconds (one decimal). */
  cpuSeconds: number;
  uuid: string;
}

// "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f" then " UUID" and " %8x" (or "-") for -v.
const ROW =
  /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+([r-])([b-])([p-])([s-])([-rscwS?])([d-])\s+([\d.]+)\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

export function parseXlList(text: string): XlDomainRow[] {
  const rows: XlDomainRow[] = [];
  for (const line of text.split('\n')) {
    const m = ROW.exec(line);
    if (!m) continue;
    rows.push({
      name: m[1],
      domid: Number(m[2]),
      memMiB: Number(m[3]),
      vcpus: Number(m[4]),
      running: m[5] === 'r',
      blocked: m[6] === 'b',
      paused: m[7] === 'p',
      shutdown: m[8] === 's',
      shutdownReason: m[9],
      dying: m[10] === 'd',
      cpuSeconds: Number(m[11]),
      uuid: m[12],
    });
  }
  return rows;
}
