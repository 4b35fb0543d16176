/**
 * The tiny guest (Debian's kernel and a busybox initramfs, built by scripts/tiny-guest.sh and
 * cached outside the checkout): where its files are, and how to read what it says on its serial
 * console. Every line its init prints starts with "tiny-guest:".
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The build script; this file sits in packages/testkit/{src,dist}. */
export const TINY_GUEST_SCRIPT = path.resolve(__dirname, '../../../scripts/tiny-guest.sh');

/** The kernel and initramfs of a built tiny guest. */
export interface TinyGuest {
  kernel: string;
  initrd: string;
}

/** Minutes a first build may take (apt-get download of ~70 MB, unpacking the kernel). */
const BUILD_TIMEOUT_MS = 10 * 60_000;

const built = new Map<boolean, TinyGuest | string>();

/** Builds (or finds in the cache) the tiny guest: its files, or why they cannot be had here. */
export function buildTinyGuest(agent = false): TinyGuest | string {
  const known = built.get(agent);
  if (known !== undefined) return known;
  const r = spawnSync('bash', [TINY_GUEST_SCRIPT, ...(agent ? ['--agent'] : [])], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  let answer: TinyGuest | string;
  if (r.status !== 0) {
    const why = (r.stderr ?? '').trim().split('\n').pop() || r.error?.message || `exit status ${r.status}`;
    answer = `the tiny guest could not be built: ${why}`;
  } else {
    const out = r.stdout.trim();
    answer = { kernel: path.join(out, 'vmlinuz'), initrd: path.join(out, agent ? 'initrd-agent.gz' : 'initrd.gz') };
  }
  built.set(agent, answer);
  return answer;
}

/** The tiny guest's files; throws when it could not be built (gate the test on `'tiny-guest'`). */
export function tinyGuest(agent = false): TinyGuest {
  const g = buildTinyGuest(agent);
  if (typeof g === 'string') throw new Error(g);
  return g;
}

/** The `tiny-guest:` lines of a console log, without that prefix (carriage returns dropped). */
export function tinyGuestLines(log: string): string[] {
  // Only finished lines: a console may deliver one in pieces ("ping 10.0.0.1" before " ok").
  return log
    .replace(/\r/g, '')
    .split('\n')
    .slice(0, -1)
    .map((l) => /tiny-guest: (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}

/** The first console line of the guest (in the file `logFile`) that matches `re`, or null. */
export function tinyGuestSaid(logFile: string, re: RegExp): string | null {
  let log: string;
  try {
    log = fs.readFileSync(logFile, 'utf8');
  } catch {
    return null;
  }
  return tinyGuestLines(log).find((l) => re.test(l)) ?? null;
}
