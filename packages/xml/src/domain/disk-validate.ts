/**
 * Driver-independent disk checks of libvirt's domain_validate.c: the source chain (auth secret
 * types, rbd-only elements), LUN sources, iotune exclusions, virtio-only driver options, vendor
 * and product, and drive addresses used twice (disks, SCSI host devices).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import type { DeviceAddress, DomainDef, DomainDevice } from './types';

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);
const xmlError = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN, detail);

const SECRET_USAGES = ['none', 'volume', 'ceph', 'iscsi', 'tls', 'vtpm'];
const AUTH_PROTOCOLS = ['iscsi', 'http', 'https', 'ftp', 'ftps', 'ssh', 'rbd'];
/** The secret usage each protocol's auth needs (others accept any known usage). */
const AUTH_USAGE: Record<string, string> = { iscsi: 'iscsi', rbd: 'ceph' };

/** The layers of a disk's chain: the disk element itself, then each typed `<backingStore>`. */
function chainHolders(el: XmlElement): XmlElement[] {
  const out = [el];
  for (let b = el.element('backingStore'); b && b.attr('type') !== undefined; b = b.element('backingStore')) out.push(b);
  return out;
}

/** virDomainDiskDefValidateSourceChainOne for one layer. */
function validateLayer(holder: XmlElement, top: XmlElement): void {
  const type = holder.attr('type') ?? 'file';
  const src = holder.element('source');
  const protocol = src?.attr('protocol');
  const auth = src?.element('auth') ?? (holder === top ? top.element('auth') : undefined);
  if (type === 'network' && auth) {
    if (protocol && !AUTH_PROTOCOLS.includes(protocol)) throw unsupported(`authentication is not supported for protocol '${protocol}'`);
    const usage = auth.element('secret')?.attr('type');
    if (usage === undefined || !SECRET_USAGES.includes(usage)) throw unsupported(`unknown secret type '${usage ?? '<null>'}'`);
    const need = protocol ? AUTH_USAGE[protocol] : undefined;
    if (need && usage !== need) throw unsupported(`invalid secret type '${usage}'`);
  }
  if (type !== 'network' && protocol !== 'rbd') {
    if (src?.element('snapshot')) throw xmlError("<snapshot> element is currently supported only with 'rbd' disks");
    if (src?.element('config')) throw xmlError("<config> element is currently supported only with 'rbd' disks");
  }
}

/** virDomainDiskDefSourceLUNValidate. */
function validateLunSource(el: XmlElement): void {
  const type = el.attr('type') ?? 'file';
  const src = el.element('source');
  if (type === 'network') {
    const protocol = src?.attr('protocol') ?? 'none';
    if (protocol !== 'iscsi') throw unsupported(`disk device='lun' is not supported for protocol='${protocol}'`);
  } else if (type !== 'block' && type !== 'volume') {
    throw unsupported("disk device='lun' is only valid for block type disk source");
  }
  const fmt = el.element('driver')?.attr('type');
  if (fmt !== undefined && fmt !== 'raw' && fmt !== 'none') throw unsupported("disk device 'lun' must use 'raw' format");
  if (
    src
      ?.element('slices')
      ?.elements('slice')
      .some((s) => s.attr('type') === 'storage')
  ) {
    throw unsupported("disk device 'lun' doesn't support storage slice");
  }
  const enc = src?.element('encryption') ?? el.element('encryption');
  if (enc && (enc.attr('format') ?? 'default') !== 'default') throw unsupported("disk device 'lun' doesn't support encryption");
}

const positive = (tune: XmlElement | undefined, name: string) => Number(tune?.childText(name) ?? 0) > 0;

/** The iotune pairs that exclude each other (total vs. read/write). */
function validateIotune(tune: XmlElement | undefined): void {
  for (const kind of ['bytes_sec', 'iops_sec', 'bytes_sec_max', 'iops_sec_max']) {
    if (positive(tune, `total_${kind}`) && (positive(tune, `read_${kind}`) || positive(tune, `write_${kind}`))) {
      throw xmlError(`total and read/write ${kind} cannot be set at the same time`);
    }
  }
}

const VIRTIO_OPTIONS: Array<[string, string]> = [
  ['iommu', 'iommu'],
  ['ats', 'ats'],
  ['packed', 'packed'],
  ['page_per_vq', 'page_per_vq'],
];

