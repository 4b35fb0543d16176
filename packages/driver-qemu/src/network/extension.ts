/**
 * The virtual network driver on QEMU connections, as libvirt's network driver sits beside its
 * QEMU driver: one NetworkDriver per driver state (so per URI root), opened when the driver
 * loads (taking back running networks, starting autostart ones); every connection delegates the
 * network SPI methods and its network event feed to it.
 */
import type { DriverConnection } from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDriver } from '../qemu-driver';
import { networkDriverDirs } from './dirs';
import { NetworkDriver, type NetworkMethods } from './network-driver';

const opened = new WeakMap<QemuDriver, Promise<NetworkDriver>>();

/** The network driver of a QEMU driver state (opened on first use). */
export function networksOf(driver: QemuDriver): Promise<NetworkDriver> {
  let n = opened.get(driver);
  if (!n) {
    const nd = new NetworkDriver(networkDriverDirs(driver.paths));
    n = nd.open().then(() => nd);
    opened.set(driver, n);
  }
  return n;
}

/** The SPI names NetworkDriver answers, read off its prototype so the list cannot drift. */
const NETWORK_METHOD_NAMES = Object.getOwnPropertyNames(NetworkDriver.prototype).filter((n) =>
  /^network[A-Z]|^connect\w*Networks$/.test(n),
) as NetworkMethods[];

export const openNetworksWithDriver: QemuDriverExtension = (driver) => {
  // Networks that cannot be taken back fail the network calls, not the whole driver.
  const started = networksOf(driver).catch(() => undefined);
  driver.addHooks({ closing: () => started.then(() => undefined) });
};

export const networkMethods: QemuConnectionExtension = (driver) => {
  const methods: Partial<Record<NetworkMethods, unknown>> = {};
  for (const name of NETWORK_METHOD_NAMES) {
    methods[name] = async (...args: unknown[]) => {
      const n = await networksOf(driver);
      return (n[name] as (...a: unknown[]) => unknown).apply(n, args);
    };
  }
  const networkEvents: DriverConnection['networkEvents'] = {
    subscribe(l) {
      let off: (() => void) | undefined;
      let dropped = false;
      void networksOf(driver).then((n) => {
        if (!dropped) off = n.subscribe(l);
      });
      return () => {
        dropped = true;
        off?.();
      };
    },
    ready: () => networksOf(driver).then(() => undefined),
  };
  return { ...(methods as Partial<DriverConnection>), networkEvents };
};
