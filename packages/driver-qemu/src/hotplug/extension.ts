/**
 * Device hotplug of the QEMU driver: virDomainAttachDevice(Flags), DetachDevice(Flags),
 * DetachDeviceAlias, UpdateDeviceFlags and BlockResize, for disks, SCSI controllers, chardevs
 * (serial, parallel, console, channel), watchdogs, RNGs and vsock (NICs are the network
 * code's). Each applies to the running
 * domain, its persistent definition or both (libvirt's LIVE/CONFIG/CURRENT). An unplug asks QEMU
 * (device_del) and waits up to libvirt's 5 s for DEVICE_DELETED; the device leaves the live
 * definition, its block nodes are closed and DEVICE_REMOVED is sent when QEMU reports it gone,
 * even after the call returned.
 */
import {
  DomainBlockResizeFlags as R,
  DomainDeviceModifyFlags as F,
  DomainEventID,
  ErrorDomain,
  ErrorNumber,
  modificationImpact,
  VirError,
  wideToNumber,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import { domainDiskByName, mkEl, parseXml, setDeviceAlias, type DomainDef, type DomainDevice } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { throttleConfiguredDisk } from '../domains/iotune';
import { copyDef } from '../domains/parse';
import { prepareChannelPaths, recordAliases } from '../domains/start';
import { recordPtyPaths } from '../console/pty';
import { hostDriverConfig } from '../host/build-context';
import type { QemuDriver } from '../qemu-driver';
import { checkSupported, defWithDevice, deviceKind, parseDevice } from './device-xml';
import { diskAlias, diskPlug } from './disk-args';
import { devicePlug, hotplugAlias, plugDevice, releaseDevice } from './device-plug';
import { checkAttach, findForDetach } from './device-match';
import { changeMedium, checkDuplicateTarget, checkHotpluggable, deleteNodes, diskNodes, firstFreeNode, plugDisk } from './disk-live';
import { changeNic } from '../net/hotplug';

/** libvirt's QEMU_UNPLUG_TIMEOUT: how long a detach waits for QEMU to report the device gone. */
export const UNPLUG_TIMEOUT_MS = 5000;

const MODIFY = F.VIR_DOMAIN_DEVICE_MODIFY_LIVE | F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG;

interface PendingUnplug {
  /** Closes what the device used in QEMU (block nodes, chardev, backend object) once it is gone. */
  release: () => Promise<void>;
  removed: Promise<void>;
  done: () => void;
}

/** Unplugs QEMU was asked for and has not reported done, by device alias. */
function pendingOf(obj: QemuDomainObj): Map<string, PendingUnplug> {
  return obj.extension('hotplug', () => new Map<string, PendingUnplug>());
}

function aliasOf(dev: DomainDevice): string | undefined {
  return dev.el.element('alias')?.attr('name');
}

function deviceMissing(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_DEVICE_MISSING, FROM_QEMU, detail);
}

function diskByTarget(def: DomainDef, target: string): DomainDevice | undefined {
  return def.devices.find((d) => d.disk?.targetDev === target);
}

/** A definition that keeps `def`'s fields but not its devices of `kind` (to parse one such device alone). */
function without(def: DomainDef, kind: string): DomainDef {
  return { ...def, devices: def.devices.filter((d) => d.kind !== kind) };
}

/** Give a disk the medium of `from`: its source (and chain), storage type and format. */
function takeMedium(dev: DomainDevice, from: DomainDevice): void {
  const kids = dev.el.children;
  const drop = (name: string) => {
    const at = kids.findIndex((c) => c.kind === 'element' && c.name === name);
    if (at >= 0) kids.splice(at, 1);
    return at;
  };
  drop('backingStore');
  let at = drop('source');
  if (at < 0) at = kids.findIndex((c) => c.kind === 'element' && c.name === 'target');
  const add = ['source', 'backingStore'].map((n) => from.el.element(n)).filter((e) => e !== undefined);
  kids.splice(Math.max(at, 0), 0, ...add);
  dev.el.attrs.set('type', from.el.attr('type') ?? 'file');
  const fmt = from.el.element('driver')?.attr('type');
  if (fmt) dev.el.element('driver')?.attrs.set('type', fmt);
  dev.disk = {
    ...dev.disk!,
    type: from.disk!.type,
    source: from.disk!.source,
    driverType: fmt ?? dev.disk!.driverType,
    backingStore: from.disk!.backingStore,
  };
}

