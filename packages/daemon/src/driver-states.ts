/**
 * Driver state that outlives client connections. libvirtd initialises its QEMU driver once and
 * keeps it until it exits, so domains, running block jobs and QEMU's events are tracked while no
 * client is connected, and each `virsh` command finds the job the previous one started. virtkit's
 * QEMU driver keeps its state only while a connection is open, so the daemon holds one connection
 * of its own per opened `qemu` URI for its whole life. The test driver is left alone: libvirtd's
 * `test:///default` also starts afresh once its last client has gone.
 */
import type { Driver } from '@virtkit/core';
import type { DriverConnection } from '@virtkit/core';
import type { ParsedUri } from '@virtkit/core';

/** Drivers whose state libvirtd keeps for its own lifetime (its "state drivers"). */
const STATEFUL_DRIVERS = new Set(['qemu']);

export class DriverStates {
  private readonly held = new Map<string, Promise<DriverConnection | null>>();
  private closed = false;

  /** Keep the state of `driver` at `uri` (the URI as opened) until `closeAll`. */
  async hold(driver: Driver, uri: ParsedUri): Promise<void> {
    if (this.closed || !STATEFUL_DRIVERS.has(driver.name) || this.held.has(uri.raw)) return;
    // A failure here only means the state is not kept: the client's own open already succeeded.
    const conn = driver.open(uri, { readOnly: true }).catch(() => null);
    this.held.set(uri.raw, conn);
    await conn;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const conns = await Promise.all(this.held.values());
    this.held.clear();
    await Promise.all(conns.map((c) => c?.close()));
  }
}
