/**
 * Dir storage on QEMU connections, as libvirt's storage driver sits beside its QEMU driver: one
 * DirStorage per driver state (so per URI root), opened when the driver loads, autostarting its
 * pools then; every connection delegates the storage SPI methods to it.
 */
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDriver } from '../qemu-driver';
import { DirStorage, type StorageMethods, type StorageSpi } from './dir-storage';
import { storageDirsOf } from './pool-files';

const opened = new WeakMap<QemuDriver, Promise<DirStorage>>();

/** The dir storage of this driver state (the migration destination pre-creates disks in its pools). */
export function storageOf(driver: QemuDriver): Promise<DirStorage> {
  let s = opened.get(driver);
  if (!s) {
    s = DirStorage.open(storageDirsOf(driver.paths));
    opened.set(driver, s);
  }
  return s;
}

/** The SPI names DirStorage answers, read off its prototype chain (once) so the list cannot drift. */
const STORAGE_METHOD_NAMES: readonly StorageMethods[] = (() => {
  const names = new Set<string>();
  for (let p = DirStorage.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (/^storage[A-Z]|^connectListAllStoragePools$/.test(n)) names.add(n);
  }
  return [...names] as StorageMethods[];
})();

export const openStorageWithDriver: QemuDriverExtension = (driver) => {
  // A storage directory that cannot be read fails the storage calls, not the whole driver.
  const started = storageOf(driver)
    .then((s) => s.autostartPools())
    .catch(() => undefined);
  driver.addHooks({ closing: () => started });
};

export const storageMethods: QemuConnectionExtension = (driver) => {
  const methods: Partial<Record<StorageMethods, unknown>> = {};
  for (const name of STORAGE_METHOD_NAMES) {
    methods[name] = async (...args: unknown[]) => {
      const s = await storageOf(driver);
      return (s[name] as (...a: unknown[]) => unknown).apply(s, args);
    };
  }
  return methods as Partial<StorageSpi>;
};
