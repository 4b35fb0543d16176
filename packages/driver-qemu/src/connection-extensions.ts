/**
 * Where other modules of this package (storage, block jobs, checkpoints, ...) plug into the
 * driver. `driverExtensions` run once per driver state, before it loads (register hooks, host
 * lookups); `connectionExtensions` return the SPI methods a module implements, installed on
 * every QemuConnection. Add a module by appending to these lists.
 */
import type { DriverConnection } from '@virtkit/core';
import type { QemuDriver } from './qemu-driver';

export type QemuConnectionExtension = (driver: QemuDriver) => Partial<DriverConnection>;

export type QemuDriverExtension = (driver: QemuDriver) => void;

export const driverExtensions: QemuDriverExtension[] = [];

export const connectionExtensions: QemuConnectionExtension[] = [];
