/**
 * libvirt 9.0's generic domain rules (domain_postparse.c, domain_conf.c, domain_validate.c):
 * each refused input gets libvirt's error code, domain and message.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { formatDomainXml, parseDomainXml } from '../../src/domain/index';

const domain = (body: string, name = 't') => `<domain type='qemu'>
  <name>${name}</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>1</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  ${body}
</domain>`;

function refusal(xml: string): [number, number, string] {
  try {
    parseDomainXml(xml, { inactive: true });
  } catch (e) {
    const v = e as VirError;
    return [v.code, v.domain, v.message];
  }
  throw new Error('expected the definition to be refused');
}

/** The formatted definition, inactive. */
const roundTrip = (xml: string) => formatDomainXml(parseDomainXml(xml, { inactive: true }), { inactive: true });

describe('domain rules', () => {
  it("refuses a name containing '/' (no virtkit driver has VIR_DOMAIN_DEF_FEATURE_NAME_SLASH)", () => {
    expect(refusal(domain('', 'foo/bar'))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      "XML error: name foo/bar cannot contain '/'",
    ]);
  });

  it('refuses the same host device twice (virDomainDefHostdevValidate)', () => {
    const hostdev =
      "<hostdev mode='subsystem' type='pci' managed='yes'><source>" +
      "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>";
    expect(refusal(domain(`<devices>${hostdev}${hostdev}</devices>`))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      'XML error: Hostdev already exists in the domain configuration',
    ]);
  });
});

describe('chardev sources', () => {
  const channel = (type: string, sources: string) =>
    domain(
      `<devices><controller type='virtio-serial' index='0'/><channel type='${type}'>${sources}<target type='virtio' name='c'/></channel></devices>`,
    );

  it('formats UDP as bind then connect, with the mode spelled out', () => {
    const out = roundTrip(channel('udp', `<source service='5678'/><source mode='bind' host='h'/>`));
    expect(out).toContain(`<channel type='udp'>
      <source mode='bind' host='h'/>
      <source mode='connect' service='5678'/>
      <target`);
  });

  it('refuses a third UDP source and a second source on other types', () => {
    const three = `<source service='1'/><source mode='bind' service='2'/><source service='3'/>`;
    expect(refusal(channel('udp', three))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      'XML error: only two source elements are allowed for character device',
    ]);
    const two = `<source mode='connect' host='a' service='1'/><source mode='connect' host='a' service='2'/>`;
    expect(refusal(channel('tcp', two))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      'XML error: only one source element is allowed for character device',
    ]);
  });

  it('requires a reconnect timeout when enabled, and refuses reconnect in bind mode', () => {
    const noTimeout = `<source mode='connect' host='a' service='1'><reconnect enabled='yes'/></source>`;
    expect(refusal(channel('tcp', noTimeout))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_XML,
      "XML error: Missing required attribute 'timeout' in element 'reconnect'",
    ]);
    const bind = `<source mode='bind' host='a' service='1'><reconnect enabled='yes' timeout='3'/></source>`;
    expect(refusal(channel('tcp', bind))).toEqual([
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      'internal error: chardev reconnect is possible only for connect mode',
    ]);
  });

  it('drops the timeout of a disabled reconnect', () => {
    const out = roundTrip(channel('unix', `<source mode='connect' path='/tmp/s'><reconnect enabled='no' timeout='4'/></source>`));
    expect(out).toContain(`<source mode='connect' path='/tmp/s'>
        <reconnect enabled='no'/>
      </source>`);
  });
});

describe('graphics listens', () => {
  it("shows the first address listen's address as the old 'listen' attribute", () => {
    const out = roundTrip(domain(`<devices><graphics type='vnc'><listen type='address' address='127.0.0.1'/></graphics></devices>`));
    expect(out).toContain(`<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>`);
  });

  it('gives SPICE with no port, no TLS port and no autoport the listen type none', () => {
    expect(roundTrip(domain(`<devices><graphics type='spice' autoport='no'/></devices>`))).toContain(`<graphics type='spice' autoport='no'>
      <listen type='none'/>`);
    expect(roundTrip(domain(`<devices><graphics type='spice' port='5900' autoport='no'/></devices>`)))
      .toContain(`<graphics type='spice' port='5900' autoport='no'>
      <listen type='address'/>`);
  });
});

