/**
 * Node device XML parsing with libvirt's checks (node_device_conf.c virNodeDeviceDefParse): the
 * device's identity, then each capability with the fields it requires and their number bases.
 */
import { ErrorDomain, parseUuid, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { escapeXml } from '../writer';
import type { ApCap, CcwCap, MdevType, NodeDevCap, NodeDeviceDef, PciAddr, PciCap, PciLink, StorageCap } from './types';

/** Whether the XML describes a device the host has (nodedevxml2xml) or one a client asks to create. */
export type NodeDevParseMode = 'existing' | 'create';

const internal = (msg: string) => VirError.internal(msg, ErrorDomain.VIR_FROM_NODEDEV);
const xmlError = (msg: string) => VirError.xml(msg, ErrorDomain.VIR_FROM_NODEDEV);

const PCIE_SPEEDS = ['', '2.5', '5', '8', '16', '32', '64'];
const DRM_TYPES = ['primary', 'control', 'render'];
const NET_FEATURES = [
  'rx',
  'tx',
  'sg',
  'tso',
  'gso',
  'gro',
  'lro',
  'rxvlan',
  'txvlan',
  'ntuple',
  'rxhash',
  'rdma',
  'txudptnl',
  'switchdev',
];
export const CAP_TYPES = [
  'system',
  'pci',
  'usb_device',
  'usb',
  'net',
  'scsi_host',
  'scsi_target',
  'scsi',
  'storage',
  'fc_host',
  'vports',
  'scsi_generic',
  'drm',
  'mdev_types',
  'mdev',
  'ccw',
  'css',
  'vdpa',
  'ap_card',
  'ap_queue',
  'ap_matrix',
  'vpd',
];

/** strtol's reading of a whole string in `base` (0: 0x/0 prefixes choose), or NaN. */
export function parseNumber(text: string | undefined, base: 0 | 10 | 16): number {
  if (text === undefined) return NaN;
  const t = text.trim();
  const m = /^([+-]?)(0[xX])?([0-9a-fA-F]+)$/.exec(t);
  if (!m) return NaN;
  let b: number = base;
  if (base === 0) b = m[2] ? 16 : m[3].length > 1 && m[3].startsWith('0') ? 8 : 10;
  if (m[2] && b !== 16) return NaN;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(m[3])) return NaN;
  const v = parseInt(m[3], b);
  return m[1] === '-' ? -v : v;
}

/** A required number child: "no X supplied for 'dev'" when absent, "invalid X supplied" when malformed. */
function reqNum(el: XmlElement, child: string, base: 0 | 10 | 16, what: string, dev: string): number {
  const t = el.childText(child);
  if (t === undefined) throw internal(`no ${what} supplied for '${dev}'`);
  const v = parseNumber(t, base);
  if (!Number.isFinite(v) || v < 0) throw internal(`invalid ${what} supplied for '${dev}'`);
  return v;
}

function optNum(el: XmlElement, child: string, base: 0 | 10 | 16, what: string, dev: string, dflt: number): number {
  return el.element(child) === undefined ? dflt : reqNum(el, child, base, what, dev);
}

/** A required hexadecimal id attribute (`<product id='0x1234'>`). */
function hexId(el: XmlElement | undefined, what: string, dev: string): number {
  const t = el?.attr('id');
  if (t === undefined) throw internal(`no ${what} supplied for '${dev}'`);
  const v = parseNumber(t, 16);
  if (!Number.isFinite(v) || v < 0) throw internal(`invalid ${what} supplied for '${dev}'`);
  return v;
}

function subcaps(el: XmlElement): XmlElement[] {
  return el.elements('capability');
}

function pciAddr(el: XmlElement): PciAddr {
  const n = (a: string) => {
    const v = parseNumber(el.attr(a), 0);
    if (!Number.isFinite(v)) throw xmlError(`Cannot parse <address> '${a}' attribute`);
    return v;
  };
  return { domain: n('domain'), bus: n('bus'), slot: n('slot'), function: n('function') };
}

function mdevTypes(el: XmlElement): MdevType[] {
  return el.elements('type').map((t) => {
    const id = t.attr('id');
    if (!id) throw xmlError('missing type id attribute for mediated device type');
    const deviceAPI = t.childText('deviceAPI');
    if (deviceAPI === undefined) throw xmlError(`missing device API for mediated device type '${id}'`);
    const avail = parseNumber(t.childText('availableInstances'), 10);
    if (!Number.isFinite(avail)) throw xmlError(`missing number of available instances for mediated device type '${id}'`);
    const name = t.childText('name');
    return { id, ...(name !== undefined ? { name } : {}), deviceAPI, availableInstances: avail };
  });
}

