/**
 * qemuDomainGet/SetBlockIoTune: a disk's I/O limits, live through QMP (`block_set_io_throttle`
 * to change them, `query-block` to read them back) and persistent in the disk's `<iotune>`; and
 * the configured limits given to QEMU as a disk appears, at start or hotplug (with -blockdev
 * libvirt 9.0 puts no throttling on the command line but sets it over QMP once QEMU runs).
 */
import {
  DomainModificationImpact as I,
  ErrorNumber,
  modificationImpact,
  TypedParameterFlags,
  VirError,
  type DomainRef,
  type TypedParams,
} from '@virtkit/core';
import {
  IOTUNE_FIELDS,
  IOTUNE_RATES,
  applyIotune,
  diskIotune,
  domainDiskByName,
  hasIotune,
  iotuneParams,
  noIotune,
  setDiskIotune,
  type DomainDef,
  type DomainDevice,
  type IoTune,
  type XmlElement,
} from '@virtkit/xml';
import { diskHasSource } from '../command/disk';
import { ownedBy } from '../hotplug/disk-live';
import type { QmpTransport } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU } from './errors';
import type { QemuDomainObj } from './obj';
import { copyDef } from './parse';

const IMPACT = I.VIR_DOMAIN_AFFECT_LIVE | I.VIR_DOMAIN_AFFECT_CONFIG;

/** QEMU's names of the six rates, in IOTUNE_RATES' order. */
const QMP_RATES = ['bps', 'bps_rd', 'bps_wr', 'iops', 'iops_rd', 'iops_wr'];

/** QEMU's name of a limit (BlockDeviceInfo, block_set_io_throttle): `bps_rd_max` for `read_bytes_sec_max`. */
function qmpName(field: string): string {
  if (field === 'size_iops_sec') return 'iops_size';
  if (field === 'group_name') return 'group';
  const rate = IOTUNE_RATES.findIndex((r) => field.startsWith(r));
  return QMP_RATES[rate] + field.slice(IOTUNE_RATES[rate]!.length);
}

function diskAlias(disk: XmlElement, name: string): string {
  const alias = disk.element('alias')?.attr('name');
  if (!alias) throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, FROM_QEMU, `missing alias of disk '${name}'`);
  return alias;
}

/**
 * The QOM path `block_set_io_throttle` finds a disk's backend by (libvirt's qomName): the device
 * itself on IDE, SATA, SCSI and floppy, a child of it where the front end is two devices.
 */
function diskQomName(dev: DomainDevice): string {
  const alias = diskAlias(dev.el, dev.disk!.targetDev);
  const bus = dev.disk!.targetBus;
  if (bus === 'virtio') return `/machine/peripheral/${alias}/virtio-backend`;
  if (bus === 'usb') return `/machine/peripheral/${alias}/${alias}.0/legacy[0]`;
  return alias;
}

/** The throttling QEMU applies to a disk now, from its `query-block` entry. */
async function liveIotune(qmp: QmpTransport, alias: string): Promise<IoTune> {
  const blocks = await qmp.execute<Array<{ qdev?: string; inserted?: Record<string, unknown> }>>('query-block');
  const inserted = blocks.find((b) => ownedBy(b.qdev, alias))?.inserted ?? {};
  const tune: IoTune = {};
  for (const f of IOTUNE_FIELDS) {
    const v = inserted[qmpName(f)];
    tune[f] = f === 'group_name' ? String(v ?? '') : Number(v ?? 0);
  }
  return tune;
}

/** block_set_io_throttle: the six rates always, the other limits only when set (QEMU defaults the rest). */
async function throttle(qmp: QmpTransport, alias: string, tune: IoTune): Promise<void> {
  const args: Record<string, unknown> = { id: alias };
  for (const f of IOTUNE_FIELDS) if (IOTUNE_RATES.includes(f) || tune[f]) args[qmpName(f)] = tune[f];
  await qmp.execute('block_set_io_throttle', args);
}

