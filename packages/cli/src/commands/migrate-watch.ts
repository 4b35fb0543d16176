/**
 * Following a migration the way virsh's cmdMigrate does while its worker runs the move
 * (virshWatchJob): virDomainGetJobInfo every half second, with --verbose a `Migration: [ 42 %]`
 * line on stderr and `[100 %]` once the move worked; --timeout's action (suspend the guest, or
 * switch to post-copy) when the move still runs after that many seconds; with
 * --postcopy-after-precopy the switch to post-copy when the second iteration event arrives
 * (virshMigrateIteration). virsh makes these calls on the connection that runs the move; virtkitd
 * answers one client's calls one at a time, so they would wait for the move to end (and, queued,
 * stall the keepalive): vsh makes them on a second connection to the same URI.
 */
import { DomainEventID, type Connect, type Domain } from '@virtkit/core';
import { printJobProgress } from '../blockjob-wait';
import type { Ctl } from '../ctl';
import { isVirError } from '../errors';

const POLL_MS = 500;
const LABEL = 'Migration';

export interface MigrationWatch {
  verbose: boolean;
  /** Seconds before `onTimeout` (0: none). */
  timeout: number;
  onTimeout: 'suspend' | 'postcopy';
  postcopyAfterPrecopy: boolean;
}

/** Run `move` while watching the domain's job; resolves or rejects as the move does. */
export async function watchMigration(ctl: Ctl, moving: Domain, w: MigrationWatch, move: () => Promise<void>): Promise<void> {
  if (!w.verbose && !w.timeout && !w.postcopyAfterPrecopy) return move();
  if (!ctl.opener) throw new Error('no connection opener');
  const conn = await ctl.opener(await ctl.c.getURI(), false);
  try {
    await watchOn(ctl, conn, await conn.lookupByUUIDString(moving.getUUIDString()), w, move);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

async function watchOn(ctl: Ctl, conn: Connect, dom: Domain, w: MigrationWatch, move: () => Promise<void>): Promise<void> {
  // Failures of the watcher's own calls are not the move's (virsh only logs them).
  const quietly = (call: () => Promise<unknown>) => call().catch((e: unknown) => (isVirError(e) ? undefined : Promise.reject(e)));
  const iterationEvent = w.postcopyAfterPrecopy
    ? await conn.domainEventRegisterAny(dom, DomainEventID.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, (_c, _d, ev) => {
        if (ev.iteration === 2) void quietly(() => dom.migrateStartPostCopy(0));
      })
    : null;
  // One question at a time, as virsh's event loop asks (a slow answer skips ticks).
  let asking = false;
  const progress = w.verbose
    ? setInterval(() => {
        if (asking) return;
        asking = true;
        void quietly(async () => {
          const info = await dom.getJobInfo();
          if (info.dataTotal > 0) printJobProgress(ctl, LABEL, info.dataRemaining, info.dataTotal);
        }).finally(() => (asking = false));
      }, POLL_MS)
    : undefined;
  const timer =
    w.timeout > 0
      ? setTimeout(() => void quietly(() => (w.onTimeout === 'postcopy' ? dom.migrateStartPostCopy(0) : dom.suspend())), w.timeout * 1000)
      : undefined;
  try {
    await move();
    if (w.verbose) printJobProgress(ctl, LABEL, 0, 1);
  } finally {
    clearInterval(progress);
    clearTimeout(timer);
    if (iterationEvent !== null) await quietly(() => conn.domainEventDeregisterAny(iterationEvent));
  }
}
