/**
 * Node device XML as libvirt writes it (node_device_conf.c virNodeDeviceDefFormat): identity
 * first, then one `<capability>` per capability with its fields in libvirt's order and number
 * formats (hex ids, zero-padded PCI addresses).
 */
import { XmlWriter } from '../writer';
import type { ApCap, CcwCap, MdevType, NodeDevCap, NodeDeviceDef, PciAddr, PciCap, PciLink, StorageCap } from './types';

const hex = (n: number, width = 0) => `0x${n.toString(16).padStart(width, '0')}`;

function address(w: XmlWriter, a: PciAddr): void {
  w.empty('address', [
    ['domain', hex(a.domain, 4)],
    ['bus', hex(a.bus, 2)],
    ['slot', hex(a.slot, 2)],
    ['function', `0x${a.function}`],
  ]);
}

/** `<product id='0x1234'>name</product>`, or the empty element when the name is unknown. */
function idElement(w: XmlWriter, name: string, id: number, text: string | undefined): void {
  if (text) w.leaf(name, text, [['id', hex(id, 4)]]);
  else w.empty(name, [['id', hex(id, 4)]]);
}

function mdevTypes(w: XmlWriter, types: MdevType[]): void {
  w.open('capability', [['type', 'mdev_types']]);
  for (const t of types) {
    w.open('type', [['id', t.id]]);
    w.leaf('name', t.name);
    w.leaf('deviceAPI', t.deviceAPI);
    w.leaf('availableInstances', t.availableInstances);
    w.close('type');
  }
  w.close('capability');
}

function link(w: XmlWriter, validity: string, l: PciLink): void {
  w.empty('link', [
    ['validity', validity],
    ['port', l.port >= 0 ? l.port : undefined],
    ['speed', l.speed || undefined],
    ['width', l.width],
  ]);
}

function pci(w: XmlWriter, c: PciCap): void {
  if (c.klass >= 0) w.leaf('class', hex(c.klass, 6));
  w.leaf('domain', c.domain).leaf('bus', c.bus).leaf('slot', c.slot).leaf('function', c.function);
  idElement(w, 'product', c.productId, c.product);
  idElement(w, 'vendor', c.vendorId, c.vendor);
  if (c.physFunction) {
    w.open('capability', [['type', 'phys_function']]);
    address(w, c.physFunction);
    w.close('capability');
  }
  if (c.virtFunctions) {
    const vf = c.virtFunctions;
    w.element(
      'capability',
      [
        ['type', 'virt_functions'],
        ['maxCount', vf.maxCount || undefined],
      ],
      () => vf.addrs.forEach((a) => address(w, a)),
    );
  }
  if (c.bridge) w.empty('capability', [['type', c.bridge]]);
  if (c.mdevTypes) mdevTypes(w, c.mdevTypes);
  if (c.vpd) w.raw(c.vpd);
  if (c.iommuGroup) {
    const g = c.iommuGroup;
    w.element('iommuGroup', [['number', g.number]], () => g.addrs.forEach((a) => address(w, a)));
  }
  if (c.numaNode >= 0) w.empty('numa', [['node', c.numaNode]]);
  const pcie = c.pcie;
  if (pcie) {
    w.element('pci-express', [], () => {
      if (pcie.cap) link(w, 'cap', pcie.cap);
      if (pcie.sta) link(w, 'sta', pcie.sta);
    });
  }
}

function storage(w: XmlWriter, c: StorageCap): void {
  w.leaf('block', c.block)
    .leaf('bus', c.bus)
    .leaf('drive_type', c.driveType)
    .leaf('model', c.model)
    .leaf('vendor', c.vendor)
    .leaf('serial', c.serial);
  const sizes = () => {
    if (c.logicalBlockSize > 0) w.leaf('logical_block_size', c.logicalBlockSize);
    if (c.numBlocks > 0) w.leaf('num_blocks', c.numBlocks);
  };
  if (c.removable) {
    w.open('capability', [['type', 'removable']]);
    w.leaf('media_available', c.removable.mediaAvailable ? 1 : 0);
    w.leaf('media_size', c.removable.mediaSize);
    w.leaf('media_label', c.removable.mediaLabel);
    sizes();
    w.close('capability');
  } else {
    w.leaf('size', c.size);
    sizes();
  }
  if (c.hotpluggable) w.empty('capability', [['type', 'hotpluggable']]);
}

function ccw(w: XmlWriter, c: CcwCap): void {
  const addr = (a: { cssid: number; ssid: number; devno: number }) =>
    w.leaf('cssid', hex(a.cssid)).leaf('ssid', hex(a.ssid)).leaf('devno', hex(a.devno, 4));
  addr(c);
  if (c.channelDevAddr) {
    w.open('channel_dev_addr');
    addr(c.channelDevAddr);
    w.close('channel_dev_addr');
  }
  if (c.mdevTypes) mdevTypes(w, c.mdevTypes);
}

