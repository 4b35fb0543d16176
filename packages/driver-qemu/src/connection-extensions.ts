/**
 * Where other modules of this package (storage, block jobs, checkpoints, ...) plug into the
 * driver. `driverExtensions` run once per driver state, before it loads (register hooks, host
 * lookups); `connectionExtensions` return the SPI methods a module implements, installed on
 * every QemuConnection, and may register work for when that connection closes (libvirt's close
 * callbacks: what a client left half done goes with it). Add a module by appending to these lists.
 */
import type { DriverConnection } from '@virtkit/core';
import type { QemuDriver } from './qemu-driver';

/** What a connection extension can attach to its connection. */
export interface ConnectionScope {
  /** Run `fn` when the connection closes (also when its client went away without closing it). */
  onClose(fn: () => Promise<void>): void;
}

export type QemuConnectionExtension = (driver: QemuDriver, scope: ConnectionScope) => Partial<DriverConnection>;

export type QemuDriverExtension = (driver: QemuDriver) => void;

export const driverExtensions: QemuDriverExtension[] = [];

export const connectionExtensions: QemuConnectionExtension[] = [];
