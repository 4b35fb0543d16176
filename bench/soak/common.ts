/**
 * What the soak probes share: the daemons under test (virtkitd, and a private libvirtd 9.0 when
 * installed), raw RPC clients opened on them, RSS readings and small timing helpers. Everything
 * is loopback: unix sockets in temporary directories.
 */
import * as fs from 'node:fs';
import { CORE_LAYOUTS, REMOTE_PROC, type FieldLayout, type RemoteError } from '@virtkit/protocol';
import { RawClient, missing, remoteProcedure, startDaemon, startLibvirtd } from '@virtkit/testkit';

/** A daemon a probe talks to. */
export interface Target {
  name: 'virtkitd' | 'libvirtd 9.0';
  sock: string;
  pid: number;
  alive: () => boolean;
  stop: () => Promise<void>;
}

/** Daemons started and not yet stopped: killed if the runner dies before a probe's own cleanup. */
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** `t` with its pid in `running` until it is stopped. */
function tracked(t: Target): Target {
  running.add(t.pid);
  return {
    ...t,
    stop: async () => {
      await t.stop();
      running.delete(t.pid);
    },
  };
}

/** virtkitd on private sockets (no config file, so nothing of the host's is read). */
export async function startVirtkitd(args: string[] = []): Promise<Target> {
  const d = await startDaemon(['--config', '/dev/null', ...args]);
  return tracked({
    name: 'virtkitd',
    sock: d.sock,
    pid: d.proc.pid!,
    alive: () => d.proc.exitCode === null && d.proc.signalCode === null,
    stop: async () => {
      await d.stop();
      fs.rmSync(d.dir, { recursive: true, force: true });
    },
  });
}

/** A private libvirtd 9.0 (own config and unix_sock_dir, stopped by pid), or null with the reason printed. */
export async function startReferenceLibvirtd(log: (line: string) => void): Promise<Target | null> {
  const why = missing('libvirtd');
  if (why) {
    log(`libvirtd side skipped: ${why}`);
    return null;
  }
  const d = await startLibvirtd();
  return tracked({
    name: 'libvirtd 9.0',
    sock: d.sock,
    pid: d.proc.pid!,
    alive: () => d.proc.exitCode === null && d.proc.signalCode === null,
    stop: d.stop,
  });
}

/** Runs `body` on each target started in turn (virtkitd, then libvirtd when installed), stopping each. */
export async function sideBySide<T>(log: (line: string) => void, body: (t: Target) => Promise<T>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const start of [() => startVirtkitd(), () => startReferenceLibvirtd(log)]) {
    const target = await start();
    if (!target) continue;
    try {
      out.set(target.name, await body(target));
    } finally {
      await target.stop();
    }
  }
  return out;
}

/** How long a call that may wait for a QEMU capabilities probe on a loaded machine can take. */
export const SLOW_CALL_MS = 60000;

/** The message of an error reply (libvirt may send none). */
export function errorText(err: RemoteError): string {
  return err.message ?? `error code ${err.code}`;
}

/** A raw client that has passed AUTH_LIST and CONNECT_OPEN of `uri` (which may take a while: a QEMU capabilities probe). */
export async function openRaw(sock: string, uri = 'test:///default'): Promise<RawClient> {
  const c = new RawClient(sock);
  await c.connected();
  const { AUTH_LIST, CONNECT_OPEN } = REMOTE_PROC;
  await c.call(AUTH_LIST, [], {}, CORE_LAYOUTS[AUTH_LIST].ret as FieldLayout);
  const open = CORE_LAYOUTS[CONNECT_OPEN];
  const r = await c.call(CONNECT_OPEN, open.args as FieldLayout, { name: uri, flags: 0 }, [], { timeoutMs: SLOW_CALL_MS });
  if (r.err) throw new Error(`cannot open ${uri}: ${errorText(r.err)}`);
  return c;
}

/** A call of `spi` over `c` that may take up to `timeoutMs`. */
export function callWithin(
  c: RawClient,
  spi: string,
  values: Record<string, unknown>,
  timeoutMs: number,
): Promise<{ ok?: Record<string, unknown>; err?: RemoteError }> {
  const p = remoteProcedure(spi);
  return c.call(p.num, p.args, values, p.ret, { timeoutMs });
}

/** The number of domains, asked over `c`; throws on an error reply or after `timeoutMs`. */
export async function numOfDomains(c: RawClient, timeoutMs = 5000): Promise<number> {
  const r = await callWithin(c, 'connectNumOfDomains', {}, timeoutMs);
  if (r.err) throw new Error(errorText(r.err));
  return r.ok!.num as number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with `p`'s value and the milliseconds it took. */
export async function timed<T>(p: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await p();
  return { value, ms: performance.now() - t0 };
}

/** A small domain XML for the test driver and the QEMU driver (never started). */
export function domainXml(name: string, extra = ''): string {
  return (
    `<domain type='test'><name>${name}</name><memory unit='KiB'>65536</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type></os>${extra}</domain>`
  );
}

/** Deterministic pseudo-random numbers (mulberry32), so a run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
