/**
 * The guest-NIC calls of the QEMU driver that read the host side: virDomainInterfaceAddresses
 * (lease and ARP sources) and virDomainInterfaceStats; and the end of a NIC unplug (netdev and
 * tap removed once QEMU reports the device gone).
 */
import {
  DomainInterfaceAddressesSource as Src,
  ErrorDomain,
  ErrorNumber,
  VirError,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDomainObj } from '../domains/obj';
import { networksOf } from '../network/extension';
import type { QemuDriver } from '../qemu-driver';
import { arpAddresses, leaseAddresses } from './addresses';
import { findNic, tapStats } from './if-stats';
import { nicDeleted, nicUnplugsStopped } from './hotplug';

type NicReadMethods = Pick<Required<DriverConnection>, 'domainInterfaceAddresses' | 'domainInterfaceStats'>;

function running(driver: QemuDriver, dom: DomainRef): QemuDomainObj {
  const obj = driver.domains.get(dom);
  if (!obj.active || !obj.liveDef) throw VirError.operationInvalid('domain is not running', ErrorDomain.VIR_FROM_DOMAIN);
  return obj;
}

export const nicReadMethods: QemuConnectionExtension = (driver): NicReadMethods => ({
  async domainInterfaceAddresses(dom, source) {
    const def = running(driver, dom).liveDef!;
    switch (source) {
      case Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE: {
        const networks = await networksOf(driver);
        return leaseAddresses(def, async (name, mac) => {
          const net = networks.store.findByName(name);
          return networks.networkGetDHCPLeases({ name, uuid: net.def.uuid }, mac);
        });
      }
      case Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP:
        return arpAddresses(def);
      case Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT:
        // The guest agent source belongs to the agent calls (issue 14), not yet in this driver.
        throw VirError.create(
          ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
          ErrorDomain.VIR_FROM_QEMU,
          'the guest agent source is not supported by this driver yet',
        );
      default:
        throw VirError.create(
          ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
          ErrorDomain.VIR_FROM_QEMU,
          `Unknown IP address data source ${source}`,
        );
    }
  },
  async domainInterfaceStats(dom, device) {
    return tapStats(findNic(running(driver, dom).liveDef!, device));
  },
});

export const nicHotplugHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, e) => {
      const alias = e.data.device;
      if (e.event === 'DEVICE_DELETED' && typeof alias === 'string') void nicDeleted(obj, alias).catch(() => undefined);
    },
    stopped: (obj) => nicUnplugsStopped(obj),
  });
};
