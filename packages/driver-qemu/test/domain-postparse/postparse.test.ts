import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { qemuParseHooks } from '../../src/domain-postparse/index';

function devices(machine: string, inner: string): string {
  const xml = `<domain type='qemu'><name>t</name><memory>1024</memory><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${inner}</devices></domain>`;
  const out = formatDomainXml(parseDomainXml(xml, qemuParseHooks(true)), { inactive: true, secure: true });
  return out.slice(out.indexOf('  <devices>'), out.indexOf('</devices>') + 10);
}

describe('QEMU post-parse of character devices', () => {
  it('keeps virtio consoles unaddressed, numbers them after the serial console stub, adds controllers in order', () => {
    expect(
      devices(
        'pc',
        `<emulator>/usr/bin/qemu-system-x86_64</emulator><channel type='unix'><source mode='bind'/><target type='virtio' name='a'/><address type='virtio-serial' controller='2'/></channel><channel type='unix'><source mode='connect' path='/x'/><target type='virtio' name='b'/></channel><console type='pty'><target type='virtio'/></console><console type='pty'><target type='virtio'/><address type='virtio-serial' controller='0' bus='0' port='3'/></console><serial type='pty'/>`,
      ),
    ).toBe(`  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' index='0' model='piix3-uhci'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>
    </controller>
    <controller type='pci' index='0' model='pci-root'/>
    <controller type='virtio-serial' index='2'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </controller>
    <controller type='virtio-serial' index='0'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </controller>
    <serial type='pty'>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <console type='pty'>
      <target type='virtio' port='0'/>
    </console>
    <console type='pty'>
      <target type='virtio' port='1'/>
      <address type='virtio-serial' controller='0' bus='0' port='3'/>
    </console>
    <channel type='unix'>
      <target type='virtio' name='a'/>
      <address type='virtio-serial' controller='2' bus='0' port='1'/>
    </channel>
    <channel type='unix'>
      <source mode='connect' path='/x'/>
      <target type='virtio' name='b'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/>
    </channel>
    <input type='mouse' bus='ps2'/>
    <input type='keyboard' bus='ps2'/>
    <audio id='1' type='none'/>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
    </memballoon>
  </devices>`);
  });

  it('turns a lone console into serial port 0 and fills channel ports around explicit ones', () => {
    expect(
      devices(
        'q35',
        `<emulator>/usr/bin/qemu-system-x86_64</emulator><console type='file'><source path='/tmp/q'/></console><channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel><channel type='pty'><target type='virtio' name='x.y'/><address type='virtio-serial' controller='0' bus='0' port='1'/></channel>`,
      ),
    ).toBe(`  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' index='0' model='qemu-xhci'>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </controller>
    <controller type='sata' index='0'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>
    </controller>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='virtio-serial' index='0'>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </controller>
    <controller type='pci' index='1' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='1' port='0x8'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0' multifunction='on'/>
    </controller>
    <controller type='pci' index='2' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='2' port='0x9'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>
    </controller>
    <controller type='pci' index='3' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='3' port='0xa'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>
    </controller>
    <controller type='pci' index='4' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='4' port='0xb'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x3'/>
    </controller>
    <serial type='file'>
      <source path='/tmp/q'/>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
    </serial>
    <console type='file'>
      <source path='/tmp/q'/>
      <target type='serial' port='0'/>
    </console>
    <channel type='unix'>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
      <address type='virtio-serial' controller='0' bus='0' port='2'/>
    </channel>
    <channel type='pty'>
      <target type='virtio' name='x.y'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/>
    </channel>
    <input type='mouse' bus='ps2'/>
    <input type='keyboard' bus='ps2'/>
    <audio id='1' type='none'/>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </memballoon>
  </devices>`);
  });

  it('adds a virtio-serial controller when the existing ones are full', () => {
    expect(
      devices(
        'pc',
        `<emulator>/usr/bin/qemu-system-x86_64</emulator><controller type='virtio-serial' index='0' ports='2'/><channel type='pty'><target type='virtio' name='a'/></channel><channel type='pty'><target type='virtio' name='b'/></channel>`,
      ),
    ).toBe(`  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='virtio-serial' index='0' ports='2'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </controller>
    <controller type='usb' index='0' model='piix3-uhci'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>
    </controller>
    <controller type='pci' index='0' model='pci-root'/>
    <controller type='virtio-serial' index='1'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </controller>
    <channel type='pty'>
      <target type='virtio' name='a'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/>
    </channel>
    <channel type='pty'>
      <target type='virtio' name='b'/>
      <address type='virtio-serial' controller='1' bus='0' port='1'/>
    </channel>
    <input type='mouse' bus='ps2'/>
    <input type='keyboard' bus='ps2'/>
    <audio id='1' type='none'/>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
    </memballoon>
  </devices>`);
  });
});