/** Drop a device that left QEMU from the live definition, close its nodes, tell the clients. */
async function finishUnplug(driver: QemuDriver, obj: QemuDomainObj, alias: string): Promise<void> {
  const pending = pendingOf(obj).get(alias);
  pendingOf(obj).delete(alias);
  const live = obj.liveDef;
  const dev = live?.devices.find((d) => aliasOf(d) === alias);
  if (live && dev) {
    // The first serial port's console is the same device (libvirt's compat console) and goes with it.
    live.devices = live.devices.filter((d) => d !== dev && !(dev.kind === 'serial' && d.kind === 'console' && aliasOf(d) === alias));
    if (pending && obj.active) await pending.release();
    if (obj.active) await driver.saveDef(obj, live);
    driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, obj.ref(), { devAlias: alias });
  }
  pending?.done();
}

/** Ask QEMU to unplug a device; `wait`: until it is gone or the unplug timeout passed. */
async function unplug(driver: QemuDriver, obj: QemuDomainObj, dev: DomainDevice, wait: boolean): Promise<void> {
  const alias = aliasOf(dev) ?? '';
  const qmp = obj.monitor();
  let release: () => Promise<void>;
  if (dev.disk) {
    const bus = dev.disk.targetBus ?? '';
    if (!['virtio', 'usb', 'scsi'].includes(bus)) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'This type of disk cannot be hot unplugged');
    }
    const nodes = await diskNodes(qmp, alias, dev);
    release = () => deleteNodes(qmp, nodes);
  } else {
    findForDetach(obj.liveDef!, dev.el, true);
    release = () => releaseDevice(qmp, dev, alias);
  }
  let done = () => undefined as void;
  const removed = new Promise<void>((r) => (done = r));
  pendingOf(obj).set(alias, { release, removed, done });
  try {
    await qmp.execute('device_del', { id: alias });
  } catch (e) {
    pendingOf(obj).delete(alias);
    throw e;
  }
  if (!wait) return;
  // libvirt returns success when the guest has not released the device in time; it leaves later.
  await Promise.race([removed, new Promise((r) => setTimeout(r, UNPLUG_TIMEOUT_MS).unref())]);
}

/** `def` without `dev` (and without the compat console of a first serial port). */
function withoutDevice(def: DomainDef, dev: DomainDevice): DomainDef {
  const alias = aliasOf(dev);
  const compat = (d: DomainDevice) =>
    dev.kind === 'serial' &&
    d.kind === 'console' &&
    d.el.element('target')?.attr('type') === 'serial' &&
    (alias === undefined || aliasOf(d) === alias);
  const firstSerial = def.devices.find((d) => d.kind === 'serial') === dev;
  return { ...def, devices: def.devices.filter((d) => d !== dev && !(firstSerial && compat(d))) };
}

/** Put `dev` after the last device of its kind (libvirt appends to each kind's list), else last. */
function insertDevice(def: DomainDef, dev: DomainDevice): void {
  const last = def.devices.map((d) => d.kind).lastIndexOf(dev.kind);
  def.devices.splice(last < 0 ? def.devices.length : last + 1, 0, dev);
}

export const hotplugHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, e) => {
      if (e.event !== 'DEVICE_DELETED') return;
      const alias = e.data.device;
      if (typeof alias === 'string' && alias) void finishUnplug(driver, obj, alias).catch(() => undefined);
    },
    stopped: (obj) => {
      for (const p of pendingOf(obj).values()) p.done();
      pendingOf(obj).clear();
    },
  });
};

type HotplugMethods = Pick<
  Required<DriverConnection>,
  | 'domainAttachDevice'
  | 'domainAttachDeviceFlags'
  | 'domainDetachDevice'
  | 'domainDetachDeviceFlags'
  | 'domainDetachDeviceAlias'
  | 'domainUpdateDeviceFlags'
  | 'domainBlockResize'
>;

