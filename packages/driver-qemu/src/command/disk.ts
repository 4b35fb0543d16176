import { diskNameToIndex, type DomainDevice, type XmlElement } from '@virtkit/xml';
import { addressProps } from './address';
import { buildChain, cacheMode, type SourceLayer } from './blockdev';
import type { CmdBuilder } from './builder';
import type { DeviceCtx } from './device-ctx';
import { isQ35Machine } from './util';
import { translateVolume } from './volume-source';
import { virtioOptions, virtioPciName } from './virtio';

/** Whether a disk has a source to open (empty CD-ROMs and floppies do not). */
export function diskHasSource(d: DomainDevice): boolean {
  const disk = d.disk!;
  if (disk.type === 'network') return d.el.element('source')?.attr('protocol') !== undefined;
  if (disk.type === 'volume') return d.el.element('source')?.attr('volume') !== undefined;
  if (disk.type === 'nvme') return d.el.element('source') !== undefined;
  return disk.source.path !== undefined;
}

/** The chain layers of a disk, top first (without node indexes). */
export function diskLayers(d: DomainDevice): Array<Omit<SourceLayer, 'index'>> {
  const el = d.el;
  const readonly = el.element('readonly') !== undefined || d.disk!.device === 'cdrom';
  const layers: Array<Omit<SourceLayer, 'index'>> = [];
  let holder: XmlElement | undefined = el;
  let top = true;
  while (holder) {
    const type = holder.attr('type') ?? 'file';
    const format = top ? el.element('driver')?.attr('type') : holder.element('format')?.attr('type');
    const bs = holder.element('backingStore');
    layers.push({
      holder,
      type,
      format,
      source: holder.element('source'),
      chainEnd: bs !== undefined && bs.attr('type') === undefined,
      readonly: top ? readonly : true,
    });
    holder = bs && bs.attr('type') !== undefined ? bs : undefined;
    top = false;
  }
  return layers;
}

/** Assign node-name indexes: disks in reverse order, each chain top first. */
export function assignNodeIndexes(b: CmdBuilder): number {
  let n = 1;
  const disks = b.devices('disk');
  for (let i = disks.length - 1; i >= 0; i--) {
    const d = disks[i];
    if (d.disk!.type === 'vhostuser' || d.disk!.targetBus === 'sd') continue;
    if (!diskHasSource(d)) {
      n++;
      continue;
    }
    for (const l of diskLayers(d)) b.nodeIndex.set(l.holder, n++);
  }
  return n;
}

function driveProps(dc: DeviceCtx, d: DomainDevice): { driver: string; props: Record<string, unknown> } {
  const disk = d.disk!;
  const bus = disk.targetBus ?? 'ide';
  const a = d.address;
  const el = d.el;
  const cd = disk.device === 'cdrom';
  switch (bus) {
    case 'ide':
    case 'sata': {
      const drv = cd ? 'ide-cd' : 'ide-hd';
      if (a?.type !== 'drive') return { driver: drv, props: {} };
      if (bus === 'sata') {
        const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'sata' && c.controller.index === a.controller);
        return { driver: drv, props: { bus: `${ctrl ? dc.alias(ctrl) : 'ide'}.${a.unit}` } };
      }
      const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'ide' && c.controller.index === a.controller);
      return { driver: drv, props: { bus: `${ctrl ? dc.alias(ctrl) : 'ide'}.${a.bus}`, unit: a.unit } };
    }
    case 'scsi': {
      let drv = cd ? 'scsi-cd' : 'scsi-hd';
      if (disk.device === 'lun') drv = 'scsi-block';
      if (a?.type !== 'drive') return { driver: drv, props: {} };
      const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'scsi' && c.controller.index === a.controller);
      const model = ctrl?.controller?.model ?? 'lsilogic';
      const busName = `${ctrl ? dc.alias(ctrl) : `scsi${a.controller}`}.0`;
      const props: Record<string, unknown> = { bus: busName };
      if (model === 'lsilogic') props['scsi-id'] = a.unit;
      else {
        props.channel = a.bus;
        props['scsi-id'] = a.target;
        props.lun = a.unit;
      }
      if (drv !== 'scsi-block') {
        const serial = el.childText('serial');
        props.device_id = serial ?? `drive-${dc.alias(d)}`;
      }
      return { driver: drv, props };
    }
    case 'virtio': {
      const drv = virtioPciName(
        'virtio-blk',
        disk.device === 'disk' && el.attr('model')?.startsWith('virtio') ? el.attr('model') : el.attr('model'),
      );
      const driver = el.element('driver');
      const props: Record<string, unknown> = { ...virtioOptions(driver) };
      const iothread = Number(driver?.attr('iothread') ?? 0);
      if (iothread > 0) props.iothread = `iothread${iothread}`;
      for (const name of ['ioeventfd', 'event_idx']) {
        const v = driver?.attr(name);
        if (v !== undefined) props[name] = v === 'on';
      }
      if (disk.device === 'lun') props.scsi = true;
      if (driver?.attr('queues')) props['num-queues'] = Number(driver.attr('queues'));
      if (driver?.attr('queue_size')) props['queue-size'] = Number(driver.attr('queue_size'));
      Object.assign(props, addressProps(dc, d));
      return { driver: drv, props };
    }
    case 'usb':
      return { driver: 'usb-storage', props: addressProps(dc, d) };
    case 'fdc':
      return { driver: 'floppy', props: a?.type === 'drive' ? { unit: a.unit } : {} };
    default:
      return { driver: bus, props: {} };
  }
}

