/**
 * The read side of libvirt's interface driver on QEMU connections (the udev backend libvirtd
 * 9.0 uses on Linux): list, count, look up, describe and tell active the host's links, from
 * sysfs (interface/host.ts). Defining, starting and changing host interfaces is netcf's job in
 * libvirt and is not offered, as with libvirtd built without netcf.
 */
import { checkDriverFlags, ConnectListAllInterfacesFlags as L, ErrorDomain, InterfaceXMLFlags, type DriverConnection } from '@virtkit/core';
import { formatInterfaceXml } from '@virtkit/xml';
import type { QemuConnectionExtension } from '../connection-extensions';
import { hostInterfaceDef, hostLinks, linkActive, linkByMac, linkRef } from './host';

type HostInterfaceMethods = Pick<
  Required<DriverConnection>,
  | 'connectNumOfInterfaces'
  | 'connectListInterfaces'
  | 'connectNumOfDefinedInterfaces'
  | 'connectListDefinedInterfaces'
  | 'connectListAllInterfaces'
  | 'interfaceLookupByName'
  | 'interfaceLookupByMACString'
  | 'interfaceGetXMLDesc'
  | 'interfaceIsActive'
>;

const FILTERS_ACTIVE = L.VIR_CONNECT_LIST_INTERFACES_ACTIVE | L.VIR_CONNECT_LIST_INTERFACES_INACTIVE;

export const hostInterfaceMethods: QemuConnectionExtension = (): HostInterfaceMethods => ({
  async connectNumOfInterfaces() {
    return hostLinks('active').length;
  },
  async connectListInterfaces(maxnames) {
    return hostLinks('active').slice(0, maxnames);
  },
  async connectNumOfDefinedInterfaces() {
    return hostLinks('inactive').length;
  },
  async connectListDefinedInterfaces(maxnames) {
    return hostLinks('inactive').slice(0, maxnames);
  },
  async connectListAllInterfaces(flags) {
    checkDriverFlags(flags, FILTERS_ACTIVE, 'udevConnectListAllInterfaces', ErrorDomain.VIR_FROM_INTERFACE);
    const want = flags & FILTERS_ACTIVE;
    return hostLinks('all')
      .filter((n) => {
        if (!want) return true;
        const up = linkActive(n);
        return (
          (up && (want & L.VIR_CONNECT_LIST_INTERFACES_ACTIVE) !== 0) || (!up && (want & L.VIR_CONNECT_LIST_INTERFACES_INACTIVE) !== 0)
        );
      })
      .map(linkRef);
  },
  async interfaceLookupByName(name) {
    return linkRef(name);
  },
  async interfaceLookupByMACString(mac) {
    return linkByMac(mac);
  },
  async interfaceGetXMLDesc(iface, flags) {
    checkDriverFlags(flags, InterfaceXMLFlags.VIR_INTERFACE_XML_INACTIVE, 'udevInterfaceGetXMLDesc', ErrorDomain.VIR_FROM_INTERFACE);
    return formatInterfaceXml(hostInterfaceDef(iface.name));
  },
  async interfaceIsActive(iface) {
    linkRef(iface.name);
    return linkActive(iface.name);
  },
});