function pciLink(el: XmlElement | undefined): PciLink | undefined {
  if (!el) return undefined;
  const portText = el.attr('port');
  const port = portText === undefined ? -1 : parseNumber(portText, 10);
  if (!Number.isFinite(port)) throw xmlError(`malformed 'port' attribute: ${portText}`);
  const speed = el.attr('speed') ?? '';
  if (!PCIE_SPEEDS.includes(speed)) throw xmlError(`malformed 'speed' attribute: ${speed}`);
  const width = parseNumber(el.attr('width'), 10);
  if (!Number.isFinite(width)) throw xmlError("mandatory attribute 'width' is missing or malformed");
  return { port, speed, width };
}

function parsePci(el: XmlElement, dev: string): PciCap {
  const klassText = el.childText('class');
  let klass = -1;
  if (klassText !== undefined) {
    klass = parseNumber(klassText, 16);
    if (!Number.isFinite(klass) || klass < 0 || klass > 0xffffff) throw internal(`invalid PCI class supplied for '${dev}'`);
  }
  const cap: PciCap = {
    type: 'pci',
    klass,
    domain: reqNum(el, 'domain', 10, 'PCI domain ID', dev),
    bus: reqNum(el, 'bus', 10, 'PCI bus ID', dev),
    slot: reqNum(el, 'slot', 10, 'PCI slot ID', dev),
    function: reqNum(el, 'function', 10, 'PCI function ID', dev),
    productId: hexId(el.element('product'), 'PCI product ID', dev),
    vendorId: hexId(el.element('vendor'), 'PCI vendor ID', dev),
    numaNode: -1,
  };
  const product = el.childText('product');
  if (product) cap.product = product;
  const vendor = el.childText('vendor');
  if (vendor) cap.vendor = vendor;
  for (const sub of subcaps(el)) parsePciSubcap(sub, cap, dev);
  const group = el.element('iommuGroup');
  if (group) {
    const number = parseNumber(group.attr('number'), 10);
    if (!Number.isFinite(number)) throw internal(`invalid iommuGroup number attribute for '${dev}'`);
    cap.iommuGroup = { number, addrs: group.elements('address').map(pciAddr) };
  }
  const numa = el.element('numa');
  if (numa) {
    const node = parseNumber(numa.attr('node'), 10);
    if (!Number.isFinite(node)) throw internal(`invalid NUMA node ID supplied for '${dev}'`);
    cap.numaNode = node;
  }
  const pcie = el.element('pci-express');
  if (pcie) {
    const links = pcie.elements('link');
    cap.pcie = {
      cap: pciLink(links.find((l) => l.attr('validity') === 'cap')),
      sta: pciLink(links.find((l) => l.attr('validity') === 'sta')),
    };
  }
  return cap;
}

function parsePciSubcap(sub: XmlElement, cap: PciCap, dev: string): void {
  const type = sub.attr('type');
  switch (type) {
    case 'phys_function': {
      const a = sub.element('address');
      if (a) cap.physFunction = pciAddr(a);
      return;
    }
    case 'virt_functions': {
      const mc = sub.attr('maxCount');
      const maxCount = mc === undefined ? 0 : parseNumber(mc, 10);
      if (!Number.isFinite(maxCount)) throw xmlError(`Malformed 'maxCount' parameter for '${dev}'`);
      cap.virtFunctions = { maxCount, addrs: sub.elements('address').map(pciAddr) };
      return;
    }
    case 'pci-bridge':
    case 'cardbus-bridge':
      cap.bridge = type;
      return;
    case 'mdev_types':
      cap.mdevTypes = mdevTypes(sub);
      return;
    case 'vpd':
      cap.vpd = serialize(sub);
      return;
    default:
      throw xmlError(`unknown capability type '${type ?? ''}' for '${dev}'`);
  }
}

/** A subtree written back as libvirt's formatter would indent it (used for VPD, kept verbatim). */
function serialize(el: XmlElement, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = [...el.attrs].map(([k, v]) => ` ${k}='${escapeXml(v)}'`).join('');
  const kids = el.elements();
  if (kids.length === 0) {
    const text = el.text();
    return text.trim() === '' ? `${pad}<${el.name}${attrs}/>\n` : `${pad}<${el.name}${attrs}>${escapeXml(text)}</${el.name}>\n`;
  }
  return `${pad}<${el.name}${attrs}>\n${kids.map((k) => serialize(k, depth + 1)).join('')}${pad}</${el.name}>\n`;
}