/** The configured limits of a disk QEMU can throttle, if it has any: not an SD card (a -drive of its own) nor an empty drive. */
function configuredIotune(dev: DomainDevice): IoTune | undefined {
  if (dev.disk!.targetBus === 'sd' || !diskHasSource(dev)) return undefined;
  const tune = diskIotune(dev.el);
  return hasIotune(tune) ? tune : undefined;
}

/** Give QEMU the configured limits of every disk (qemuProcessSetupDiskThrottling), before the vCPUs run. */
export async function throttleConfiguredDisks(qmp: QmpTransport, def: DomainDef): Promise<void> {
  for (const dev of def.devices) {
    const tune = dev.disk && configuredIotune(dev);
    if (tune) await throttle(qmp, diskQomName(dev), tune);
  }
}

/**
 * Give QEMU the configured limits of a hot-plugged disk. The disk is in the guest already, so,
 * as libvirt does, a refusal only leaves it unthrottled: the caller gets the error to log.
 */
export async function throttleConfiguredDisk(qmp: QmpTransport, dev: DomainDevice): Promise<void> {
  const tune = configuredIotune(dev);
  if (tune) await throttle(qmp, diskQomName(dev), tune);
}

/** QEMU's rule for bursts: a burst needs its rate and may not be below it. */
function checkBursts(tune: IoTune): void {
  for (const rate of IOTUNE_RATES) {
    const burst = tune[`${rate}_max`] as number;
    if (!burst) continue;
    const fail = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, FROM_QEMU, detail);
    if (!tune[rate]) throw fail(`value '${rate}_max' cannot be set if '${rate}' is not set`);
    if (burst < (tune[rate] as number)) throw fail(`value '${rate}_max' cannot be smaller than '${rate}'`);
  }
}

export async function getBlockIoTune(driver: QemuDriver, ref: DomainRef, disk: string | null, flags: number): Promise<TypedParams> {
  checkFlags(flags, IMPACT | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY, 'qemuDomainGetBlockIoTune');
  if (flags & I.VIR_DOMAIN_AFFECT_LIVE && flags & I.VIR_DOMAIN_AFFECT_CONFIG) {
    throw VirError.invalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
  }
  const obj = driver.domains.get(ref);
  return driver.withJob(obj, 'query', 'virDomainGetBlockIoTune', async () => {
    const { live } = modificationImpact(obj, flags & IMPACT);
    // Without a disk the caller only counts the parameters.
    if (disk === null) return iotuneParams(noIotune());
    const el = domainDiskByName((live ? obj.liveDef : obj.persistentDef)!, disk)?.el;
    if (!el) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `disk '${disk}' was not found in the domain config`);
    return iotuneParams(live ? await liveIotune(obj.monitor(), diskAlias(el, disk)) : diskIotune(el));
  });
}

export async function setBlockIoTune(driver: QemuDriver, ref: DomainRef, disk: string, params: TypedParams, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainSetBlockIoTune');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetBlockIoTune', async () => {
    const { live, config } = modificationImpact(obj, flags);
    if (live) await setLive(driver, obj, disk, params);
    if (config) {
      const def = copyDef(obj.persistentDef!);
      const el = domainDiskByName(def, disk)?.el;
      if (!el) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `missing persistent configuration for disk '${disk}'`);
      setDiskIotune(el, applyIotune(diskIotune(el), params, FROM_QEMU));
      await driver.saveDef(obj, def);
    }
  });
}

async function setLive(driver: QemuDriver, obj: QemuDomainObj, disk: string, params: TypedParams): Promise<void> {
  const def = obj.liveDef!;
  const dev = domainDiskByName(def, disk);
  if (!dev) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `disk '${disk}' was not found in the domain config`);
  const tune = applyIotune(diskIotune(dev.el), params, FROM_QEMU);
  checkBursts(tune);
  await throttle(obj.monitor(), diskQomName(dev), tune);
  setDiskIotune(dev.el, tune);
  await driver.saveDef(obj, def);
}
