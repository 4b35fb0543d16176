/**
 * Network port XML (libvirt's src/conf/virnetworkportdef.c): the `<networkport>` a network keeps
 * for each guest connection, with its owner, MAC, bandwidth, VLAN, options and the plug that
 * connects it (a bridge, a macvtap link device or a PCI function), parsed with libvirt's checks
 * and written as libvirt writes it.
 */
import { ErrorNumber, parseUuid } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { propEnum, propYesNo } from '../props';
import { XmlWriter } from '../writer';
import { netError, netXmlError } from './errors';
import { formatBandwidth, formatVirtualPort, formatVlan, parseBandwidth, parseVirtualPort, parseVlan } from './netdev';
import { parseMac } from './socket-addr';
import type { Bandwidth, Vlan, VirtualPort } from './types';

/** virNetworkPortPlugType, in libvirt's order. */
const PLUG_TYPES = ['none', 'network', 'bridge', 'direct', 'hostdev-pci'] as const;
/** virNetDevMacVLanMode: the first is what a plug without `mode` gets. */
const MACVLAN_MODES = ['vepa', 'private', 'bridge', 'passthrough'] as const;
type MacvlanMode = (typeof MACVLAN_MODES)[number];
/** virNetworkForwardDriverName; `default` (0) is refused. */
const PCI_DRIVERS = ['default', 'kvm', 'vfio', 'xen'];

export interface PciAddr {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

export type NetworkPortPlug =
  | { type: 'none' }
  | { type: 'network' | 'bridge'; bridge: string; macTableManager?: 'kernel' | 'libvirt' }
  | { type: 'direct'; dev: string; mode: MacvlanMode }
  | { type: 'hostdev-pci'; managed?: 'yes' | 'no'; driver?: string; address: PciAddr };

/** virNetworkPortDef. */
export interface NetworkPortDef {
  uuid: string;
  ownerName: string;
  ownerUuid: string;
  group?: string;
  mac: string;
  virtualPort?: VirtualPort;
  bandwidth?: Bandwidth;
  /** The HTB class the network gave the port for its inbound floor. */
  classId?: number;
  vlan?: Vlan;
  isolatedPort?: 'yes' | 'no';
  trustGuestRxFilters?: 'yes' | 'no';
  plug: NetworkPortPlug;
}

const internal = (detail: string) => netError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, detail);

function requiredUuid(text: string | undefined, missing: string): string {
  if (!text) throw internal(missing);
  const u = parseUuid(text);
  if (!u) throw internal(`Unable to parse UUID '${text}'`);
  return u;
}

/** virPCIDeviceAddressParseXML: each part a number in any C base. */
function parsePciAddr(el: XmlElement): PciAddr {
  const part = (name: keyof PciAddr): number => {
    const text = el.attr(name);
    const v = text === undefined ? 0 : Number(/^0[0-7]+$/.test(text) ? parseInt(text, 8) : text);
    if (!Number.isInteger(v) || v < 0) throw netXmlError(`Cannot parse <address> '${name}' attribute`);
    return v;
  };
  return { domain: part('domain'), bus: part('bus'), slot: part('slot'), function: part('function') };
}

function parsePlug(root: XmlElement): NetworkPortPlug {
  const el = root.element('plug');
  const type = (el && propEnum(el, 'type', PLUG_TYPES)) ?? 'none';
  switch (type) {
    case 'none':
      return { type };
    case 'network':
    case 'bridge': {
      const bridge = el!.attr('bridge');
      if (!bridge) throw netXmlError('Missing network port bridge name');
      const mgr = el!.attr('macTableManager');
      if (mgr !== undefined && mgr !== 'kernel' && mgr !== 'libvirt')
        throw netXmlError(`Invalid macTableManager setting '${mgr}' in network port`);
      return { type, bridge, macTableManager: mgr };
    }
    case 'direct': {
      const dev = el!.attr('dev');
      if (!dev) throw netXmlError('Missing network port link device name');
      const mode = el!.attr('mode') ?? 'vepa';
      if (!(MACVLAN_MODES as readonly string[]).includes(mode)) throw netXmlError(`Invalid mode setting '${mode}' in network port`);
      return { type, dev, mode: mode as MacvlanMode };
    }
    case 'hostdev-pci': {
      const managed = propYesNo(el!, 'managed');
      const driver = el!.element('driver')?.attr('name');
      if (driver !== undefined && PCI_DRIVERS.indexOf(driver) <= 0) throw netXmlError('Missing network port driver name');
      const address = el!.element('address');
      if (!address) throw netXmlError('Missing network port PCI address');
      return { type, managed, driver, address: parsePciAddr(address) };
    }
  }
}