describe('cputune', () => {
  const tuned = (cputune: string, extra = '') => domain(`<vcpu>4</vcpu>${extra}<cputune>${cputune}</cputune>`);

  it('stores thread schedulers per thread: ranges and exclusions expand, in thread order', () => {
    const out = roundTrip(
      tuned(
        `<iothreadsched iothreads='2,1' scheduler='batch'/><vcpusched vcpus='2-3,^3' scheduler='idle'/><vcpusched vcpus='0' scheduler='fifo' priority='1'/>`,
        '<iothreads>2</iothreads>',
      ),
    );
    expect(out).toContain(`<cputune>
    <vcpusched vcpus='0' scheduler='fifo' priority='1'/>
    <vcpusched vcpus='2' scheduler='idle'/>
    <iothreadsched iothreads='1' scheduler='batch'/>
    <iothreadsched iothreads='2' scheduler='batch'/>
  </cputune>`);
  });

  it('refuses overlapping schedulers, absent vCPUs and a missing real-time priority', () => {
    expect(refusal(tuned(`<vcpusched vcpus='0-1' scheduler='idle'/><vcpusched vcpus='1' scheduler='batch'/>`))).toEqual([
      ErrorNumber.VIR_ERR_XML_DETAIL,
      ErrorDomain.VIR_FROM_DOMAIN,
      "'vcpusched' attributes 'vcpus' must not overlap",
    ]);
    expect(refusal(tuned(`<vcpusched vcpus='7' scheduler='idle'/>`))).toEqual([
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_DOMAIN,
      "unsupported configuration: vCPU '7' is not present in domain definition",
    ]);
    expect(refusal(tuned(`<vcpusched vcpus='0' scheduler='rr'/>`))[2]).toBe(
      "XML error: Missing required attribute 'priority' in element 'vcpusched'",
    );
  });

  it('limits cachetune vcpus to the domain and drops a group left empty', () => {
    const out = roundTrip(
      tuned(
        `<cachetune vcpus='2-9'><cache id='0' level='3' type='code' size='6' unit='KiB'/></cachetune><cachetune vcpus='100'><cache id='0' level='3' type='data' size='6' unit='KiB'/></cachetune>`,
      ),
    );
    expect(out).toContain("<cachetune vcpus='2-3'>");
    expect(out).not.toContain("vcpus='100'");
  });

  it("refuses colliding cache types and a memorytune partly overlapping a cachetune's vcpus", () => {
    const both = `<cachetune vcpus='0'><cache id='0' level='3' type='both' size='6' unit='KiB'/><cache id='0' level='3' type='code' size='6' unit='KiB'/></cachetune>`;
    expect(refusal(tuned(both))[2]).toBe("XML error: Colliding cache allocations for cache level '3' id '0', type 'code'");
    const partial = `<cachetune vcpus='0-1'><cache id='0' level='3' type='code' size='6' unit='KiB'/></cachetune><memorytune vcpus='0'><node id='0' bandwidth='50'/></memorytune>`;
    expect(refusal(tuned(partial))[2]).toBe('XML error: Overlapping vcpus in resctrls');
  });
});

describe('chardev formatting', () => {
  it('writes the backend before the target, and a vdagent source clipboard first', () => {
    const xml = domain(
      `<devices><controller type='virtio-serial' index='0'/><channel type='qemu-vdagent'><target type='virtio' name='com.redhat.spice.0'/><source><mouse mode='server'/><clipboard copypaste='yes'/></source></channel></devices>`,
    );
    expect(roundTrip(xml)).toContain(`<channel type='qemu-vdagent'>
      <source>
        <clipboard copypaste='yes'/>
        <mouse mode='server'/>
      </source>
      <target type='virtio' name='com.redhat.spice.0'/>`);
  });
});