function wwnValue(w: string): bigint {
  return BigInt(`0x${w.replace(/^0x/, '')}`);
}

export function diskDeviceProps(dc: DeviceCtx, d: DomainDevice, drive: string | undefined): Record<string, unknown> {
  const el = d.el;
  const { driver, props } = driveProps(dc, d);
  const out: Record<string, unknown> = { driver, ...props };
  if (el.element('shareable')) out['share-rw'] = true;
  if (drive) out.drive = drive;
  out.id = dc.alias(d);
  const boot = dc.bootIndex.get(d);
  if (boot !== undefined && driver !== 'floppy') out.bootindex = boot;
  const bio = el.element('blockio');
  if (bio?.attr('logical_block_size')) out.logical_block_size = Number(bio.attr('logical_block_size'));
  if (bio?.attr('physical_block_size')) out.physical_block_size = Number(bio.attr('physical_block_size'));
  if (bio?.attr('discard_granularity')) out.discard_granularity = Number(bio.attr('discard_granularity'));
  const wwn = el.childText('wwn');
  if (wwn) out.wwn = wwnValue(wwn);
  const rot = el.element('target')?.attr('rotation_rate');
  if (rot) out.rotation_rate = Number(rot);
  const vendor = el.childText('vendor');
  if (vendor) out.vendor = vendor;
  const product = el.childText('product');
  if (product) out.product = product;
  if (driver === 'usb-storage') out.removable = el.element('target')?.attr('removable') === 'on';
  const drv = el.element('driver');
  const cache = cacheMode(effectiveCache(d));
  if (cache && driver !== 'scsi-block' && driver !== 'scsi-generic') out['write-cache'] = cache.writeCache ? 'on' : 'off';
  const geo = el.element('geometry');
  if (geo) {
    if (geo.attr('cyls')) out.cyls = Number(geo.attr('cyls'));
    if (geo.attr('heads')) out.heads = Number(geo.attr('heads'));
    if (geo.attr('secs')) out.secs = Number(geo.attr('secs'));
    const trans = geo.attr('trans');
    if (trans && trans !== 'default') out['bios-chs-trans'] = trans;
  }
  const serial = el.childText('serial');
  // qemuBuildDiskDeviceProps escapes blanks of the serial for QEMU's property parser.
  if (serial && driver !== 'scsi-block') out.serial = serial.replace(/ /g, '\\ ');
  const ep = drv?.attr('error_policy');
  const rp = drv?.attr('rerror_policy') ?? (ep && ep !== 'enospace' ? ep : undefined);
  if (ep) out.werror = ep === 'enospace' ? 'enospc' : ep;
  if (rp) out.rerror = rp === 'enospace' ? 'enospc' : rp;
  return out;
}

/**
 * The cache mode a disk runs with: a writable shared disk without one gets none
 * (qemuDomainPrepareDiskCachemode).
 */
export function effectiveCache(d: DomainDevice): string | undefined {
  const cache = d.el.element('driver')?.attr('cache');
  if (cache !== undefined && cache !== 'default') return cache;
  const readonly = d.el.element('readonly') !== undefined || d.disk!.device === 'cdrom';
  return d.el.element('shareable') && !readonly ? 'none' : undefined;
}

/** A volume layer as the storage it names; other layers as they are. */
function translated(b: CmdBuilder, l: Omit<SourceLayer, 'index'>): Omit<SourceLayer, 'index'> {
  if (l.type !== 'volume' || !l.source) return l;
  const t = translateVolume(b.ctx, l.source);
  // The volume's location is replaced; its encryption stays with it.
  const enc = l.source.element('encryption');
  if (enc) t.source.children.push(enc);
  return { ...l, type: t.type, source: t.source, sourceOnlyAuth: true };
}

