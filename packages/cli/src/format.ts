/** Value formatting shared by the commands: sizes, times, states, `%-Ns` labels, trees. */
import { wideToNumber, type Wide } from '@virtkit/core';

/** `label` padded as printf's `%-<width>s`. */
export function label(text: string, width = 15): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** virsh's vshPrettyCapacity rendered as `%.<digits>lf %s` (2 in listings, 3 in domblkinfo and blockjob): bytes scaled to B, KiB, ... EiB. */
export function prettyCapacity(bytes: Wide, digits = 2): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = wideToNumber(bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(digits)} ${units[u]}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** strftime `%Y-%m-%d %H:%M:%S %z` in local time, for an epoch in seconds. */
export function formatTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(a / 60))}${two(a % 60)}`;
}

const DOMAIN_STATES = ['no state', 'running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'];

/** virsh's name of a virDomainState. */
export function domainStateName(state: number): string {
  return DOMAIN_STATES[state] ?? 'no state';
}

const REASONS: Record<number, string[]> = {
  0: ['unknown'],
  1: [
    'unknown',
    'booted',
    'migrated',
    'restored',
    'from snapshot',
    'unpaused',
    'migration canceled',
    'save canceled',
    'event wakeup',
    'crashed',
    'post-copy',
  ],
  2: ['unknown'],
  3: [
    'unknown',
    'user',
    'migrating',
    'saving',
    'dumping',
    'I/O error',
    'watchdog',
    'from snapshot',
    'shutting down',
    'creating snapshot',
    'crashed',
    'starting up',
    'post-copy',
    'post-copy failed',
  ],
  4: ['unknown', 'user'],
  5: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  6: ['unknown', 'panicked'],
  7: ['unknown'],
};

/** virsh's name of a state reason. */
export function domainReasonName(state: number, reason: number): string {
  return REASONS[state]?.[reason] ?? 'unknown';
}

/** Names of the machine-readable states, for --json. */
export const DOMAIN_STATE_IDS = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

/**
 * virsh's vshTreePrint: each root, then its children under `+- ` with `|` rules, in list order.
 * `parentOf[i]` is the index of item i's parent, or -1 for a root.
 */
export function renderTree(names: string[], parentOf: number[]): string {
  let out = '';
  const walk = (dev: number, lastdev: number, root: boolean, indent: string): void => {
    out += `${indent}${root ? '' : '+- '}${names[dev]}\n`;
    let ind = indent;
    if (!root) ind += (dev === lastdev ? ' ' : '|') + ' ';
    let nextlast = -1;
    for (let i = 0; i < names.length; i++) if (parentOf[i] === dev) nextlast = i;
    if (nextlast !== -1) out += `${ind}  |\n`;
    for (let i = 0; i < names.length; i++) if (parentOf[i] === dev) walk(i, nextlast, false, ind + '  ');
    if (nextlast === -1 && dev === lastdev) out += `${ind}\n`;
  };
  for (let i = 0; i < names.length; i++) if (parentOf[i] === -1) walk(i, i, true, '');
  return out;
}

/** Bytes from a size with virsh's suffixes (k, KiB, KB, M, ... E); null when malformed. */
export function parseScaledSize(text: string, defaultScale = 1): number | null {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const suf = m[2];
  if (!suf) return n * defaultScale;
  const exps: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };
  const e = exps[suf[0].toLowerCase()];
  if (e === undefined) return null;
  const rest = suf.slice(1);
  if (suf[0].toLowerCase() === 'b') return rest ? null : n;
  if (rest === '' || rest === 'iB' || rest === 'ib') return n * 1024 ** e;
  if (rest === 'B') return n * 1000 ** e;
  return null;
}
