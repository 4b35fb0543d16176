/**
 * virDomainInterfaceAddresses for the QEMU driver (qemuGetDHCPInterfaces and
 * qemuARPGetInterfaces): the addresses of a running domain's NICs from the DHCP leases of the
 * networks they are on, or from the host's neighbour (ARP) table. As libvirt, an interface
 * without any address is left out.
 */
import { IPAddrType, type DomainInterface, type DomainIPAddress } from '@virtkit/core';
import type { DomainDef, XmlElement } from '@virtkit/xml';
import { ip } from './iproute';

/** What the lease source needs of the network driver: a network's leases of one MAC. */
export type LeaseLookup = (network: string, mac: string) => Promise<Array<{ type: number; ipaddr: string; prefix: number }>>;

function nics(def: DomainDef): XmlElement[] {
  return def.devices.filter((d) => d.kind === 'interface').map((d) => d.el);
}

const ifname = (el: XmlElement) => el.element('target')?.attr('dev') ?? '';
const macOf = (el: XmlElement) => el.element('mac')?.attr('address') ?? '';

/** The lease source: `network` interfaces and their networks' leases. */
export async function leaseAddresses(def: DomainDef, leases: LeaseLookup): Promise<DomainInterface[]> {
  const out: DomainInterface[] = [];
  for (const el of nics(def)) {
    if (el.attr('type') !== 'network') continue;
    const mac = macOf(el);
    const found = await leases(el.element('source')?.attr('network') ?? '', mac);
    if (!found.length) continue;
    const addrs: DomainIPAddress[] = found.map((l) => ({ type: l.type, addr: l.ipaddr, prefix: l.prefix }));
    out.push({ name: ifname(el), hwaddr: mac, addrs });
  }
  return out;
}

interface Neighbour {
  dst: string;
  lladdr?: string;
}

/** The ARP source: the IPv4 neighbours whose link address is a NIC's MAC (prefix 0: unknown). */
export async function arpAddresses(def: DomainDef): Promise<DomainInterface[]> {
  const table = JSON.parse((await ip(['-j', '-4', 'neigh', 'show'])) || '[]') as Neighbour[];
  const out: DomainInterface[] = [];
  for (const el of nics(def)) {
    const mac = macOf(el).toLowerCase();
    const addrs = table
      .filter((n) => n.lladdr?.toLowerCase() === mac)
      .map((n) => ({ type: IPAddrType.VIR_IP_ADDR_TYPE_IPV4, addr: n.dst, prefix: 0 }));
    if (addrs.length) out.push({ name: ifname(el), hwaddr: macOf(el), addrs });
  }
  return out;
}