/** SD cards are still `-drive if=sd` (qemuBuildDriveStr): QEMU has no -blockdev for them. */
function buildSdDrive(b: CmdBuilder, d: DomainDevice): void {
  const el = d.el;
  const drv = el.element('driver');
  const src = el.element('source');
  const path = d.disk!.type === 'dir' ? src?.attr('dir') : (src?.attr('file') ?? src?.attr('dev'));
  const opts: string[] = [];
  if (path !== undefined) {
    opts.push(`file=${d.disk!.type === 'dir' ? 'fat:' : ''}${path.replace(/,/g, ',,')}`);
    const fmt = drv?.attr('type');
    if (fmt && d.disk!.type !== 'dir') opts.push(`format=${fmt}`);
  }
  opts.push(`if=sd,index=${diskNameToIndex(d.disk!.targetDev)}`);
  if (el.element('readonly')) opts.push('readonly=on');
  if (path !== undefined) {
    const cache = effectiveCache(d);
    if (cache) opts.push(`cache=${cache}`);
    for (const [attr, name] of [
      ['copy_on_read', 'copy-on-read'],
      ['discard', 'discard'],
      ['detect_zeroes', 'detect-zeroes'],
      ['io', 'aio'],
    ]) {
      const v = drv?.attr(attr);
      if (v !== undefined) opts.push(`${name}=${v}`);
    }
  }
  b.add('-drive', opts.join(','));
}

export function buildDisks(dc: DeviceCtx): void {
  const b = dc.b;
  fdcBoot(dc);
  for (const d of b.devices('disk')) {
    const disk = d.disk!;
    const el = d.el;
    const drv = el.element('driver');
    let drive: string | undefined;
    if (disk.type === 'vhostuser') {
      buildVhostUserDisk(dc, d);
      continue;
    }
    // A transient disk sharing its backing image is hot-plugged once QEMU runs.
    if (el.element('transient')?.attr('shareBacking') === 'yes') continue;
    if (disk.targetBus === 'sd') {
      buildSdDrive(b, d);
      continue;
    }
    if (diskHasSource(d)) {
      const layers: SourceLayer[] = diskLayers(d).map((l) => ({ ...translated(b, l), index: b.nodeIndex.get(l.holder) ?? 0 }));
      const discard = drv?.attr('discard');
      let dz = drv?.attr('detect_zeroes');
      if (dz === 'unmap' && discard !== 'unmap') dz = 'on';
      drive = buildChain(b, el, layers, {
        cache: cacheMode(effectiveCache(d)),
        discard,
        detectZeroes: dz,
        io: drv?.attr('io'),
        device: disk.device,
      });
      if (drv?.attr('copy_on_read') === 'on') {
        const cor = `libvirt-CoR-${disk.targetDev}`;
        b.json('-blockdev', { driver: 'copy-on-read', 'node-name': cor, file: drive, discard: 'unmap' });
        drive = cor;
      }
    }
    b.json('-device', diskDeviceProps(dc, d, drive));
  }
}

/** Floppy boot order: a property of the floppy controller, not of the drives. */
function fdcBoot(dc: DeviceCtx): void {
  const b = dc.b;
  const floppies = b.devices('disk').filter((d) => d.disk!.targetBus === 'fdc');
  const q35 = isQ35Machine(b.def);
  const props: Record<string, unknown> = { driver: 'isa-fdc' };
  for (const f of floppies) {
    const a = f.address;
    const letter = a?.type === 'drive' && a.unit === 1 ? 'B' : 'A';
    const boot = dc.bootIndex.get(f);
    if (boot === undefined) continue;
    if (q35) props[`bootindex${letter}`] = boot;
    else b.add('-global', `isa-fdc.bootindex${letter}=${boot}`);
  }
  if (q35 && floppies.length) b.json('-device', props);
}

function buildVhostUserDisk(dc: DeviceCtx, d: DomainDevice): void {
  const b = dc.b;
  const src = d.el.element('source');
  const id = `chr-vu-${dc.alias(d)}`;
  b.add(
    '-chardev',
    `socket,id=${id},path=${src?.attr('path')}${src?.element('reconnect')?.attr('enabled') === 'yes' ? `,reconnect=${src.element('reconnect')?.attr('timeout')}` : ''}`,
  );
  const drv = d.el.element('driver');
  const out: Record<string, unknown> = { driver: virtioPciName('vhost-user-blk', d.el.attr('model')), ...virtioOptions(drv) };
  if (drv?.attr('queues')) out['num-queues'] = Number(drv.attr('queues'));
  Object.assign(out, addressProps(dc, d));
  out.chardev = id;
  out.id = dc.alias(d);
  const boot = dc.bootIndex.get(d);
  if (boot !== undefined) out.bootindex = boot;
  b.json('-device', out);
}
