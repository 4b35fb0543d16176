/** The virtual network definition (libvirt's virNetworkDef) and its parts. */
import type { XmlElement } from '../tree';
import type { IpAddr } from './socket-addr';

export const FORWARD_MODES = ['none', 'nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

export type TriState = 'yes' | 'no' | undefined;

/** `<lease expiry unit>`: expiry 0 means infinite. */
export interface LeaseTime {
  expiry: bigint;
  unit: 'seconds' | 'minutes' | 'hours';
}

export interface DhcpRange {
  start: IpAddr;
  end: IpAddr;
  lease?: LeaseTime;
}

export interface DhcpHost {
  mac?: string;
  id?: string;
  name?: string;
  ip?: IpAddr;
  lease?: LeaseTime;
}

export interface NetworkIp {
  family?: string;
  address: IpAddr;
  netmask?: IpAddr;
  prefix?: number;
  localPtr?: TriState;
  ranges: DhcpRange[];
  hosts: DhcpHost[];
  tftproot?: string;
  bootfile?: string;
  bootserver?: IpAddr;
}

export interface DnsForwarder {
  domain?: string;
  addr?: IpAddr;
}
export interface DnsTxt {
  name: string;
  value?: string;
}
export interface DnsHost {
  ip?: IpAddr;
  names: string[];
}
export interface DnsSrv {
  service?: string;
  protocol?: string;
  domain?: string;
  target?: string;
  port?: number;
  priority?: number;
  weight?: number;
}
export interface NetworkDns {
  enable?: TriState;
  forwardPlainNames?: TriState;
  forwarders: DnsForwarder[];
  txts: DnsTxt[];
  hosts: DnsHost[];
  srvs: DnsSrv[];
}

export interface Vlan {
  tags: number[];
  trunk: boolean;
  nativeMode?: 'tagged' | 'untagged';
  nativeTag?: number;
}

/** `<virtualport>`: the type and the parameters as given (validated per type). */
export interface VirtualPort {
  type?: '802.1Qbg' | '802.1Qbh' | 'openvswitch' | 'midonet';
  managerid?: number;
  typeid?: number;
  typeidversion?: number;
  instanceid?: string;
  interfaceid?: string;
  profileid?: string;
}

export interface BandwidthRate {
  average?: bigint;
  peak?: bigint;
  floor?: bigint;
  burst?: bigint;
}
export interface Bandwidth {
  inbound?: BandwidthRate;
  outbound?: BandwidthRate;
}

export interface IpRoute {
  family?: string;
  address: IpAddr;
  netmask?: IpAddr;
  prefix?: number;
  hasPrefix: boolean;
  gateway: IpAddr;
  metric?: number;
}

export interface PortGroup {
  name: string;
  isDefault: boolean;
  trustGuestRxFilters?: TriState;
  virtualPort?: VirtualPort;
  bandwidth?: Bandwidth;
  vlan?: Vlan;
}

/** A forward `<interface dev>` (netdev) or `<address type='pci'>` entry. */
export type ForwardIf =
  | { type: 'netdev'; dev: string; connections: number }
  | { type: 'pci'; domain: number; bus: number; slot: number; function: number; connections: number };

export interface NetworkForward {
  mode: ForwardMode;
  managed: boolean;
  driverName?: 'kvm' | 'vfio';
  ifs: ForwardIf[];
  pfs: string[];
  natAddrStart?: IpAddr;
  natAddrEnd?: IpAddr;
  natPortStart: number;
  natPortEnd: number;
  natIPv6?: TriState;
}

export interface NetworkDef {
  name: string;
  uuid: string;
  uuidSpecified: boolean;
  title?: string;
  description?: string;
  metadata?: XmlElement;
  ipv6nogw: boolean;
  trustGuestRxFilters?: TriState;
  connections: number;
  domain?: string;
  domainLocalOnly?: TriState;
  bridge?: string;
  bridgeZone?: string;
  stp: boolean;
  delay: number;
  macTableManager?: 'kernel' | 'libvirt';
  mac?: string;
  mtu: number;
  forward: NetworkForward;
  ips: NetworkIp[];
  routes: IpRoute[];
  dns: NetworkDns;
  vlan?: Vlan;
  bandwidth?: Bandwidth;
  isolatedPort?: TriState;
  virtualPort?: VirtualPort;
  portGroups: PortGroup[];
  /** `<dnsmasq:options>` values (the network driver's XML namespace). */
  dnsmasqOptions: string[];
}
