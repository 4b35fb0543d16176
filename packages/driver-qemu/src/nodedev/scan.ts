/**
 * The host's devices as libvirt's udev node device backend reports them (node_device_udev.c):
 * PCI, USB, network, block storage, SCSI, SCSI generic and DRM devices found in sysfs, named
 * `<subsystem>_<sysname>[_<serial or MAC>]` with every other character than a letter or digit
 * made `_`, each a child of the nearest sysfs ancestor that is itself listed, else of `computer`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeDevCap, NodeDeviceDef } from '@virtkit/xml';
import { netFeatures, pciNames, readAttr, udevRecord, uevent } from './host-files';
import { pciCap } from './pci';

/** A device found in sysfs, before parents are known. */
interface Found {
  def: NodeDeviceDef;
  /** the resolved sysfs directory */
  real: string;
}

/** udevGenerateDeviceName. */
function deviceName(subsystem: string, sysname: string, suffix?: string): string {
  return `${subsystem}_${sysname}${suffix ? `_${suffix}` : ''}`.replace(/[^A-Za-z0-9]/g, '_');
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function realDir(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The path libvirt shows (`/sys/...`) for a directory under the scanned root. */
const shown = (root: string, real: string) => `/${path.relative(root, real)}`;

function found(root: string, real: string, name: string, caps: NodeDevCap[], extra: Partial<NodeDeviceDef> = {}): Found {
  const driver = realDir(path.join(real, 'driver'));
  const def: NodeDeviceDef = { name, sysfsPath: shown(root, real), devlinks: [], caps, ...extra };
  if (driver) def.driver = path.basename(driver);
  return { def, real };
}

function intAttr(dir: string, name: string, base: 10 | 16): number {
  const t = readAttr(dir, name);
  return t === undefined ? NaN : parseInt(t.replace(/^0x/, ''), base);
}

function scanPci(root: string): Found[] {
  const names = pciNames(root);
  const bus = path.join(root, 'sys/bus/pci/devices');
  return entries(bus).flatMap((id) => {
    const real = realDir(path.join(bus, id));
    const cap = real ? pciCap(real, id, names) : undefined;
    return real && cap ? [found(root, real, deviceName('pci', id), [cap])] : [];
  });
}

/** virNetDevGetLinkInfo: the operational state, and the speed of an Ethernet link that is up. */
function netLink(dir: string): { state?: string; speed?: number } {
  const state = readAttr(dir, 'operstate');
  if (state === undefined) return {};
  if (state !== 'up' || readAttr(dir, 'type') !== '1') return { state };
  const speed = parseInt(readAttr(dir, 'speed') ?? '', 10);
  return { state, ...(Number.isFinite(speed) ? { speed: speed >>> 0 } : {}) };
}

async function scanNet(root: string): Promise<Found[]> {
  const cls = path.join(root, 'sys/class/net');
  const out: Found[] = [];
  for (const ifname of entries(cls)) {
    const real = realDir(path.join(cls, ifname));
    if (!real) continue;
    const address = readAttr(real, 'address');
    const wireless = fs.existsSync(path.join(real, 'wireless')) || uevent(real).get('DEVTYPE') === 'wlan';
    const cap: NodeDevCap = {
      type: 'net',
      iface: ifname,
      ...(address ? { address } : {}),
      link: netLink(real),
      features: await netFeatures(ifname),
      subtype: wireless ? '80211' : '80203',
    };
    out.push(found(root, real, deviceName('net', ifname, address), [cap]));
  }
  return out;
}

/** udevKludgeStorageType: the drive type of a disk udev did not classify. */
function kludgeDriveType(devnode: string): string | undefined {
  if (devnode.startsWith('/dev/vd') || devnode.startsWith('/dev/xvd')) return 'disk';
  if (devnode.startsWith('/dev/dasd')) return 'dasd';
  return undefined;
}

function scanBlock(root: string): Found[] {
  const cls = path.join(root, 'sys/class/block');
  return entries(cls).flatMap((sysname) => {
    const real = realDir(path.join(cls, sysname));
    if (!real) return [];
    const ev = uevent(real);
    if (ev.get('DEVTYPE') !== 'disk') return [];
    const devnode = `/dev/${ev.get('DEVNAME') ?? sysname}`;
    const { props, links } = udevRecord(root, `b${ev.get('MAJOR')}:${ev.get('MINOR')}`);
    const driveType = props.get('ID_TYPE') ?? kludgeDriveType(devnode);
    // libvirt skips a block device whose kind it cannot tell (loop, zram, ... without udev's help)
    if (!driveType) return [];
    const serial = props.get('ID_SERIAL');
    const trimmed = (a: string) => readAttr(real, a)?.trim() || undefined;
    const numBlocks = intAttr(real, 'size', 10) || 0;
    const lbs = intAttr(real, 'queue/logical_block_size', 10) || 0;
    const cap: NodeDevCap = {
      type: 'storage',
      block: devnode,
      ...(props.has('ID_BUS') ? { bus: props.get('ID_BUS') } : {}),
      driveType,
      ...(trimmed('device/model') ? { model: trimmed('device/model') } : {}),
      ...(trimmed('device/vendor') ? { vendor: trimmed('device/vendor') } : {}),
      ...(serial ? { serial } : {}),
      size: driveType === 'disk' ? numBlocks * lbs : 0,
      logicalBlockSize: lbs,
      numBlocks,
      hotpluggable: false,
      ...(readAttr(real, 'removable') === '1' ? { removable: { mediaAvailable: numBlocks > 0, mediaSize: numBlocks * lbs } } : {}),
    };
    return [found(root, real, deviceName('block', sysname, serial), [cap], { devnode, devlinks: links })];
  });
}

function scanUsb(root: string): Found[] {
  const bus = path.join(root, 'sys/bus/usb/devices');
  return entries(bus).flatMap((sysname) => {
    const real = realDir(path.join(bus, sysname));
    if (!real) return [];
    const devtype = uevent(real).get('DEVTYPE');
    const name = deviceName('usb', sysname);
    if (devtype === 'usb_device') {
      const product = readAttr(real, 'product');
      const vendor = readAttr(real, 'manufacturer');
      const cap: NodeDevCap = {
        type: 'usb_device',
        bus: intAttr(real, 'busnum', 10),
        device: intAttr(real, 'devnum', 10),
        productId: intAttr(real, 'idProduct', 16),
        vendorId: intAttr(real, 'idVendor', 16),
        ...(product ? { product } : {}),
        ...(vendor ? { vendor } : {}),
      };
      return [found(root, real, name, [cap], { devnode: `/dev/${uevent(real).get('DEVNAME') ?? ''}` })];
    }
    if (devtype === 'usb_interface') {
      const cap: NodeDevCap = {
        type: 'usb',
        number: intAttr(real, 'bInterfaceNumber', 16),
        klass: intAttr(real, 'bInterfaceClass', 16),
        subclass: intAttr(real, 'bInterfaceSubClass', 16),
        protocol: intAttr(real, 'bInterfaceProtocol', 16),
      };
      return [found(root, real, name, [cap])];
    }
    return [];
  });
}

/** udevGetSCSIType: the peripheral device type names libvirt knows. */
const SCSI_TYPES: Readonly<Record<number, string>> = {
  0: 'disk',
  1: 'tape',
  3: 'processor',
  4: 'worm',
  5: 'cdrom',
  6: 'scanner',
  7: 'mod',
  8: 'changer',
  0xd: 'enclosure',
};

function scsiHostCap(root: string, sysname: string): NodeDevCap {
  const host = parseInt(sysname.slice(4), 10);
  const cap: NodeDevCap = { type: 'scsi_host', host, uniqueId: intAttr(path.join(root, 'sys/class/scsi_host', sysname), 'unique_id', 10) };
  if (!Number.isFinite(cap.uniqueId)) cap.uniqueId = -1;
  const fc = path.join(root, 'sys/class/fc_host', sysname);
  if (fs.existsSync(fc)) {
    const wwn = (a: string) => readAttr(fc, a)?.replace(/^0x/, '');
    cap.fc = { wwnn: wwn('node_name'), wwpn: wwn('port_name'), fabricWwn: wwn('fabric_name') };
    if (fs.existsSync(path.join(fc, 'vport_create')))
      cap.vportOps = { maxVports: intAttr(fc, 'max_npiv_vports', 10) || 0, vports: intAttr(fc, 'npiv_vports_inuse', 10) || 0 };
  }
  return cap;
}

function scanScsi(root: string): Found[] {
  const bus = path.join(root, 'sys/bus/scsi/devices');
  return entries(bus).flatMap((sysname) => {
    const real = realDir(path.join(bus, sysname));
    if (!real) return [];
    const devtype = uevent(real).get('DEVTYPE');
    const name = deviceName('scsi', sysname);
    if (devtype === 'scsi_host') return [found(root, real, name, [scsiHostCap(root, sysname)])];
    if (devtype === 'scsi_target') return [found(root, real, name, [{ type: 'scsi_target', target: sysname }])];
    if (devtype === 'scsi_device') {
      const [host, b, target, lun] = sysname.split(':').map((x) => parseInt(x, 10));
      const t = SCSI_TYPES[intAttr(real, 'type', 10)];
      return [found(root, real, name, [{ type: 'scsi', host, bus: b, target, lun, ...(t ? { scsiType: t } : {}) }])];
    }
    return [];
  });
}

function scanClassDevnodes(root: string, cls: string): Found[] {
  const dir = path.join(root, 'sys/class', cls);
  return entries(dir).flatMap((sysname) => {
    const real = realDir(path.join(dir, sysname));
    if (!real) return [];
    const ev = uevent(real);
    const devnode = `/dev/${ev.get('DEVNAME') ?? sysname}`;
    if (cls === 'scsi_generic')
      return [found(root, real, deviceName(cls, sysname), [{ type: 'scsi_generic', value: devnode }], { devnode })];
    if (ev.get('DEVTYPE') !== 'drm_minor') return [];
    const kind = sysname.startsWith('renderD') ? 'render' : sysname.startsWith('controlD') ? 'control' : 'primary';
    return [found(root, real, deviceName(cls, sysname), [{ type: 'drm', value: kind }], { devnode })];
  });
}

/** udevGetDMIData: the `computer` device, from the DMI table when the host exposes one. */
function computer(root: string): NodeDeviceDef {
  const dmi = path.join(root, 'sys/devices/virtual/dmi/id');
  const get = (a: string) => readAttr(dmi, a) || undefined;
  const have = fs.existsSync(dmi);
  const uuid = (have && get('product_uuid')?.toLowerCase()) || '00000000-0000-0000-0000-000000000000';
  const product = have ? get('product_name') : undefined;
  const cap: NodeDevCap = {
    type: 'system',
    ...(product ? { product } : {}),
    hardware: have ? { vendor: get('sys_vendor'), version: get('product_version'), serial: get('product_serial'), uuid } : { uuid },
    firmware: have ? { vendor: get('bios_vendor'), version: get('bios_version'), releaseDate: get('bios_date') } : {},
  };
  return { name: 'computer', devlinks: [], caps: [cap] };
}

/** udevSetParent: the nearest listed ancestor in sysfs, else `computer`. */
function assignParents(root: string, devs: Found[]): void {
  const byDir = new Map(devs.map((d) => [d.real, d.def.name]));
  const top = path.join(root, 'sys');
  for (const d of devs) {
    let dir = path.dirname(d.real);
    while (dir.startsWith(top) && dir !== top && !byDir.has(dir)) dir = path.dirname(dir);
    d.def.parent = byDir.get(dir) ?? 'computer';
  }
}

/** Every device of the host under `root` (`/` for the real one). */
export async function scanHost(root = '/'): Promise<NodeDeviceDef[]> {
  const devs = [
    ...scanPci(root),
    ...(await scanNet(root)),
    ...scanBlock(root),
    ...scanUsb(root),
    ...scanScsi(root),
    ...scanClassDevnodes(root, 'scsi_generic'),
    ...scanClassDevnodes(root, 'drm'),
  ];
  assignParents(root, devs);
  return [computer(root), ...devs.map((d) => d.def)];
}