describe('firmware (virDomainDefOSValidate)', () => {
  const withOs = (os: string, firmware = '') => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>1</memory>
  <os${firmware}><type arch='x86_64' machine='q35'>hvm</type>${os}</os>
</domain>`;
  const refusedBy = (xml: string, firmwareAutoselect: boolean) => {
    try {
      parseDomainXml(xml, { inactive: true, firmwareAutoselect });
    } catch (e) {
      const v = e as VirError;
      return [v.code, v.message];
    }
    throw new Error('expected the definition to be refused');
  };

  it('refuses autoselection where the driver has none, and a loader without path where it is off', () => {
    expect(refusedBy(withOs('', " firmware='efi'"), false)).toEqual([
      ErrorNumber.VIR_ERR_XML_DETAIL,
      'firmware auto selection not implemented for this driver',
    ]);
    expect(refusedBy(withOs("<loader readonly='yes'/>"), true)).toEqual([
      ErrorNumber.VIR_ERR_XML_DETAIL,
      'no loader path specified and firmware auto selection disabled',
    ]);
  });

  it('refuses NVRAM where the firmware keeps no state', () => {
    expect(refusedBy(withOs('<nvram>/var/x_VARS.fd</nvram>', " firmware='bios'"), true)[1]).toBe(
      "firmware type 'bios' does not support nvram",
    );
    expect(refusedBy(withOs("<loader stateless='no'/>", " firmware='bios'"), true)[1]).toBe('Only EFI firmware permits NVRAM');
    expect(refusedBy(withOs("<loader stateless='yes' type='pflash'>/c.fd</loader><nvram>/v.fd</nvram>"), true)[1]).toBe(
      'NVRAM is not permitted when loader is stateless',
    );
    expect(refusedBy(withOs("<loader stateless='yes' type='pflash'>/c.fd</loader><nvram template='/t.fd'/>"), true)[1]).toBe(
      'NVRAM template is not permitted when loader is stateless',
    );
  });

  it("refuses loader settings that autoselection owns (a path makes the loader type 'rom')", () => {
    expect(refusedBy(withOs('<loader>/c.fd</loader>', " firmware='efi'"), true)[1]).toBe(
      "loader attribute 'type' cannot be specified when firmware autoselection is enabled",
    );
    expect(refusedBy(withOs("<loader secure='no'/>", " firmware='efi'"), true)[1]).toBe(
      "loader attribute 'secure' cannot be specified when firmware autoselection is enabled",
    );
  });
});

describe('disk attributes and metadata cache (virDomainDiskDefParseXML / Format)', () => {
  const disks = (body: string) => roundTrip(domain(`<devices>${body}</devices>`));

  it('writes type and device, makes a source-less disk a file disk, and keeps vhost-user disks out of snapshots', () => {
    const out = disks(
      `<disk device='cdrom' type='network'><target dev='hdc' bus='ide'/></disk>` +
        `<disk><source file='/a'/><target dev='hda' bus='ide'/></disk>` +
        `<disk type='vhostuser'><source type='unix' path='/s'/><target dev='vda' bus='virtio'/></disk>` +
        `<disk type='file' device='disk' snapshot='no'><source file='/r'/><target dev='hdb' bus='ide'/><readonly/></disk>`,
    );
    expect(out).toContain(`<disk type='file' device='cdrom'>`);
    expect(out).toContain(`<disk type='file' device='disk'>\n      <source file='/a'/>`);
    expect(out).toContain(`<disk type='vhostuser' device='disk' snapshot='no'>`);
    expect(out).toContain(`<disk type='file' device='disk'>\n      <source file='/r'/>`);
  });

  it('keeps metadata cache sizes in bytes', () => {
    const out = disks(
      `<disk type='file'><driver name='qemu' type='qcow2'><metadata_cache><max_size unit='KiB'>2</max_size></metadata_cache></driver><source file='/a'/><target dev='vda'/></disk>`,
    );
    expect(out).toContain(`<max_size unit='bytes'>2048</max_size>`);
  });
});

describe('hvm <os> and <clock> as libvirt keeps them', () => {
  const osDoc = (os: string, clock = '') => `<domain type='qemu'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>1</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type>${os}</os>
  ${clock}
</domain>`;

  it('drops container init options, a table-less acpi, an empty bios and a disabled menu timeout', () => {
    const out = roundTrip(osDoc(`<initdir>/x</initdir><acpi/><bootmenu enable='no' timeout='3'/><bios/>`));
    expect(out).not.toMatch(/initdir|<acpi|<bios|timeout/);
    expect(out).toContain(`<bootmenu enable='no'/>`);
  });

  it('refuses two acpi tables', () => {
    expect(refusal(osDoc(`<acpi><table type='slic'>/a</table><table type='slic'>/b</table></acpi>`))[2]).toBe(
      'XML error: Only one acpi table is supported',
    );
  });

  it('turns a numeric utc adjustment into a variable offset and writes the default basis', () => {
    expect(roundTrip(osDoc('', `<clock offset='utc' adjustment='5'/>`))).toContain(`<clock offset='variable' adjustment='5' basis='utc'/>`);
    expect(roundTrip(osDoc('', `<clock offset='variable' adjustment='14'/>`))).toContain(
      `<clock offset='variable' adjustment='14' basis='utc'/>`,
    );
  });

  it('refuses a timezone offset without a timezone', () => {
    expect(refusal(osDoc('', `<clock offset='timezone'/>`))[2]).toBe(
      "internal error: missing 'timezone' attribute for clock with offset='timezone'",
    );
  });
});

describe('<features> as virDomainDefFormatFeatures writes it', () => {
  it('orders features as libvirt enumerates them and writes the state of on/off features', () => {
    const out = roundTrip(domain(`<features><pmu/><apic eoi='on'/><smm/><acpi/></features>`));
    expect(out).toContain(`<features>\n    <acpi/>\n    <apic eoi='on'/>\n    <pmu state='on'/>\n    <smm state='on'/>\n  </features>`);
  });
});

describe('firmware features without <os firmware> (the Debian 9.0 migration kludge)', () => {
  const fw = `<domain type='qemu'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>1</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type><firmware><feature enabled='yes' name='secure-boot'/></firmware></os>
</domain>`;

  it('are ignored when reading existing XML', () => {
    expect(roundTrip(fw)).not.toContain('<firmware>');
  });

  it('are refused in a new definition', () => {
    expect(() => parseDomainXml(fw, { inactive: true, abiUpdate: true })).toThrow(
      'cannot use feature-based firmware autoselection when firmware autoselection is disabled',
    );
  });
});

describe('guest <cpu> (virCPUDefParseXML, virCPUDefFormatBufFull)', () => {
  const cpuDoc = (cpu: string) => domain(cpu);

  it('writes mode, match and fallback for a model, and nothing for a CPU that says nothing', () => {
    expect(roundTrip(cpuDoc(`<cpu><model>qemu64</model><topology sockets='1' cores='2' threads='1'/></cpu>`))).toContain(
      `<cpu mode='custom' match='exact'>\n    <model fallback='allow'>qemu64</model>\n    <topology sockets='1' dies='1' cores='2' threads='1'/>`,
    );
    expect(roundTrip(cpuDoc(`<cpu match='strict'/>`))).not.toContain('<cpu');
  });

  it.each([
    [
      `<cpu migratable='on'/>`,
      "unsupported configuration: Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode",
    ],
    [`<cpu><feature name='x'/></cpu>`, 'XML error: Non-empty feature list specified without CPU model'],
    [`<cpu check='partial'/>`, 'unsupported configuration: check attribute specified for CPU with no model'],
  ])('refuses %s', (cpu, message) => {
    expect(refusal(cpuDoc(cpu))[2]).toBe(message);
  });
});

describe('watchdog', () => {
  it("writes the default action 'reset' after the model (virDomainWatchdogDefFormat)", () => {
    expect(roundTrip(domain(`<devices><watchdog model='i6300esb'/></devices>`))).toContain("<watchdog model='i6300esb' action='reset'/>");
    expect(roundTrip(domain(`<devices><watchdog action='poweroff' model='ib700'/></devices>`))).toContain(
      "<watchdog model='ib700' action='poweroff'/>",
    );
  });
});

describe('definition details libvirt 9.0 writes (found by the virt-install sweep)', () => {
  it("drops SPICE's ports from a persistent autoport definition; -1 for both is autoport", () => {
    expect(roundTrip(domain(`<devices><graphics type='spice' port='-1' tlsPort='-1'/></devices>`))).toContain(
      "<graphics type='spice' autoport='yes'>",
    );
    const live = formatDomainXml(
      parseDomainXml(domain(`<devices><graphics type='spice' port='-1' tlsPort='-1'/></devices>`), { inactive: false }),
    );
    expect(live).toContain("<graphics type='spice' port='-1' tlsPort='-1' autoport='yes'>");
  });

  it("writes Hyper-V's default mode 'custom'", () => {
    expect(roundTrip(domain(`<features><hyperv><relaxed state='on'/></hyperv></features>`))).toContain("<hyperv mode='custom'>");
  });

  it("orders the disk driver's attributes as virDomainDiskDefFormatDriver", () => {
    expect(
      roundTrip(
        domain(
          `<devices><disk type='file' device='disk'><driver name='qemu' discard='unmap' io='native' cache='none' type='qcow2'/><source file='/a'/><target dev='vda' bus='virtio'/></disk></devices>`,
        ),
      ),
    ).toContain("<driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>");
  });
});