/** Options only a virtio-blk disk has. */
function validateNonVirtio(el: XmlElement, bus: string | undefined): void {
  const model = el.attr('model');
  if (model === 'virtio' || model === 'virtio-transitional' || model === 'virtio-non-transitional') {
    throw unsupported(`disk model '${model}' not supported for bus '${bus}'`);
  }
  const driver = el.element('driver');
  if (Number(driver?.attr('queues') ?? 0) > 0) throw unsupported('queues attribute in disk driver element is only supported by virtio-blk');
  if (driver?.attr('event_idx') !== undefined) throw unsupported('disk event_idx mode supported only for virtio bus');
  if (driver?.attr('ioeventfd') !== undefined) throw unsupported('disk ioeventfd mode supported only for virtio bus');
  for (const [attr, name] of VIRTIO_OPTIONS) {
    if (driver?.attr(attr) !== undefined) throw unsupported(`${name} driver option is only supported for virtio devices`);
  }
}

const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);

function validateVpd(el: XmlElement): void {
  for (const [name, max] of [
    ['vendor', 8],
    ['product', 16],
  ] as const) {
    const v = el.childText(name);
    if (v === undefined) continue;
    if (!printable(v)) throw xmlError(`disk ${name} is not printable string`);
    if (v.length > max) throw unsupported(`disk ${name} is more than ${max} characters`);
  }
}

/** virDomainDiskDefValidate, for the rules above (the bus is the post-parse one). */
export function validateDisk(d: DomainDevice): void {
  const el = d.el;
  const disk = d.disk!;
  for (const holder of chainHolders(el)) validateLayer(holder, el);
  const src = el.element('source');
  if (el.attr('sgio') === 'unfiltered') throw unsupported('unfiltered sgio is no longer supported');
  if (disk.device === 'lun') validateLunSource(el);
  else {
    if (src?.element('reservations')) throw unsupported('<reservations/> allowed only for lun devices');
    if (el.attr('rawio') !== undefined) throw unsupported("rawio can be used only with device='lun'");
    if (el.attr('sgio') !== undefined) throw unsupported("sgio can be used only with device='lun'");
  }
  validateIotune(el.element('iotune'));
  if (disk.targetBus !== 'virtio') validateNonVirtio(el, disk.targetBus);
  if (disk.type === 'nvme' && src?.attr('namespace') === '0') throw unsupported("NVMe namespace can't be zero");
  validateVpd(el);
}

const driveKey = (a: DeviceAddress & { type: 'drive' }) => `${a.controller}:${a.bus}:${a.target}:${a.unit}`;

/** virDomainDefDuplicateDriveAddressesValidate: one drive address per bus, SCSI host devices included. */
export function validateDriveAddresses(def: DomainDef): void {
  const disks = def.devices.filter((d) => d.disk && d.address?.type === 'drive');
  for (let i = 0; i < disks.length; i++) {
    const a = disks[i].address as DeviceAddress & { type: 'drive' };
    const dup = disks
      .slice(i + 1)
      .find((o) => o.disk!.targetBus === disks[i].disk!.targetBus && driveKey(o.address as typeof a) === driveKey(a));
    if (dup) {
      throw unsupported(
        `Found duplicate drive address for disk with target name '${disks[i].disk!.targetDev}' controller='${a.controller}' bus='${a.bus}' target='${a.target}' unit='${a.unit}'`,
      );
    }
  }
  const hostdevs = def.devices.filter((d) => d.kind === 'hostdev' && d.el.attr('type') === 'scsi' && d.address?.type === 'drive');
  const scsiDisks = disks.filter((d) => d.disk!.targetBus === 'scsi');
  for (let i = 0; i < hostdevs.length; i++) {
    const a = hostdevs[i].address as DeviceAddress & { type: 'drive' };
    // libvirt prints the bus where the controller goes and the other way round.
    const where = `controller='${a.bus}' bus='${a.controller}' target='${a.target}' unit='${a.unit}'`;
    if (hostdevs.slice(i + 1).some((o) => driveKey(o.address as typeof a) === driveKey(a))) {
      throw unsupported(`SCSI host address ${where} in use by another SCSI host device`);
    }
    if (scsiDisks.some((o) => driveKey(o.address as typeof a) === driveKey(a))) {
      throw unsupported(`SCSI host address ${where} in use by another SCSI disk`);
    }
  }
}
