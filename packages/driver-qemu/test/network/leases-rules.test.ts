/**
 * The pure parts of the network driver: dnsmasq's lease file read as virNetworkGetDHCPLeases
 * reports it (expired leases out, prefixes from the network's `<ip>`, `*` as absent, IPv6 with
 * its IAID), and the nftables table a network gets for each forward mode.
 */
import { IPAddrType } from '@virtkit/core';
import { parseNetworkXml } from '@virtkit/xml';
import { networkRuleset, tableName } from '../../src/network/firewall';
import { parseLeases } from '../../src/network/leases';

const NAT = parseNetworkXml(
  `<network><name>n</name><forward mode='nat'/><bridge name='virbr3'/>` +
    `<ip address='192.168.122.1' netmask='255.255.255.0'/><ip family='ipv6' address='fd00:1::1' prefix='64'/></network>`,
);

describe('dnsmasq lease file', () => {
  const text = [
    '1700003600 52:54:00:aa:bb:01 192.168.122.10 guest1 01:52:54:00:aa:bb:01',
    '1600000000 52:54:00:aa:bb:02 192.168.122.11 old *',
    '0 52:54:00:aa:bb:03 192.168.122.12 * *',
    'duid 00:01:00:01:2c:00:00:00:52:54:00:00:00:01',
    '1700003600 1234567 fd00:1::20 guest6 00:04:aa:bb',
    'garbage',
  ].join('\n');

  test('live leases with their prefix, infinite ones kept, expired ones dropped', () => {
    const leases = parseLeases(text, NAT, 1_700_000_000);
    expect(leases).toEqual([
      {
        iface: 'virbr3',
        expirytime: 1700003600,
        type: IPAddrType.VIR_IP_ADDR_TYPE_IPV4,
        mac: '52:54:00:aa:bb:01',
        iaid: null,
        ipaddr: '192.168.122.10',
        prefix: 24,
        hostname: 'guest1',
        clientid: '01:52:54:00:aa:bb:01',
      },
      expect.objectContaining({ expirytime: 0, mac: '52:54:00:aa:bb:03', hostname: null, clientid: null }),
      expect.objectContaining({ type: IPAddrType.VIR_IP_ADDR_TYPE_IPV6, mac: null, iaid: '1234567', ipaddr: 'fd00:1::20', prefix: 64 }),
    ]);
  });
});

describe('nftables ruleset', () => {
  test('nat: replies only back in, masquerade of the IPv4 subnet, routed IPv6', () => {
    const rules = networkRuleset(NAT);
    expect(tableName('vir-br.0')).toBe('virtkit_vir_br_0');
    expect(rules.startsWith('table inet virtkit_virbr3\ndelete table inet virtkit_virbr3\ntable inet virtkit_virbr3 {\n')).toBe(true);
    expect(rules).toContain('oifname "virbr3" ip daddr 192.168.122.0/24 ct state related,established accept');
    expect(rules).toContain('oifname "virbr3" ip6 daddr fd00:1::/64 accept');
    expect(rules).toContain('ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 meta l4proto { tcp, udp } masquerade to :1024-65535');
    expect(rules).not.toMatch(/ip6 saddr fd00:1::\/64 ip6 daddr != .* masquerade/);
  });

  test('nat with an address range and a forward dev: snat out of that device only', () => {
    const def = parseNetworkXml(
      `<network><name>s</name><forward mode='nat' dev='eth9'><nat><address start='10.0.0.5' end='10.0.0.9'/><port start='2000' end='3000'/></nat></forward>` +
        `<bridge name='vb'/><ip address='10.1.0.1' prefix='16'/></network>`,
    );
    const rules = networkRuleset(def);
    expect(rules).toContain('iifname "vb" oifname "eth9" ip saddr 10.1.0.0/16 accept');
    expect(rules).toContain(
      'ip saddr 10.1.0.0/16 oifname "eth9" ip daddr != 10.1.0.0/16 meta l4proto { tcp, udp } snat ip to 10.0.0.5-10.0.0.9:2000-3000',
    );
  });

  test('isolated: only bridge-to-bridge traffic, no NAT chain', () => {
    const rules = networkRuleset(
      parseNetworkXml(`<network><name>i</name><bridge name='vi'/><ip address='10.2.0.1' prefix='24'/></network>`),
    );
    expect(rules).toMatch(
      /chain forward \{\n.*\n {4}iifname "vi" oifname "vi" accept\n {4}iifname "vi" reject\n {4}oifname "vi" reject\n {2}\}/,
    );
    expect(rules).not.toContain('postrouting');
  });
});