/** virNetworkPortDefParseXML. */
export function parseNetworkPortXml(text: string): NetworkPortDef {
  const root = parseXml(text);
  if (root.name !== 'networkport') throw netXmlError(`unexpected root element <${root.name}>, expecting <networkport>`);
  const uuid = requiredUuid(root.element('uuid')?.text() || undefined, 'network port has no uuid');
  const owner = root.element('owner');
  const ownerName = owner?.element('name')?.text();
  if (!ownerName) throw internal('network port has no owner name');
  const ownerUuid = requiredUuid(owner?.element('uuid')?.text() || undefined, 'network port has no owner UUID');
  const def: NetworkPortDef = { uuid, ownerName, ownerUuid, mac: '', plug: { type: 'none' } };
  def.group = root.element('group')?.text() || undefined;
  const vp = root.element('virtualport');
  if (vp) def.virtualPort = parseVirtualPort(vp, false);
  const macText = root.element('mac')?.attr('address');
  if (!macText) throw internal('network port has no mac');
  const mac = parseMac(macText);
  if (!mac) throw internal(`Unable to parse MAC '${macText}'`);
  def.mac = mac;
  // The port may or may not allow a floor: libvirt accepts it here and checks at use.
  const bw = root.element('bandwidth');
  if (bw) {
    def.bandwidth = parseBandwidth(bw, true);
    const cls = bw.attr('classID');
    if (cls !== undefined) def.classId = Number(cls);
  }
  const vlan = root.element('vlan');
  if (vlan) def.vlan = parseVlan(vlan);
  const port = root.element('port');
  if (port) def.isolatedPort = propYesNo(port, 'isolated');
  const rx = root.element('rxfilters');
  if (rx) def.trustGuestRxFilters = propYesNo(rx, 'trustGuest');
  def.plug = parsePlug(root);
  return def;
}

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

function formatPlug(w: XmlWriter, plug: NetworkPortPlug): void {
  switch (plug.type) {
    case 'none':
      return;
    case 'network':
    case 'bridge':
      w.empty('plug', [
        ['type', plug.type],
        ['bridge', plug.bridge],
        ['macTableManager', plug.macTableManager],
      ]);
      return;
    case 'direct':
      w.empty('plug', [
        ['type', plug.type],
        ['dev', plug.dev],
        ['mode', plug.mode],
      ]);
      return;
    case 'hostdev-pci':
      w.open('plug', [
        ['type', plug.type],
        ['managed', plug.managed],
      ]);
      if (plug.driver) w.empty('driver', [['name', plug.driver]]);
      w.empty('address', [
        ['domain', hex(plug.address.domain, 4)],
        ['bus', hex(plug.address.bus, 2)],
        ['slot', hex(plug.address.slot, 2)],
        ['function', `0x${plug.address.function.toString(16)}`],
      ]);
      w.close('plug');
  }
}

/** virNetworkPortDefFormat. */
export function formatNetworkPortXml(def: NetworkPortDef): string {
  const w = new XmlWriter();
  w.open('networkport');
  w.leaf('uuid', def.uuid);
  w.open('owner');
  w.leaf('name', def.ownerName);
  w.leaf('uuid', def.ownerUuid);
  w.close('owner');
  w.leaf('group', def.group);
  w.empty('mac', [['address', def.mac]]);
  formatVirtualPort(w, def.virtualPort);
  formatBandwidth(w, def.bandwidth, def.classId);
  formatVlan(w, def.vlan);
  if (def.isolatedPort) w.empty('port', [['isolated', def.isolatedPort]]);
  if (def.trustGuestRxFilters) w.empty('rxfilters', [['trustGuest', def.trustGuestRxFilters]]);
  formatPlug(w, def.plug);
  w.close('networkport');
  return w.toString();
}
