/**
 * virDomainInterfaceStats for tap-backed NICs (qemuDomainInterfaceStats over
 * virNetDevTapInterfaceStats): the counters of the NIC's host device, from netlink (`ip -s`,
 * which answers for this process' namespace whatever /sys shows). A tap on a bridge sees the
 * guest's traffic from the other side, so its receive and transmit counters are swapped, as
 * libvirt swaps them for every type that does not share the host's view (not ethernet, direct).
 */
import { ErrorDomain, VirError, type InterfaceStats } from '@virtkit/core';
import type { DomainDef, XmlElement } from '@virtkit/xml';
import { linkInfo } from './iproute';

/** virDomainNetFind: by MAC address when `device` is one, else by host device name. */
export function findNic(def: DomainDef, device: string): XmlElement {
  const nics = def.devices.filter((d) => d.kind === 'interface').map((d) => d.el);
  const isMac = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(device);
  const el = isMac
    ? nics.find((n) => n.element('mac')?.attr('address')?.toLowerCase() === device.toLowerCase())
    : nics.find((n) => n.element('target')?.attr('dev') === device);
  if (!el) throw VirError.invalidArg(`'${device}' is not a known interface`, ErrorDomain.VIR_FROM_DOMAIN);
  return el;
}

/** The counters of the NIC `el` (its tap or macvtap named by `<target dev>`). */
export async function tapStats(el: XmlElement): Promise<InterfaceStats> {
  const dev = el.element('target')?.attr('dev') ?? '';
  const info = await linkInfo(dev);
  const s = info?.stats64;
  if (!s) throw VirError.internal('/proc/net/dev: Interface not found');
  const swapped = !['ethernet', 'direct'].includes(el.attr('type') ?? '');
  const [rx, tx] = swapped ? [s.tx, s.rx] : [s.rx, s.tx];
  return {
    rx_bytes: rx.bytes,
    rx_packets: rx.packets,
    rx_errs: rx.errors,
    rx_drop: rx.dropped,
    tx_bytes: tx.bytes,
    tx_packets: tx.packets,
    tx_errs: tx.errors,
    tx_drop: tx.dropped,
  };
}