export const hotplugMethods: QemuConnectionExtension = (driver): HotplugMethods => {
  const config = async () => hostDriverConfig(driver.paths, (await driver.caps()).flags.has('seccomp-sandbox'));

  async function attach(obj: QemuDomainObj, xml: string, flags: number): Promise<void> {
    const kind = deviceKind(xml);
    if (kind === 'interface') return changeNic(driver, obj, 'attach', xml, flags, config);
    const impact = modificationImpact(obj, flags);
    checkSupported(kind, 'attach', impact.live);
    const caps = await driver.caps();
    let persistent: DomainDef | undefined;
    if (impact.config) {
      if (kind === 'disk') {
        const target = parseDevice(without(obj.persistentDef!, 'disk'), xml, caps).disk!.targetDev;
        if (diskByTarget(obj.persistentDef!, target)) throw VirError.operationInvalid(`target ${target} already exists`, FROM_QEMU);
      } else checkAttach(obj.persistentDef!, parseXml(xml), false);
      persistent = defWithDevice(obj.persistentDef!, xml, caps, false).def;
    }
    if (impact.live) await (kind === 'disk' ? attachLive(obj, xml) : attachDeviceLive(obj, xml));
    if (persistent) await driver.saveDef(obj, persistent);
  }

  /** Plug a device other than a disk: any controller its placement added first, then the device. */
  async function attachDeviceLive(obj: QemuDomainObj, xml: string): Promise<void> {
    const caps = await driver.caps();
    const live = obj.liveDef!;
    checkAttach(live, parseXml(xml), true);
    // The device as a definition would hold it (defaults, address, port), placed among the
    // running devices, whose addresses it avoids.
    const placed = defWithDevice(live, xml, caps, false);
    const def = copyDef(live, true);
    def.id = live.id;
    const dev = placed.dev;
    const has = (d: DomainDevice) =>
      d.kind === 'controller'
        ? def.devices.some((c) => c.controller?.type === d.controller!.type && c.controller.index === d.controller!.index)
        : d !== dev;
    // New controllers the device needs (a virtio-serial one for a first channel).
    const extra = placed.def.devices.filter((d) => d !== dev && d.kind === 'controller' && !has(d));
    // A first serial port of a guest without a console doubles as its console (qemuDomainChrPreInsert).
    const compat =
      dev.kind === 'serial' && !def.devices.some((d) => d.kind === 'serial' || d.kind === 'console')
        ? {
            kind: 'console',
            el: mkEl(
              'console',
              [['type', dev.el.attr('type') ?? 'pty']],
              [
                mkEl('target', [
                  ['type', 'serial'],
                  ['port', 0],
                ]),
              ],
            ),
          }
        : undefined;
    for (const d of [...extra, dev]) insertDevice(def, d);
    if (compat) insertDevice(def, compat);
    const alias = hotplugAlias(def, dev);
    setDeviceAlias(dev.el, alias);
    if (compat) setDeviceAlias(compat.el, alias);
    recordAliases(def);
    prepareChannelPaths(def, driver.paths.channelTargetDir, def.id ?? 0);
    const qmp = obj.monitor();
    const cfg = await config();
    for (const d of extra) await plugDevice(qmp, devicePlug(def, d, caps, cfg));
    await plugDevice(qmp, devicePlug(def, dev, caps, cfg));
    await recordPtyPaths(qmp, def);
    obj.liveDef = def;
    await driver.saveDef(obj, def);
    for (const d of [...extra, dev]) driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, obj.ref(), { devAlias: aliasOf(d) ?? '' });
  }

  async function attachLive(obj: QemuDomainObj, xml: string): Promise<void> {
    const caps = await driver.caps();
    const alone = parseDevice(without(obj.liveDef!, 'disk'), xml, caps);
    const current = diskByTarget(obj.liveDef!, alone.disk!.targetDev);
    // Attaching a CD-ROM or floppy that is there already changes its medium (libvirt overloads it).
    if (current && (alone.disk!.device === 'cdrom' || alone.disk!.device === 'floppy')) return changeMediumLive(obj, current, alone);
    checkDuplicateTarget(obj.liveDef!, alone);
    checkHotpluggable(alone);
    const { def, dev } = defWithDevice(obj.liveDef!, xml, caps, true);
    recordAliases(def);
    def.id = obj.liveDef!.id;
    const qmp = obj.monitor();
    await plugDisk(qmp, diskPlug(def, dev, caps, await config(), await firstFreeNode(qmp)));
    // The disk is in the guest now: libvirt only warns when its limits cannot be set.
    await throttleConfiguredDisk(qmp, dev).catch((e: Error) =>
      process.stderr.write(
        `${new Date().toISOString()}: ${process.pid}: warning : failed to set blkdeviotune for '${dev.disk!.targetDev}' of '${def.name}': ${e.message}\n`,
      ),
    );
    obj.liveDef = def;
    await driver.saveDef(obj, def);
    driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, obj.ref(), { devAlias: diskAlias(def, dev) });
  }

  async function changeMediumLive(obj: QemuDomainObj, current: DomainDevice, wanted: DomainDevice): Promise<void> {
    const caps = await driver.caps();
    const live = obj.liveDef!;
    const alias = aliasOf(current) ?? '';
    const qmp = obj.monitor();
    const oldNodes = await diskNodes(qmp, alias, current);
    const before = current.el.children.slice();
    const beforeDisk = current.disk;
    takeMedium(current, wanted);
    try {
      const plug = current.disk!.source.path ? diskPlug(live, current, caps, await config(), await firstFreeNode(qmp)) : undefined;
      await changeMedium(qmp, alias, oldNodes, plug, () => throttleConfiguredDisk(qmp, current));
    } catch (e) {
      current.el.children.splice(0, current.el.children.length, ...before);
      current.disk = beforeDisk;
      throw e;
    }
    await driver.saveDef(obj, live);
  }

  async function detach(obj: QemuDomainObj, xml: string, flags: number): Promise<void> {
    const kind = deviceKind(xml);
    if (kind === 'interface') return changeNic(driver, obj, 'detach', xml, flags, config);
    const impact = modificationImpact(obj, flags);
    checkSupported(kind, 'detach', impact.live);
    if (kind !== 'disk') {
      const wanted = parseXml(xml);
      const persistent = impact.config ? withoutDevice(obj.persistentDef!, findForDetach(obj.persistentDef!, wanted, false)) : undefined;
      if (impact.live) await unplug(driver, obj, findForDetach(obj.liveDef!, wanted, true), true);
      if (persistent) await driver.saveDef(obj, persistent);
      return;
    }
    const caps = await driver.caps();
    const target = parseDevice(without(obj.def, 'disk'), xml, caps).disk!.targetDev;
    let persistent: DomainDef | undefined;
    if (impact.config) {
      const dev = diskByTarget(obj.persistentDef!, target);
      if (!dev) throw deviceMissing(`no target device ${target}`);
      persistent = { ...obj.persistentDef!, devices: obj.persistentDef!.devices.filter((d) => d !== dev) };
    }
    if (impact.live) {
      const dev = diskByTarget(obj.liveDef!, target);
      if (!dev) throw deviceMissing(`disk ${target} not found`);
      await unplug(driver, obj, dev, true);
    }
    if (persistent) await driver.saveDef(obj, persistent);
  }

  async function detachAlias(obj: QemuDomainObj, alias: string, flags: number): Promise<void> {
    const impact = modificationImpact(obj, flags);
    const liveDev = impact.live ? obj.liveDef!.devices.find((d) => aliasOf(d) === alias) : undefined;
    const confDev = impact.config ? obj.persistentDef!.devices.find((d) => aliasOf(d) === alias) : undefined;
    if ((impact.live && !liveDev) || (impact.config && !confDev)) throw deviceMissing(`no device found with alias ${alias}`);
    for (const dev of [liveDev, confDev]) if (dev) checkSupported(dev.kind, 'detach', dev === liveDev);
    if (liveDev) await unplug(driver, obj, liveDev, false);
    if (confDev) await driver.saveDef(obj, withoutDevice(obj.persistentDef!, confDev));
  }

  async function update(obj: QemuDomainObj, xml: string, flags: number): Promise<void> {
    if (deviceKind(xml) === 'interface') return changeNic(driver, obj, 'update', xml, flags, config);
    const impact = modificationImpact(obj, flags);
    checkSupported(deviceKind(xml), 'update', impact.live);
    const caps = await driver.caps();
    const wanted = parseDevice(without(obj.def, 'disk'), xml, caps);
    const target = wanted.disk!.targetDev;
    const removable = wanted.disk!.device === 'cdrom' || wanted.disk!.device === 'floppy';
    let persistent: DomainDef | undefined;
    if (impact.config) {
      persistent = copyDef(obj.persistentDef!);
      const dev = diskByTarget(persistent, target);
      if (!dev) throw VirError.invalidArg(`target ${target} doesn't exist.`, FROM_QEMU);
      takeMedium(dev, wanted);
    }
    if (impact.live) {
      const dev = diskByTarget(obj.liveDef!, target);
      if (!dev) throw VirError.internal(`disk '${target}' not found`, FROM_QEMU);
      if (dev.disk!.source.path !== wanted.disk!.source.path) {
        if (!removable) {
          throw VirError.create(
            ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
            FROM_QEMU,
            'disk source can be changed only in removable drives',
          );
        }
        await changeMediumLive(obj, dev, wanted);
      }
    }
    if (persistent) await driver.saveDef(obj, persistent);
  }

  async function blockResize(obj: QemuDomainObj, disk: string, size: number, flags: number): Promise<void> {
    if (!obj.active) throw VirError.operationInvalid('domain is not running', ErrorDomain.VIR_FROM_DOMAIN);
    const dev = domainDiskByName(obj.def, disk);
    if (!dev) throw VirError.invalidArg(`disk '${disk}' was not found in the domain config`, FROM_QEMU);
    let bytes = flags & R.VIR_DOMAIN_BLOCK_RESIZE_BYTES ? size : size * 1024;
    // qcow2 and qed images grow in whole 512-byte sectors, whatever unit the caller used.
    if (['qcow2', 'qed'].includes(dev.disk!.driverType ?? '')) bytes = Math.ceil(bytes / 512) * 512;
    const alias = aliasOf(dev) ?? '';
    const [node] = await diskNodes(obj.monitor(), alias, dev);
    if (!node) throw VirError.operationInvalid(`disk '${disk}' does not have an active block backend`, FROM_QEMU);
    await obj.monitor().execute('block_resize', { 'node-name': node, size: bytes });
  }

  const withObj = <T>(dom: DomainRef, owner: string, fn: (obj: QemuDomainObj) => Promise<T>): Promise<T> => {
    const obj = driver.domains.get(dom);
    return driver.withJob(obj, 'modify', owner, () => fn(obj));
  };
  const check = (flags: number, mask: number, fn: string) => checkFlags(flags, mask, fn);

  return {
    domainAttachDevice: (dom, xml) => withObj(dom, 'virDomainAttachDevice', (o) => attach(o, xml, F.VIR_DOMAIN_DEVICE_MODIFY_LIVE)),
    domainAttachDeviceFlags: (dom, xml, flags) => {
      check(flags, MODIFY, 'qemuDomainAttachDeviceFlags');
      return withObj(dom, 'virDomainAttachDeviceFlags', (o) => attach(o, xml, flags));
    },
    domainDetachDevice: (dom, xml) => withObj(dom, 'virDomainDetachDevice', (o) => detach(o, xml, F.VIR_DOMAIN_DEVICE_MODIFY_LIVE)),
    domainDetachDeviceFlags: (dom, xml, flags) => {
      check(flags, MODIFY, 'qemuDomainDetachDeviceFlags');
      return withObj(dom, 'virDomainDetachDeviceFlags', (o) => detach(o, xml, flags));
    },
    domainDetachDeviceAlias: (dom, alias, flags) => {
      check(flags, MODIFY, 'qemuDomainDetachDeviceAlias');
      return withObj(dom, 'virDomainDetachDeviceAlias', (o) => detachAlias(o, alias, flags));
    },
    domainUpdateDeviceFlags: (dom, xml, flags) => {
      check(flags, MODIFY | F.VIR_DOMAIN_DEVICE_MODIFY_FORCE, 'qemuDomainUpdateDeviceFlags');
      return withObj(dom, 'virDomainUpdateDeviceFlags', (o) => update(o, xml, flags));
    },
    domainBlockResize: (dom, disk, size, flags) => {
      check(flags, R.VIR_DOMAIN_BLOCK_RESIZE_BYTES, 'qemuDomainBlockResize');
      return withObj(dom, 'virDomainBlockResize', (o) => blockResize(o, disk, wideToNumber(size), flags));
    },
  };
};
