/** The guest-NIC monitoring commands that read the host side: domifaddr and domifstat (virsh-domain-monitor.c). */
import { DomainInterfaceAddressesSource as Src, IPAddrType, type Wide } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { flag, req, str } from '../opt';
import { DOMAIN_OPT } from './shared-options';

const SOURCES: Record<string, Src> = {
  lease: Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
  agent: Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
  arp: Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP,
};

/** C's `%-Ns`. */
const pad = (s: string, n: number) => s.padEnd(n);

export const domifCommands: CmdDef[] = [
  {
    name: 'domifaddr',
    group: 'domain-monitor',
    help: "Get network interfaces' addresses for a running domain",
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const ifaceName = str(ctl, opts, 'interface');
      const sourceText = str(ctl, opts, 'source');
      const full = flag(opts, 'full');
      const source = sourceText === null ? Src.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE : SOURCES[sourceText];
      if (source === undefined) ctl.fail(`Unknown data source '${sourceText}'`);
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const ifaces = await ctl.attempt('Failed to query for interfaces addresses', () => dom.interfaceAddresses(source, 0));
      ctl.printExtra(` ${pad('Name', 10)} ${pad('MAC address', 20)} ${pad('Protocol', 8)}     Address\n${'-'.repeat(79)}\n`);
      for (const iface of ifaces) {
        if (ifaceName !== null && ifaceName !== iface.name) continue;
        if (!iface.addrs.length) {
          ctl.print(` ${pad(iface.name, 10)} ${pad(iface.hwaddr ?? 'N/A', 17)}    ${pad('N/A', 12)} N/A\n`);
          continue;
        }
        iface.addrs.forEach((a, j) => {
          const type =
            a.type === IPAddrType.VIR_IP_ADDR_TYPE_IPV4 ? 'ipv4' : a.type === IPAddrType.VIR_IP_ADDR_TYPE_IPV6 ? 'ipv6' : '(null)';
          const addr = `${pad(type, 12)} ${a.addr}/${a.prefix}`;
          const [name, mac] = full || j === 0 ? [iface.name, iface.hwaddr ?? ''] : ['-', '-'];
          ctl.print(` ${pad(name, 10)} ${pad(mac, 17)}    ${addr}\n`);
        });
      }
      return true;
    },
  },
  {
    name: 'domifstat',
    group: 'domain-monitor',
    help: 'get network interface stats for a domain',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const device = req(ctl, opts, 'interface');
      const stats = await ctl.attempt(`Failed to get interface stats ${dom.getName()} ${device}`, () => dom.interfaceStats(device));
      const fields: Array<[string, Wide]> = [
        ['rx_bytes', stats.rx_bytes],
        ['rx_packets', stats.rx_packets],
        ['rx_errs', stats.rx_errs],
        ['rx_drop', stats.rx_drop],
        ['tx_bytes', stats.tx_bytes],
        ['tx_packets', stats.tx_packets],
        ['tx_errs', stats.tx_errs],
        ['tx_drop', stats.tx_drop],
      ];
      // virsh leaves out what the driver could not read (-1).
      for (const [name, v] of fields) if (Number(v) >= 0) ctl.print(`${device} ${name} ${String(v)}\n`);
      return true;
    },
  },
];
