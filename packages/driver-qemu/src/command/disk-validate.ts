/**
 * The QEMU driver's disk checks (qemu_validate.c qemuValidateDomainDeviceDefDisk and
 * qemu_domain.c qemuDomainValidateStorageSource): front-end properties per bus, iotune groups
 * and limits, transient disks, shared access, and what each layer of the source chain may use.
 */
import { ErrorDomain, ErrorNumber, VirError, type ErrorNumber as ErrorCode } from '@virtkit/core';
import { IOTUNE_MAX as LIMIT, diskNameToIndex, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';

const fail = (code: ErrorCode, detail: string) => VirError.create(code, ErrorDomain.VIR_FROM_QEMU, detail);
const unsupported = (detail: string) => fail(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, detail);
const internal = (detail: string) => fail(ErrorNumber.VIR_ERR_INTERNAL_ERROR, detail);

/** QEMU_BLOCK_IOTUNE_MAX, as a bigint: the XML's values may exceed a double's exact range. */
const IOTUNE_MAX = BigInt(LIMIT);
/** QEMU_SERIAL_PARAM_ACCEPTED_CHARS. */
const SERIAL_CHARS = /^[A-Za-z0-9\-_ .+]*$/;

const HTTP = ['http', 'https'];
const HTTP_FTP = ['http', 'https', 'ftp', 'ftps'];

/** One layer of the chain as the storage checks see it. */
interface Layer {
  type: string;
  format?: string;
  src?: XmlElement;
  /** The element holding format/encryption children (`<driver>` of the disk, `<format>` of a backing store). */
  formatEl?: XmlElement;
  encryption?: XmlElement;
  readonly: boolean;
}

function chainLayers(el: XmlElement): Layer[] {
  const readonly = el.element('readonly') !== undefined || el.attr('device') === 'cdrom';
  const src = el.element('source');
  const layers: Layer[] = [
    {
      type: el.attr('type') ?? 'file',
      format: el.element('driver')?.attr('type'),
      src,
      formatEl: el.element('driver'),
      encryption: src?.element('encryption') ?? el.element('encryption'),
      readonly,
    },
  ];
  for (let b = el.element('backingStore'); b && b.attr('type') !== undefined; b = b.element('backingStore')) {
    const bsrc = b.element('source');
    layers.push({
      type: b.attr('type') ?? 'file',
      format: b.element('format')?.attr('type'),
      src: bsrc,
      formatEl: b.element('format'),
      encryption: bsrc?.element('encryption'),
      readonly: true,
    });
  }
  return layers;
}

function networkOnly(layer: Layer, protocols: string[], message: string): void {
  if (layer.type !== 'network' || !protocols.includes(layer.src?.attr('protocol') ?? '')) throw unsupported(message);
}

/** The parts of qemuDomainValidateStorageSource about formats. */
function validateLayerFormat(layer: Layer): void {
  const fmt = layer.format;
  if (fmt === 'cow') throw unsupported("'cow' storage format is not supported");
  if (fmt === 'dir') throw unsupported("'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead");
  if (fmt === 'iso') throw unsupported("storage format 'iso' is not directly supported by QEMU, use 'raw' instead");
  if (fmt === 'fat' && layer.type !== 'volume' && layer.type !== 'dir') {
    throw unsupported("storage format 'fat' is supported only with 'dir' storage type");
  }
  if (layer.type === 'dir') {
    if (fmt !== undefined && fmt !== 'fat' && fmt !== 'none') throw unsupported("storage type 'dir' requires use of storage format 'fat'");
    if (!layer.readonly) throw unsupported("virtual FAT storage can't be accessed in read-write mode");
  }
}

/** The parts of qemuDomainValidateStorageSource about network sources. */
function validateLayerNetwork(layer: Layer): void {
  const src = layer.src;
  if (!src) return;
  if (src.element('ssl')?.attr('verify') !== undefined) {
    networkOnly(layer, ['https', 'ftps'], 'ssl verification is supported only with HTTPS/FTPS protocol');
  }
  if (src.element('cookies')?.elements('cookie').length) {
    networkOnly(layer, HTTP, 'http cookies are supported only with HTTP(S) protocol');
  }
  if (Number(src.element('readahead')?.attr('size') ?? 0) > 0) {
    networkOnly(layer, HTTP_FTP, 'readahead is supported only with HTTP(S)/FTP(s) protocols');
  }
  if (Number(src.element('timeout')?.attr('seconds') ?? 0) > 0) {
    networkOnly(layer, HTTP_FTP, 'timeout is supported only with HTTP(S)/FTP(s) protocols');
  }
  if (src.attr('query') !== undefined) networkOnly(layer, HTTP, 'query is supported only with HTTP(S) protocols');
  if (layer.type !== 'network') return;
  const protocol = src.attr('protocol');
  if (protocol === 'tftp') throw unsupported("'tftp' protocol is not supported with this QEMU binary");
  if (protocol === 'nfs') {
    const hosts = src.elements('host');
    if (hosts.length !== 1) throw unsupported("'nfs' protocol requires the usage of exactly one host");
    if ((hosts[0].attr('transport') ?? 'tcp') !== 'tcp') throw unsupported("'nfs' host must use TCP protocol");
    if (hosts[0].attr('port') !== undefined && hosts[0].attr('port') !== '0') {
      throw unsupported("port cannot be specified in 'nfs' protocol host");
    }
  }
}

/** The parts of qemuDomainValidateStorageSource about metadata cache and encryption. */
function validateLayerFormatOptions(layer: Layer, caps: QemuCaps): void {
  if (layer.formatEl?.element('metadata_cache')?.element('max_size') && layer.format !== 'qcow2') {
    throw unsupported('metadata cache max size control is supported only with qcow2 images');
  }
  const enc = layer.encryption;
  if (!enc) return;
  const format = enc.attr('format') ?? 'default';
  if (format === 'default' || format === 'qcow') throw unsupported('old qcow/qcow2 encryption is not supported');
  if ((enc.attr('engine') ?? 'qemu') === 'librbd') {
    if (!caps.flags.has('rbd-encryption')) throw unsupported('librbd encryption is not supported by this QEMU binary');
    if (layer.type !== 'network' && layer.src?.attr('protocol') !== 'rbd') {
      throw unsupported('librbd encryption is supported only with RBD backed disks');
    }
    return;
  }
  if (format === 'luks2') throw unsupported('luks2 is currently not supported by the qemu encryption engine');
  if (layer.format !== undefined && layer.format !== 'qcow2' && layer.format !== 'raw') {
    throw unsupported("encryption is supported only with 'raw' and 'qcow2' image format");
  }
}

function validateLayer(layer: Layer, caps: QemuCaps): void {
  validateLayerFormat(layer);
  if (layer.src?.element('reservations') && !caps.flags.has('pr-manager-helper')) {
    throw unsupported('reservations not supported with this QEMU binary');
  }
  validateLayerNetwork(layer);
  validateLayerFormatOptions(layer, caps);
}

/** The geometry, serial and removable-media rules of qemuValidateDomainDeviceDefDiskFrontend. */
function validateFrontendBasics(el: XmlElement, bus: string, device: string, dst: string, readonly: boolean): void {
  const geo = el.element('geometry');
  if (geo && Number(geo.attr('cyls') ?? 0) > 0 && Number(geo.attr('heads') ?? 0) > 0 && Number(geo.attr('secs') ?? 0) > 0) {
    if (bus === 'usb' || bus === 'sd') throw unsupported(`CHS geometry can not be set for '${bus}' bus`);
    const trans = geo.attr('trans');
    if (trans !== undefined && trans !== 'default' && bus !== 'ide') {
      throw unsupported(`CHS translation mode can only be set for 'ide' bus not '${bus}'`);
    }
  }
  if (el.childText('serial') !== undefined && bus === 'sd') throw internal(`Serial property not supported for drive bus '${bus}'`);
  if (device === 'cdrom' && (bus === 'virtio' || bus === 'sd')) throw unsupported(`disk type of '${dst}' does not support ejectable media`);
  if (el.element('driver')?.attr('copy_on_read') === 'on') {
    if (readonly) throw unsupported(`copy_on_read is not compatible with read-only disk '${dst}'`);
    if (device === 'cdrom' || device === 'floppy') throw unsupported(`copy_on_read is not supported with removable disk '${dst}'`);
  }
}

/** The wwn, vendor/product, LUN and rotation-rate rules of qemuValidateDomainDeviceDefDiskFrontend. */
function validateFrontendIdentity(el: XmlElement, bus: string, device: string, dst: string): void {
  const wwn = el.childText('wwn') !== undefined;
  const vpd = el.childText('vendor') !== undefined || el.childText('product') !== undefined;
  if (wwn && bus !== 'ide' && bus !== 'scsi') throw unsupported('Only ide and scsi disk support wwn');
  if (vpd && bus !== 'scsi') throw unsupported('Only scsi disk supports vendor and product');
  if (device === 'lun') {
    if (bus !== 'virtio' && bus !== 'scsi') throw unsupported(`disk device='lun' is not supported for bus='${bus}'`);
    if (el.element('driver')?.attr('copy_on_read') === 'on') throw unsupported(`copy_on_read is not compatible with 'lun' disk '${dst}'`);
    if (wwn) throw unsupported('Setting wwn is not supported for lun device');
    if (vpd) throw unsupported('Setting vendor or product is not supported for lun device');
  }
  if (Number(el.element('target')?.attr('rotation_rate') ?? 0) > 0) {
    if (bus !== 'scsi' && bus !== 'ide' && bus !== 'sata') throw internal('rotation rate is only valid for SCSI/IDE/SATA bus');
    if (device !== 'disk') throw internal('rotation rate is only valid for disk device');
  }
}

/** The address, read-only, I/O mode, serial and iothread rules of qemuValidateDomainDeviceDefDiskFrontend. */
function validateFrontendBus(def: DomainDef, d: DomainDevice, readonly: boolean): void {
  const el = d.el;
  const { targetBus: bus = 'ide', device, targetDev: dst } = d.disk!;
  if (['scsi', 'ide', 'fdc', 'sata'].includes(bus) && d.address?.type !== 'drive')
    throw internal(`unexpected address type for ${bus} disk`);
  if (bus === 'usb' && d.address && d.address.type !== 'usb') throw internal('unexpected address type for usb disk');
  if (readonly && device === 'disk' && (bus === 'ide' || bus === 'sata')) throw unsupported(`readonly ${bus} disks are not supported`);
  const driver = el.element('driver');
  const cache = driver?.attr('cache');
  if (driver?.attr('io') === 'native' && cache !== 'directsync' && cache !== 'none') {
    throw unsupported("io='native' needs either no disk cache or directsync cache mode");
  }
  const serial = el.childText('serial');
  if (serial !== undefined && bus === 'scsi' && device === 'lun')
    throw unsupported("scsi-block 'lun' devices do not support the serial property");
  if (serial !== undefined && !SERIAL_CHARS.test(serial)) throw internal(`driver serial '${serial}' contains unsafe characters`);
  const iothread = driver?.attr('iothread');
  if (iothread !== undefined && Number(iothread) > 0) {
    if (bus !== 'virtio') throw unsupported(`IOThreads not available for bus ${bus} target ${dst}`);
    const ids =
      def.preserved
        .get('iothreadids')?.[0]
        ?.elements('iothread')
        .map((t) => t.attr('id')) ?? [];
    const count = Number(def.preserved.get('iothreads')?.[0]?.text().trim() ?? 0);
    const known = ids.length ? ids.includes(iothread) : Number(iothread) <= count;
    if (!known) throw unsupported(`Disk iothread '${iothread}' not defined in iothreadid`);
  }
}

const IOTUNE_FIELDS = [
  'total_bytes_sec',
  'read_bytes_sec',
  'write_bytes_sec',
  'total_iops_sec',
  'read_iops_sec',
  'write_iops_sec',
  'total_bytes_sec_max',
  'read_bytes_sec_max',
  'write_bytes_sec_max',
  'total_iops_sec_max',
  'read_iops_sec_max',
  'write_iops_sec_max',
  'size_iops_sec',
];
/** Fields compared between disks of one throttle group (virDomainBlockIoTuneInfoEqual). */
const IOTUNE_COMPARED = [...IOTUNE_FIELDS, ...IOTUNE_FIELDS.filter((f) => f.endsWith('_max')).map((f) => `${f}_length`)];

const tuneValue = (tune: XmlElement | undefined, f: string) => BigInt(tune?.childText(f)?.trim() || '0');

/** qemuValidateDomainDeviceDefDiskBlkdeviotune. */
function validateIotune(def: DomainDef, d: DomainDevice): void {
  const tune = d.el.element('iotune');
  if (!tune) return;
  const group = tune.childText('group_name');
  if (group !== undefined) {
    if (!IOTUNE_COMPARED.some((f) => tuneValue(tune, f) > 0n))
      throw unsupported('group_name can be configured only together with settings');
    for (const o of def.devices) {
      if (!o.disk || o.disk.targetDev === d.disk!.targetDev) continue;
      const other = o.el.element('iotune');
      if (other?.childText('group_name') !== group) continue;
      if (IOTUNE_COMPARED.some((f) => tuneValue(tune, f) !== tuneValue(other, f))) {
        throw unsupported(`different iotunes for disks ${d.disk!.targetDev} and ${o.disk.targetDev}`);
      }
    }
  }
  if (IOTUNE_FIELDS.some((f) => tuneValue(tune, f) > IOTUNE_MAX)) {
    throw fail(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, `block I/O throttle limit must be no more than ${IOTUNE_MAX} using QEMU`);
  }
}

/** qemuValidateDomainDeviceDefDiskTransient. */
function validateTransient(d: DomainDevice, readonly: boolean, hasSource: boolean): void {
  const transient = d.el.element('transient');
  if (!transient) return;
  const { targetDev: dst, device, targetBus: bus = 'ide', type } = d.disk!;
  if (!hasSource) throw unsupported(`transient disk '${dst}' must not be empty`);
  if (readonly) throw unsupported(`transient disk '${dst}' must not be read-only`);
  if (type !== 'file') throw unsupported(`transient disk supported only with 'file' type (${dst})`);
  if (device !== 'disk') throw unsupported(`transient disk supported only with 'disk' device (${dst})`);
  if (transient.attr('shareBacking') === 'yes' && !['usb', 'virtio', 'scsi'].includes(bus)) {
    throw unsupported(`disk bus '${bus}' doesn't support transiend disk backing image sharing`);
  }
}

/** qemuValidateDomainDeviceDefDisk; `hasSource` says whether the disk has media. */
export function validateQemuDisk(def: DomainDef, d: DomainDevice, caps: QemuCaps, hasSource: boolean): void {
  const el = d.el;
  const disk = d.disk!;
  const layers = chainLayers(el);
  const readonly = layers[0].readonly;
  const bus = disk.targetBus ?? 'ide';
  validateFrontendBasics(el, bus, disk.device, disk.targetDev, readonly);
  validateFrontendIdentity(el, bus, disk.device, disk.targetDev);
  validateFrontendBus(def, d, readonly);
  validateIotune(def, d);
  validateTransient(d, readonly, hasSource);
  const shared = el.element('shareable') !== undefined;
  if (shared && !readonly && layers[0].format !== 'raw') {
    throw unsupported(`shared access for disk '${disk.targetDev}' requires use of supported storage format`);
  }
  const name = disk.driverName;
  if (name !== undefined && name !== 'qemu') throw unsupported(`unsupported driver name '${name}' for disk '${disk.targetDev}'`);
  if (diskNameToIndex(disk.targetDev) < 0) throw unsupported(`invalid disk target '${disk.targetDev}'`);
  if (/\d$/.test(disk.targetDev)) throw unsupported(`invalid disk target '${disk.targetDev}', partitions can't appear in disk targets`);
  for (const layer of layers) validateLayer(layer, caps);
}
