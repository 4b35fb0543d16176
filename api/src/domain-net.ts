/**
 * The addresses of a domain's interfaces (virDomainInterfaceAddresses), as libvirt's
 * src/libvirt-domain.c defines the call and remote_protocol.x carries it.
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virDomainInterfaceAddressesSource: where the addresses come from. */
export enum DomainInterfaceAddressesSource {
  /** the DHCP leases of the networks the interfaces are on */
  VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0,
  /** the guest agent */
  VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1,
  /** the host's ARP table */
  VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2,
}

/** virDomainIPAddress; the field names are the wire's (remote_domain_ip_addr). */
export const DomainIPAddress: StructDef = {
  name: 'DomainIPAddress',
  c: 'virDomainIPAddress',
  doc: 'One address of a guest interface.',
  fields: [
    { name: 'type', type: 'int', doc: 'an IPAddrType value' },
    { name: 'addr', type: 'string', doc: 'the address' },
    { name: 'prefix', type: 'uint', doc: 'the network prefix length' },
  ],
};

/** virDomainInterface; the field names are the wire's (remote_domain_interface). */
export const DomainInterface: StructDef = {
  name: 'DomainInterface',
  c: 'virDomainInterface',
  doc: 'One guest interface with its addresses.',
  fields: [
    { name: 'name', type: 'string', doc: 'the interface name (host device, or the guest name with the agent source)' },
    { name: 'hwaddr', type: 'string?', doc: 'the MAC address' },
    { name: 'addrs', type: 'DomainIPAddress[]', doc: 'its addresses' },
  ],
};

/** remote_domain_ip_addr and remote_domain_interface as they travel. */
export const domainNetWireStructs: WireStructDef[] = [
  {
    name: 'DomainIPAddress',
    fields: [
      ['type', 'int'],
      ['addr', 'string'],
      ['prefix', 'uint'],
    ],
  },
  {
    name: 'DomainInterface',
    fields: [
      ['name', 'string'],
      ['hwaddr', 'string?'],
      ['addrs', 'DomainIPAddress<2048>'],
    ],
  },
];

export const domainInterfaceAddresses: CallDef = {
  c: 'virDomainInterfaceAddresses',
  object: 'Domain',
  name: 'interfaceAddresses',
  doc: "The addresses of the running domain's interfaces, from a DomainInterfaceAddressesSource.",
  params: [{ name: 'source', type: 'uint', doc: 'a DomainInterfaceAddressesSource value' }],
  flags: 'reserved',
  returns: 'DomainInterface[]',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 353,
    procName: 'REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES',
    args: [
      ['dom', 'Dom'],
      ['source', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [['ifaces', 'DomainInterface<2048>']],
  },
  python: 'interfaceAddresses',
};
