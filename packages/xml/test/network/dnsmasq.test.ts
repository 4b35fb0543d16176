import { ErrorNumber, VirError } from '@virtkit/core';
import { dnsmasqContext, networkDnsmasqConfContents, networkNeedsDnsmasq, parseDnsmasqVersion, parseNetworkXml } from '../../src/network';

const ctx = dnsmasqContext('n', '/var/lib/libvirt/dnsmasq');
const net = (body: string) => parseNetworkXml(`<network><name>n</name><bridge name='virbr9'/>${body}</network>`);

function errorOf(fn: () => unknown): VirError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('dnsmasq configuration', () => {
  it('refuses a second IPv4 DHCP definition as libvirt does', () => {
    const def = net(
      "<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>" +
        "<ip address='10.1.0.1' prefix='24'><dhcp><range start='10.1.0.2' end='10.1.0.9'/></dhcp></ip>",
    );
    const err = errorOf(() => networkDnsmasqConfContents(def, { ctx }));
    expect(err.code).toBe(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED);
    expect(err.message).toBe('unsupported configuration: For IPv4, multiple DHCP definitions cannot be specified.');
  });

  it('writes the pid file, lease count and ra-only range', () => {
    const def = net(
      "<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>" +
        "<ip family='ipv6' address='fd00::1' prefix='64'/>",
    );
    const { conf, hostsfile } = networkDnsmasqConfContents(def, { ctx, pidfile: '/run/n.pid' });
    expect(conf).toContain('pid-file=/run/n.pid\nexcept-interface=lo\nbind-dynamic\ninterface=virbr9\n');
    expect(conf).toContain('dhcp-range=10.0.0.2,10.0.0.9,255.255.255.0\n');
    expect(conf).toContain('dhcp-lease-max=8\n');
    expect(conf).toContain('dhcp-range=fd00::1,ra-only\n');
    expect(hostsfile).toBeUndefined();
  });

  it('needs dnsmasq only with an address and DHCP or DNS', () => {
    expect(networkNeedsDnsmasq(net(''))).toBe(false);
    expect(networkNeedsDnsmasq(net("<ip address='10.0.0.1' prefix='24'/>"))).toBe(true);
    expect(networkNeedsDnsmasq(net("<dns enable='no'/><ip address='10.0.0.1' prefix='24'/>"))).toBe(false);
  });

  it('reads the dnsmasq version and refuses one older than 2.67', () => {
    expect(parseDnsmasqVersion('Dnsmasq version 2.89  Copyright (c) 2000-2022 Simon Kelley\n')).toBe(2_089_000);
    expect(errorOf(() => parseDnsmasqVersion('Dnsmasq version 2.60\n')).message).toBe(
      'unsupported configuration: dnsmasq version >= 2.67 required but 2.60 found',
    );
    expect(errorOf(() => parseDnsmasqVersion('nonsense\n')).code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
  });
});