function parseStorage(el: XmlElement, dev: string): StorageCap {
  const block = el.childText('block');
  if (block === undefined) throw internal(`no block device path supplied for '${dev}'`);
  const cap: StorageCap = { type: 'storage', block, size: 0, logicalBlockSize: 0, numBlocks: 0, hotpluggable: false };
  const opt = (k: 'bus' | 'driveType' | 'model' | 'vendor' | 'serial', child: string) => {
    const v = el.childText(child);
    if (v !== undefined) cap[k] = v;
  };
  opt('bus', 'bus');
  opt('driveType', 'drive_type');
  opt('model', 'model');
  opt('vendor', 'vendor');
  opt('serial', 'serial');
  let sizes: XmlElement = el;
  for (const sub of subcaps(el)) {
    const type = sub.attr('type');
    if (type === 'hotpluggable') cap.hotpluggable = true;
    else if (type === 'removable') {
      sizes = sub;
      const label = sub.childText('media_label');
      cap.removable = {
        mediaAvailable: sub.childText('media_available')?.trim() === '1',
        mediaSize: optNum(sub, 'media_size', 10, 'removable media size', dev, 0),
        ...(label !== undefined ? { mediaLabel: label } : {}),
      };
    } else throw xmlError(`unknown storage capability type '${type ?? ''}' for '${dev}'`);
  }
  cap.size = optNum(el, 'size', 10, 'storage size', dev, 0);
  cap.logicalBlockSize = optNum(sizes, 'logical_block_size', 10, 'logical block size', dev, 0);
  cap.numBlocks = optNum(sizes, 'num_blocks', 10, 'number of blocks', dev, 0);
  return cap;
}

function parseCcw(el: XmlElement, type: 'ccw' | 'css', dev: string): CcwCap {
  // virNodeDevCCWDeviceAddressParseXML: strtoul base 0, with its own wording
  const field = (e: XmlElement, name: string) => {
    const t = e.childText(name);
    if (t === undefined) throw internal(`missing ${name} value for '${dev}'`);
    const v = parseNumber(t, 0);
    if (!Number.isFinite(v) || v < 0) throw internal(`invalid ${name} value '${t}' for '${dev}'`);
    return v;
  };
  const addr = (e: XmlElement) => ({ cssid: field(e, 'cssid'), ssid: field(e, 'ssid'), devno: field(e, 'devno') });
  const cap: CcwCap = { type, ...addr(el) };
  const chan = el.element('channel_dev_addr');
  if (type === 'css' && chan) cap.channelDevAddr = addr(chan);
  for (const sub of subcaps(el)) {
    if (sub.attr('type') !== 'mdev_types') throw xmlError(`unknown capability type '${sub.attr('type') ?? ''}' for '${dev}'`);
    cap.mdevTypes = mdevTypes(sub);
  }
  return cap;
}

function parseAp(el: XmlElement, type: ApCap['type'], dev: string): ApCap {
  const cap: ApCap = { type, adapter: -1, domain: -1 };
  if (type !== 'ap_matrix') cap.adapter = reqNum(el, 'ap-adapter', 16, 'ap-adapter value', dev);
  if (type === 'ap_queue') cap.domain = reqNum(el, 'ap-domain', 16, 'ap-domain value', dev);
  for (const sub of subcaps(el)) {
    if (sub.attr('type') !== 'mdev_types') throw xmlError(`unknown capability type '${sub.attr('type') ?? ''}' for '${dev}'`);
    cap.mdevTypes = mdevTypes(sub);
  }
  return cap;
}

function parseNet(el: XmlElement, dev: string): NodeDevCap {
  const iface = el.childText('interface');
  if (iface === undefined) throw internal(`no network interface supplied for '${dev}'`);
  const features = el.elements('feature').map((f) => {
    const name = f.attr('name');
    if (name === undefined) throw internal('missing network device feature name');
    if (!NET_FEATURES.includes(name)) throw internal(`unknown network device feature '${name}'`);
    return name;
  });
  const address = el.childText('address');
  const link = el.element('link');
  const sub = subcaps(el)[0]?.attr('type');
  if (sub !== undefined && sub !== '80203' && sub !== '80211') throw internal(`invalid network type supplied for '${dev}'`);
  return {
    type: 'net',
    iface,
    ...(address !== undefined ? { address: address.trim().toLowerCase() } : {}),
    ...(link
      ? { link: { state: link.attr('state'), speed: link.attr('speed') === undefined ? undefined : parseNumber(link.attr('speed'), 10) } }
      : {}),
    features,
    ...(sub !== undefined ? { subtype: sub } : {}),
  };
}

