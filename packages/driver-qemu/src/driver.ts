/**
 * The `qemu` driver: `qemu:///system` (root), `qemu:///session` and `qemu:///embed?root=DIR`,
 * all served in-process. Connections of this process to the same directories share one driver
 * state; the last one to close detaches from the QEMU processes, which keep running and are
 * found again through their status files by the next open, in this process or another.
 */
import type { Driver, DriverConnection, OpenOptions, ParsedUri } from '@virtkit/core';
import { QemuConnection } from './connection';
import { connectionExtensions, driverExtensions } from './connection-extensions';
import { autostartDomains } from './domains/autostart';
import { pathsForUri, type QemuPaths } from './paths';
import { QemuDriver } from './qemu-driver';
import { agentHooks, agentMethods } from './agent/extension';
import { backupHooks, backupMethods } from './backup/extension';
import { blockJobHooks, blockJobMethods } from './blockjob/extension';
import { hotplugHooks, hotplugMethods } from './hotplug/extension';
import { consoleHooks, consoleMethods } from './console/extension';
import { displayMethods } from './display/extension';
import { graphicsFdMethods } from './display/graphics-fd';
import { migrationHooks, migrationMethods } from './migration/extension';
import { saveHooks, saveMethods } from './save/extension';
import { imageXmlMethods } from './save/image-xml';
import { snapshotHooks, snapshotMethods } from './snapshot/extension';
import { openStorageWithDriver, storageMethods } from './storage/extension';
import { networkMethods, openNetworksWithDriver } from './network/extension';
import { nicHotplugHooks, nicReadMethods } from './net/extension';
import { hostInterfaceMethods } from './interface/extension';
import { taintHooks, taintMethods } from './taint/extension';
import { pmHooks, pmMethods } from './pm/extension';
import { cgroupHooks, cgroupMethods } from './cgroup/extension';
import { blockThresholdHooks } from './domains/block-threshold';

// The first-party modules that plug into every driver state and connection.
driverExtensions.push(
  openStorageWithDriver,
  backupHooks,
  snapshotHooks,
  blockJobHooks,
  hotplugHooks,
  consoleHooks,
  saveHooks,
  openNetworksWithDriver,
  nicHotplugHooks,
  agentHooks,
  migrationHooks,
  taintHooks,
  pmHooks,
  cgroupHooks,
  blockThresholdHooks,
);
connectionExtensions.push(
  storageMethods,
  backupMethods,
  snapshotMethods,
  blockJobMethods,
  hotplugMethods,
  consoleMethods,
  saveMethods,
  imageXmlMethods,
  networkMethods,
  nicReadMethods,
  hostInterfaceMethods,
  agentMethods,
  displayMethods,
  graphicsFdMethods,
  migrationMethods,
  taintMethods,
  pmMethods,
  cgroupMethods,
);

interface SharedDriver {
  driver: Promise<QemuDriver>;
  refs: number;
}

const shared = new Map<string, SharedDriver>();
/** Driver states still detaching after their last connection closed: an open waits for them. */
const closing = new Map<string, Promise<void>>();

async function openDriver(paths: QemuPaths): Promise<QemuDriver> {
  const d = new QemuDriver(paths);
  for (const ext of driverExtensions) ext(d);
  await d.load();
  await autostartDomains(d);
  return d;
}

export const driver: Driver = {
  name: 'qemu',
  schemes: ['qemu'],
  async open(uri: ParsedUri, opts: OpenOptions): Promise<DriverConnection> {
    const paths = pathsForUri(uri.raw);
    const key = paths.stateDir;
    await closing.get(key)?.catch(() => undefined);
    let entry = shared.get(key);
    if (!entry) {
      const created: SharedDriver = { driver: openDriver(paths), refs: 0 };
      created.driver.catch(() => {
        if (shared.get(key) === created) shared.delete(key);
      });
      shared.set(key, created);
      entry = created;
    }
    const held = entry;
    held.refs++;
    let d: QemuDriver;
    try {
      d = await held.driver;
    } catch (e) {
      held.refs--;
      throw e;
    }
    return new QemuConnection(d, opts, async () => {
      held.refs--;
      if (held.refs > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      const done: Promise<void> = d.close().finally(() => {
        if (closing.get(key) === done) closing.delete(key);
      });
      closing.set(key, done);
      await done;
    });
  },
};