describe('QEMU post-parse of USB2 controllers', () => {
  const usb2 =
    `<controller type='usb' model='ich9-ehci1'/>` +
    [1, 2, 3].map((n) => `<controller type='usb' model='ich9-uhci${n}'><master startport='${(n - 1) * 2}'/></controller>`).join('');

  /** The USB controllers and the balloon of `devices()` output, as `model@slot.function`. */
  function placed(machine: string, inner: string): string[] {
    const out = devices(machine, inner);
    const re =
      /<(controller type='usb'[^>]*model='([^']+)'|memballoon model='(virtio)')[\s\S]*?<address type='pci'[^>]*bus='(0x[0-9a-f]+)' slot='(0x[0-9a-f]+)' function='(0x[0-9a-f])'( multifunction='on')?/g;
    return [...out.matchAll(re)].map((m) => `${m[2] ?? 'balloon'}@${Number(m[4])}:${Number(m[5])}.${Number(m[6])}${m[7] ? '+multi' : ''}`);
  }

  it("puts virt-install's EHCI and its UHCI companions on one slot, one function each (i440fx)", () => {
    expect(placed('pc', usb2)).toEqual([
      'ich9-ehci1@0:2.7',
      'ich9-uhci1@0:2.0+multi',
      'ich9-uhci2@0:2.1',
      'ich9-uhci3@0:2.2',
      'balloon@0:3.0',
    ]);
  });

  it('keeps a companion on the slot its EHCI was given', () => {
    const given = usb2.replace(
      "model='ich9-ehci1'/>",
      "model='ich9-ehci1'><address type='pci' domain='0' bus='0' slot='6' function='7'/></controller>",
    );
    expect(placed('pc', given)).toEqual([
      'ich9-ehci1@0:6.7',
      'ich9-uhci1@0:6.0+multi',
      'ich9-uhci2@0:6.1',
      'ich9-uhci3@0:6.2',
      'balloon@0:2.0',
    ]);
  });

  it('puts the group at 00:1D on a q35 machine, where real Q35 hardware has it (as libvirtd 9.0 does)', () => {
    expect(placed('q35', usb2).slice(0, 4)).toEqual([
      'ich9-ehci1@0:29.7',
      'ich9-uhci1@0:29.0+multi',
      'ich9-uhci2@0:29.1',
      'ich9-uhci3@0:29.2',
    ]);
  });
});

describe('QEMU post-parse of sound devices', () => {
  /** Each sound device's PCI address as `bus:slot.function`. */
  function soundSlots(machine: string, inner: string): string[] {
    const out = devices(machine, inner);
    const re = /<sound model='[^']+'>\s*<address type='pci'[^>]*bus='(0x[0-9a-f]+)' slot='(0x[0-9a-f]+)' function='(0x[0-9a-f])'/g;
    return [...out.matchAll(re)].map((m) => `${Number(m[1])}:${Number(m[2])}.${Number(m[3])}`);
  }

  // Expected addresses as libvirtd 9.0 gives them for the same definitions.
  it('puts the first ICH9 HD audio of a q35 machine at 00:1B.0, where real Q35 hardware has it; another on the PCI bridge', () => {
    expect(soundSlots('q35', `<sound model='ich9'/><sound model='ich9'/>`)).toEqual(['0:27.0', '2:1.0']);
  });

  it('leaves 00:1B to a device already given it; conventional PCI devices share the bridge, PCIe ones get root ports', () => {
    const out = devices(
      'q35',
      `<sound model='ich9'/><sound model='ich6'><address type='pci' domain='0' bus='0' slot='0x1b' function='0'/></sound>` +
        `<interface type='user'><mac address='52:54:00:00:00:01'/><model type='rtl8139'/></interface>` +
        `<interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000e'/></interface><watchdog model='i6300esb'/>`,
    );
    const at = (re: RegExp) => {
      const m = new RegExp(`${re.source}[\\s\\S]*?bus='(0x[0-9a-f]+)' slot='(0x[0-9a-f]+)'`).exec(out)!;
      return `${Number(m[1])}:${Number(m[2])}`;
    };
    expect([at(/<sound model='ich9'>/), at(/<sound model='ich6'>/), at(/rtl8139/), at(/e1000e/), at(/<watchdog/)]).toEqual([
      '2:2',
      '0:27',
      '2:1',
      '3:0',
      '2:3',
    ]);
  });
});