function parseScsiHost(el: XmlElement, dev: string, mode: NodeDevParseMode): NodeDevCap {
  const host = mode === 'existing' ? reqNum(el, 'host', 10, 'SCSI host ID', dev) : optNum(el, 'host', 10, 'SCSI host ID', dev, -1);
  const cap: NodeDevCap = { type: 'scsi_host', host, uniqueId: optNum(el, 'unique_id', 10, 'unique_id', dev, -1) };
  for (const sub of subcaps(el)) {
    const type = sub.attr('type');
    if (type === 'fc_host') {
      cap.fc = {};
      for (const [k, child] of [
        ['wwnn', 'wwnn'],
        ['wwpn', 'wwpn'],
        ['fabricWwn', 'fabric_wwn'],
      ] as const) {
        const v = sub.childText(child);
        if (v !== undefined) cap.fc[k] = v.trim();
      }
      // A vHBA to create needs both names; libvirt generates them only for hypervisors it knows.
      if (mode === 'create' && cap.fc.wwnn === undefined) throw internal(`no WWNN supplied for '${dev}', and auto-generation failed`);
      if (mode === 'create' && cap.fc.wwpn === undefined) throw internal(`no WWPN supplied for '${dev}', and auto-generation failed`);
    } else if (type === 'vport_ops') {
      // The counts are the host's (sysfs); the XML only says the capability is there.
      cap.vportOps = { maxVports: 0, vports: 0 };
    } else throw internal(`unknown SCSI host capability type '${type ?? ''}' for '${dev}'`);
  }
  return cap;
}

function parseMdev(el: XmlElement, dev: string): NodeDevCap {
  const mdevType = el.element('type')?.attr('id');
  if (mdevType === undefined) throw internal(`missing type id attribute for '${dev}'`);
  const uuid = el.childText('uuid')?.trim().toLowerCase();
  const group = el.element('iommuGroup');
  const iommuGroup = group ? parseNumber(group.attr('number'), 10) : 0;
  if (!Number.isFinite(iommuGroup)) throw internal(`invalid iommuGroup number attribute for '${dev}'`);
  const attrs = el.elements('attr').map((a) => {
    const name = a.attr('name');
    const value = a.attr('value');
    if (name === undefined || value === undefined) throw internal('mdev attribute missing name or value');
    return { name, value };
  });
  const parentAddr = el.childText('parent_addr');
  return { type: 'mdev', mdevType, ...(uuid ? { uuid } : {}), iommuGroup, attrs, ...(parentAddr ? { parentAddr } : {}) };
}