function ap(w: XmlWriter, c: ApCap): void {
  if (c.type !== 'ap_matrix') w.leaf('ap-adapter', hex(c.adapter, 2));
  if (c.type === 'ap_queue') w.leaf('ap-domain', hex(c.domain, 4));
  if (c.mdevTypes) mdevTypes(w, c.mdevTypes);
}

function capBody(w: XmlWriter, c: NodeDevCap): void {
  switch (c.type) {
    case 'system':
      w.leaf('product', c.product);
      w.open('hardware').leaf('vendor', c.hardware.vendor).leaf('version', c.hardware.version).leaf('serial', c.hardware.serial);
      w.leaf('uuid', c.hardware.uuid).close('hardware');
      w.open('firmware').leaf('vendor', c.firmware.vendor).leaf('version', c.firmware.version).leaf('release_date', c.firmware.releaseDate);
      w.close('firmware');
      return;
    case 'pci':
      return pci(w, c);
    case 'usb_device':
      w.leaf('bus', c.bus).leaf('device', c.device);
      idElement(w, 'product', c.productId, c.product);
      idElement(w, 'vendor', c.vendorId, c.vendor);
      return;
    case 'usb':
      w.leaf('number', c.number)
        .leaf('class', c.klass)
        .leaf('subclass', c.subclass)
        .leaf('protocol', c.protocol)
        .leaf('description', c.description);
      return;
    case 'net':
      w.leaf('interface', c.iface).leaf('address', c.address);
      if (c.link && (c.link.state !== undefined || c.link.speed))
        w.empty('link', [
          ['speed', c.link.speed || undefined],
          ['state', c.link.state],
        ]);
      for (const f of c.features) w.empty('feature', [['name', f]]);
      if (c.subtype) w.empty('capability', [['type', c.subtype]]);
      return;
    case 'scsi_host':
      w.leaf('host', c.host >= 0 ? c.host : undefined);
      if (c.uniqueId !== -1) w.leaf('unique_id', c.uniqueId);
      if (c.fc) {
        w.open('capability', [['type', 'fc_host']])
          .leaf('wwnn', c.fc.wwnn)
          .leaf('wwpn', c.fc.wwpn)
          .leaf('fabric_wwn', c.fc.fabricWwn);
        w.close('capability');
      }
      if (c.vportOps) {
        w.open('capability', [['type', 'vport_ops']])
          .leaf('max_vports', c.vportOps.maxVports)
          .leaf('vports', c.vportOps.vports);
        w.close('capability');
      }
      return;
    case 'scsi_target':
      w.leaf('target', c.target);
      if (c.rport)
        w.open('capability', [['type', 'fc_remote_port']])
          .leaf('rport', c.rport.rport)
          .leaf('wwpn', c.rport.wwpn)
          .close('capability');
      return;
    case 'scsi':
      w.leaf('host', c.host).leaf('bus', c.bus).leaf('target', c.target).leaf('lun', c.lun).leaf('type', c.scsiType);
      return;
    case 'storage':
      return storage(w, c);
    case 'scsi_generic':
      w.leaf('char', c.value);
      return;
    case 'drm':
      w.leaf('type', c.value);
      return;
    case 'vdpa':
      w.leaf('chardev', c.value);
      return;
    case 'mdev':
      w.empty('type', [['id', c.mdevType]]);
      w.leaf('uuid', c.uuid).leaf('parent_addr', c.parentAddr);
      w.empty('iommuGroup', [['number', c.iommuGroup]]);
      for (const a of c.attrs)
        w.empty('attr', [
          ['name', a.name],
          ['value', a.value],
        ]);
      return;
    case 'ccw':
    case 'css':
      return ccw(w, c);
    case 'ap_card':
    case 'ap_queue':
    case 'ap_matrix':
      return ap(w, c);
  }
}

/** virNodeDeviceDefFormat. */
export function formatNodeDeviceXml(def: NodeDeviceDef): string {
  const w = new XmlWriter();
  w.open('device');
  w.leaf('name', def.name).leaf('path', def.sysfsPath);
  if (def.devnode !== undefined) w.leaf('devnode', def.devnode, [['type', 'dev']]);
  for (const l of def.devlinks) w.leaf('devnode', l, [['type', 'link']]);
  w.leaf('parent', def.parent);
  if (def.driver !== undefined) w.open('driver').leaf('name', def.driver).close('driver');
  for (const c of def.caps) {
    w.open('capability', [['type', c.type]]);
    capBody(w, c);
    w.close('capability');
  }
  w.close('device');
  return w.toString();
}

/** The names virNodeDeviceListCaps reports: each capability, plus fc_host/vports/mdev_types nested in it. */
export function nodeDeviceCapNames(def: NodeDeviceDef): string[] {
  const out: string[] = [];
  for (const c of def.caps) {
    out.push(c.type);
    if (c.type === 'scsi_host' && c.fc) out.push('fc_host');
    if (c.type === 'scsi_host' && c.vportOps) out.push('vports');
    if ('mdevTypes' in c && c.mdevTypes) out.push('mdev_types');
  }
  return out;
}
