import { VirError } from '@virtkit/core';
import { domainDiskTargets, formatDomainXml, parseDomainXml } from '../../src/domain/index';
import { formatBitmap, parseBitmap } from '../../src/domain/node';

const base = (devices = '', extra = '') => `<domain type='qemu'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>1</memory>
  ${extra}
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`;

describe('domain XML model', () => {
  it('fills generic defaults and writes libvirt order', () => {
    const out = formatDomainXml(parseDomainXml(base(), { inactive: true }), { inactive: true });
    expect(out).toBe(`<domain type='qemu'>
  <name>t</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>1024</memory>
  <currentMemory unit='KiB'>1024</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
`);
  });

  it('puts out-of-order top-level elements into libvirt order', () => {
    const xml = `<domain type='kvm'><devices/><on_crash>restart</on_crash><os><type>hvm</type></os><memory>2048</memory><name>x</name></domain>`;
    const out = formatDomainXml(parseDomainXml(xml, { inactive: true }), { inactive: true });
    const order = [...out.matchAll(/^ {2}<([a-zA-Z_]+)/gm)].map((m) => m[1]);
    expect(order).toEqual([
      'name',
      'uuid',
      'memory',
      'currentMemory',
      'vcpu',
      'os',
      'clock',
      'on_poweroff',
      'on_reboot',
      'on_crash',
      'devices',
    ]);
  });

  it('escapes text and attributes the way libvirt does', () => {
    const xml = base(
      `<disk type='file' device='disk'><source file="/a'b&amp;c"/><target dev='vda' bus='virtio'/></disk>`,
      `<description>a "q" &lt;x&gt;</description>`,
    );
    const out = formatDomainXml(parseDomainXml(xml, { inactive: true }), {});
    expect(out).toContain(`<description>a &quot;q&quot; &lt;x&gt;</description>`);
    expect(out).toContain(`<source file='/a&apos;b&amp;c'/>`);
  });

  it('writes empty elements collapsed and keeps unknown elements', () => {
    const out = formatDomainXml(parseDomainXml(base('', `<features><acpi></acpi><foo bar='1'/></features>`), { inactive: true }), {});
    expect(out).toContain(`  <features>\n    <acpi/>\n    <foo bar='1'/>\n  </features>\n`);
  });

  it('keeps the id only for live definitions', () => {
    const xml = base().replace(`<domain type='qemu'>`, `<domain type='qemu' id='7'>`);
    expect(parseDomainXml(xml, { inactive: true }).id).toBe(-1);
    const live = parseDomainXml(xml, { inactive: false });
    expect(live.id).toBe(7);
    expect(formatDomainXml(live, {})).toMatch(/^<domain type='qemu' id='7'>/);
    expect(formatDomainXml(live, { inactive: true })).toMatch(/^<domain type='qemu'>/);
  });

  it('generates a v4 UUID when absent', () => {
    const def = parseDomainXml(base().replace(/<uuid>.*<\/uuid>/, ''), { inactive: true });
    expect(def.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('models disks with their backing chain and assigns drive addresses', () => {
    const def = parseDomainXml(
      base(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/top.qcow2'/>
        <backingStore type='file'><format type='raw'/><source file='/base.img'/><backingStore/></backingStore>
        <target dev='sdb' bus='scsi'/></disk>`),
      { inactive: true },
    );
    expect(domainDiskTargets(def)).toEqual(['sdb']);
    const disk = def.devices[0].disk!;
    expect(disk.source.path).toBe('/top.qcow2');
    expect(disk.driverType).toBe('qcow2');
    expect(disk.backingStore).toEqual([{ type: 'file', path: '/base.img', protocol: undefined, format: 'raw' }]);
    const out = formatDomainXml(def, { inactive: true });
    expect(out).toContain(`<address type='drive' controller='0' bus='0' target='0' unit='1'/>`);
    expect(out).toContain(`<controller type='scsi' index='0'/>`);
  });

  it('rejects bad documents with libvirt-style errors', () => {
    expect(() => parseDomainXml(`<network/>`, { inactive: true })).toThrow(VirError);
    expect(() => parseDomainXml(base().replace('<name>t</name>', ''), { inactive: true })).toThrow(VirError);
    expect(() => parseDomainXml(base().replace('c7a5fdbd', 'zzzz'), { inactive: true })).toThrow(/malformed uuid/);
  });

  it('parses and formats bitmaps', () => {
    expect(parseBitmap('0-3,^2,8')).toEqual([0, 1, 3, 8]);
    expect(formatBitmap([0, 1, 3, 8, 9, 10])).toBe('0-1,3,8-10');
    expect(parseBitmap('1-')).toBeUndefined();
  });

  it('checks <vcpu cpuset> as virDomainVcpuParse does, unless placement is auto', () => {
    const vcpu = (attrs: string) => () => parseDomainXml(base('', `<vcpu ${attrs}>2</vcpu>`), { inactive: true });
    expect(vcpu("cpuset='aaa'")).toThrow("invalid argument: Failed to parse bitmap 'aaa'");
    expect(vcpu("cpuset='16384'")).toThrow("invalid argument: Failed to parse bitmap '16384'");
    expect(vcpu("cpuset='16383'")).not.toThrow();
    expect(vcpu("cpuset='0,^0'")).toThrow("unsupported configuration: Invalid value of 'cpuset': 0,^0");
    expect(vcpu("cpuset='0-1,^1'")).not.toThrow();
    expect(vcpu("placement='auto' cpuset='aaa'")).not.toThrow();
  });
});

describe('serial ports and consoles (generic post-parse)', () => {
  const devicesOf = (inner: string) => {
    const out = formatDomainXml(parseDomainXml(base(inner), { inactive: true }), { inactive: true, secure: true });
    return out.slice(out.indexOf('  <devices>'), out.indexOf('</devices>') + 10);
  };

  // Expected output of libvirt 9.0's test driver (virsh define + dumpxml) for the same devices.
  it('numbers ports, adds the console standing for serial port 0, drops a pathless socket mode', () => {
    expect(
      devicesOf(`<serial type='file'><source path='/tmp/a'/></serial>
    <serial type='pty'><target port='0'/></serial>
    <parallel type='pty'/>
    <console type='pty'><target type='virtio' port='5'/></console>
    <console type='file'><source path='/tmp/b'/><target type='virtio'/></console>
    <channel type='unix'><source mode='bind'/><target type='virtio' name='x'/></channel>`),
    ).toBe(`  <devices>
    <controller type='virtio-serial' index='0'/>
    <serial type='file'>
      <source path='/tmp/a'/>
      <target port='1'/>
    </serial>
    <serial type='pty'>
      <target port='0'/>
    </serial>
    <parallel type='pty'>
      <target port='0'/>
    </parallel>
    <console type='file'>
      <source path='/tmp/a'/>
      <target type='serial' port='1'/>
    </console>
    <console type='pty'>
      <target type='virtio' port='0'/>
    </console>
    <console type='file'>
      <source path='/tmp/b'/>
      <target type='virtio' port='1'/>
    </console>
    <channel type='unix'>
      <target type='virtio' name='x'/>
    </channel>
  </devices>`);
  });

  it('makes a lone serial-type console serial port 0', () => {
    expect(devicesOf("<console type='pty'/>")).toBe(`  <devices>
    <serial type='pty'>
      <target port='0'/>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
  </devices>`);
  });

  it('refuses a serial-type console after the first', () => {
    expect(() => parseDomainXml(base("<console type='pty'/><console type='pty'/>"), { inactive: true })).toThrow(
      'unsupported configuration: Only the first console can be a serial port',
    );
  });
});