function parseSystem(el: XmlElement, dev: string): NodeDevCap {
  const hw = el.element('hardware');
  const fw = el.element('firmware');
  const uuid = hw?.childText('uuid')?.trim();
  if (uuid === undefined) throw internal(`no system UUID supplied for '${dev}'`);
  const hex = uuid.replace(/[-\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw internal(`malformed uuid element for '${dev}'`);
  const pick = <K extends string>(e: XmlElement | undefined, pairs: [K, string][]) => {
    const o: Partial<Record<K, string>> = {};
    for (const [k, child] of pairs) {
      const v = e?.childText(child);
      if (v !== undefined) o[k] = v;
    }
    return o;
  };
  const product = el.childText('product');
  return {
    type: 'system',
    ...(product !== undefined ? { product } : {}),
    hardware: {
      ...pick(hw, [
        ['vendor', 'vendor'],
        ['version', 'version'],
        ['serial', 'serial'],
      ]),
      uuid: parseUuid(hex)!,
    },
    firmware: pick(fw, [
      ['vendor', 'vendor'],
      ['version', 'version'],
      ['releaseDate', 'release_date'],
    ]),
  };
}

function parseCap(el: XmlElement, dev: string, mode: NodeDevParseMode): NodeDevCap {
  const type = el.attr('type');
  if (type === undefined) throw internal(`missing capability type`);
  const text = (child: string, what: string) => {
    const v = el.childText(child);
    if (v === undefined) throw internal(`no ${what} supplied for '${dev}'`);
    return v;
  };
  switch (type) {
    case 'system':
      return parseSystem(el, dev);
    case 'pci':
      return parsePci(el, dev);
    case 'usb_device': {
      const product = el.childText('product');
      const vendor = el.childText('vendor');
      return {
        type,
        bus: reqNum(el, 'bus', 10, 'USB bus number', dev),
        device: reqNum(el, 'device', 10, 'USB device number', dev),
        productId: hexId(el.element('product'), 'USB product ID', dev),
        vendorId: hexId(el.element('vendor'), 'USB vendor ID', dev),
        ...(product ? { product } : {}),
        ...(vendor ? { vendor } : {}),
      };
    }
    case 'usb': {
      const description = el.childText('description');
      return {
        type,
        number: reqNum(el, 'number', 10, 'USB interface number', dev),
        klass: reqNum(el, 'class', 10, 'USB interface class', dev),
        subclass: reqNum(el, 'subclass', 10, 'USB interface subclass', dev),
        protocol: reqNum(el, 'protocol', 10, 'USB interface protocol', dev),
        ...(description !== undefined ? { description } : {}),
      };
    }
    case 'net':
      return parseNet(el, dev);
    case 'scsi_host':
      return parseScsiHost(el, dev, mode);
    case 'scsi_target': {
      const rp = subcaps(el).find((s) => s.attr('type') === 'fc_remote_port');
      return {
        type,
        target: text('target', 'target name'),
        ...(rp ? { rport: { rport: rp.childText('rport') ?? '', wwpn: rp.childText('wwpn') ?? '' } } : {}),
      };
    }
    case 'scsi': {
      const scsiType = el.childText('type');
      return {
        type,
        host: reqNum(el, 'host', 10, 'SCSI host ID', dev),
        bus: reqNum(el, 'bus', 10, 'SCSI bus ID', dev),
        target: reqNum(el, 'target', 10, 'SCSI target ID', dev),
        lun: reqNum(el, 'lun', 10, 'SCSI LUN ID', dev),
        ...(scsiType !== undefined ? { scsiType } : {}),
      };
    }
    case 'storage':
      return parseStorage(el, dev);
    case 'scsi_generic':
      return { type, value: text('char', 'SCSI generic device') };
    case 'drm': {
      const v = text('type', 'drm type');
      if (!DRM_TYPES.includes(v)) throw internal(`unknown drm type '${v}' for '${dev}'`);
      return { type, value: v };
    }
    case 'vdpa':
      return { type, value: el.childText('chardev') ?? '' };
    case 'mdev':
      return parseMdev(el, dev);
    case 'ccw':
    case 'css':
      return parseCcw(el, type, dev);
    case 'ap_card':
    case 'ap_queue':
    case 'ap_matrix':
      return parseAp(el, type, dev);
    default:
      throw internal(`unknown capability type '${type}'`);
  }
}

/** virNodeDeviceDefParse: a device the host has (`existing`) or one to create (name 'new device'). */
export function parseNodeDeviceXml(text: string, mode: NodeDevParseMode = 'existing'): NodeDeviceDef {
  return parseNodeDeviceElement(parseXml(text), mode);
}

/** virNodeDeviceDefParseNode: a `<device>` element already parsed (a test driver node file holds several). */
export function parseNodeDeviceElement(root: XmlElement, mode: NodeDevParseMode = 'existing'): NodeDeviceDef {
  if (root.name !== 'device') throw xmlError(`unexpected root element <${root.name}>, expecting <device>`);
  let name = 'new device';
  if (mode === 'existing') {
    const n = root.childText('name');
    if (n === undefined) throw internal('no device name');
    name = n;
  }
  const def: NodeDeviceDef = { name, devlinks: [], caps: [] };
  const path = root.childText('path');
  if (path !== undefined) def.sysfsPath = path;
  for (const dn of root.elements('devnode')) {
    const type = dn.attr('type');
    if (type === undefined) throw internal('missing devnode type');
    if (type === 'dev') def.devnode = dn.text();
    else if (type === 'link') def.devlinks.push(dn.text());
    else throw internal(`unknown devnode type '${type}'`);
  }
  const parent = root.element('parent');
  if (parent) {
    const t = parent.text();
    if (t !== '') def.parent = t;
    for (const [k, a] of [
      ['parentWwnn', 'wwnn'],
      ['parentWwpn', 'wwpn'],
      ['parentFabricWwn', 'fabric_wwn'],
    ] as const) {
      const v = parent.attr(a);
      if (v !== undefined) def[k] = v;
    }
  }
  const driver = root.element('driver')?.childText('name');
  if (driver !== undefined) def.driver = driver;
  const caps = root.elements('capability');
  if (caps.length === 0) throw internal(`no device capabilities for '${name}'`);
  def.caps = caps.map((c) => parseCap(c, name, mode));
  return def;
}
