/**
 * PCI address assignment on q35 and i440fx (qemu_domain_address.c) against a private libvirtd 9.0 as the
 * oracle: each definition is defined there and dumped inactive, and the PCI controllers (model
 * names, chassis/port targets, addresses with multifunction) and every device address must be what
 * virtkit's QEMU parse hooks produce for the same input. The inputs vary the rules, not samples:
 * root ports sharing slots (aggregate slots, function 0 multifunction on or off), switches without
 * addresses, ports that only give hotplug.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { qemuParseHooks } from '@virtkit/driver-qemu';
import { describeIf, startLibvirtd, virsh, type RunningLibvirtd } from '@virtkit/testkit';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';

const domain = (name: string, devices: string, machine: string) => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='${machine}'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${devices.includes("type='usb'") ? '' : "<controller type='usb' model='none'/>"}
    <controller type='pci' model='${machine === 'q35' ? 'pcie-root' : 'pci-root'}'/>
    ${devices}
    <memballoon model='none'/>
  </devices>
</domain>`;

const port = (attrs = '', inner = '') => `<controller type='pci' model='pcie-root-port'${attrs}>${inner}</controller>`;
const at = (slot: number, fn: number, multi = '') =>
  `<address type='pci' bus='0' slot='${slot}' function='${fn}'${multi ? ` multifunction='${multi}'` : ''}/>`;
const nic = (mac: string) => `<interface type='user'><mac address='52:54:00:00:00:${mac}'/><model type='virtio'/></interface>`;

const CASES: Record<string, string> = {
  // New ports fill a wholly free slot first, then the free functions of slots root ports share.
  aggregate: [port('', at(3, 0)), port('', at(3, 1)), port('', at(4, 0, 'off')), port(), port(), port(), nic('01')].join(''),
  // A slot where function 0 is not a root port is not shared; multifunction comes from the functions in use.
  mixed: [port('', at(1, 2)), port('', at(2, 0)), port(), port(), nic('02'), nic('03')].join(''),
  // Switch ports without addresses: upstream on the first free port bus, downstream ports on its slots.
  switch: [
    port(),
    port('', "<target hotplug='off'/>"),
    "<controller type='pci' model='pcie-switch-upstream-port'/>",
    "<controller type='pci' model='pcie-switch-downstream-port'><target hotplug='on'/></controller>",
    "<controller type='pci' model='pcie-switch-downstream-port'/>",
    nic('04'),
    nic('05'),
  ].join(''),
};

CASES.pcieBridge = [
  port(),
  port(),
  "<controller type='pci' model='pcie-to-pci-bridge'/>",
  "<interface type='user'><mac address='52:54:00:00:00:07'/><model type='e1000'/></interface>",
  nic('08'),
].join('');

// USB2 groups on q35: the first UHCI1 at 00:1D, the next at 00:1A, companions with their start ports.
CASES.usb2 = [
  "<controller type='usb' model='ich9-ehci1'/><controller type='usb' model='ich9-uhci1'/><controller type='usb' model='ich9-uhci2'/>",
  "<controller type='usb' index='1' model='ich9-ehci1'/><controller type='usb' index='1' model='ich9-uhci1'/>",
  "<interface type='user'><mac address='52:54:00:00:00:09'/><model type='rtl8139'/></interface>",
  nic('0a'),
].join('');
// Buses libvirt adds take indexes in endpoint order (the conventional video's bridge after the
// ports of earlier PCIe devices), and the bridge then takes the first free root port.
CASES.order = [
  "<controller type='scsi' model='virtio-scsi'/><controller type='virtio-serial'/>",
  "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
  "<video><model type='qxl'/></video><video><model type='qxl'/></video>",
].join('');
// A definition with its own PCI controllers gets no extra hotplug port; conventional devices use its pci-bridge.
CASES.legacy = [
  "<controller type='pci' model='dmi-to-pci-bridge'/><controller type='pci' model='pci-bridge'/>",
  "<interface type='user'><mac address='52:54:00:00:00:0b'/><model type='e1000'/></interface>",
  "<sound model='ich6'/><watchdog model='i6300esb'/>",
].join('');

/** i440fx definitions: conventional PCI on pci-root. */
const PC_CASES: Record<string, string> = {
  // A bridge without an address takes a slot before the endpoints, after the primary video's.
  bridge: ["<controller type='pci' model='pci-bridge'/>", nic('06'), "<video><model type='vga'/></video>"].join(''),
  // Assigned devices: a subsystem hostdev always says whether it is managed.
  hostdevs: [
    "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>",
    "<hostdev type='pci' managed='yes'><source><address domain='0' bus='6' slot='7' function='0'/></source></hostdev>",
  ].join(''),
};

/** The lines that carry PCI placement: controllers, their model names and targets, addresses. */
function placement(xml: string): string[] {
  return xml
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^<controller type='pci'|^<model name=|^<target (chassis|hotplug)|^<address type='pci'|^<hostdev |^<master /.test(l));
}

describeIf(
  'virsh',
  'qemu',
  'libvirtd',
)('PCI placement against libvirtd 9.0', () => {
  let work: string;
  let libvirtd: RunningLibvirtd;
  let uri: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pci-oracle-'));
    fs.chmodSync(work, 0o755);
    libvirtd = await startLibvirtd({ drivers: ['qemu'] });
    uri = `qemu:///session?socket=${libvirtd.sock}`;
  }, 120_000);

  afterAll(async () => {
    await libvirtd?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const all = [
    ...Object.entries(CASES).map(([name, devices]) => [name, devices, 'q35']),
    ...Object.entries(PC_CASES).map(([name, devices]) => [name, devices, 'pc']),
  ];
  for (const [name, devices, machine] of all) {
    it(`places '${name}' (${machine}) as libvirt does`, () => {
      const xml = domain(name, devices, machine);
      const file = path.join(work, `${name}.xml`);
      fs.writeFileSync(file, xml);
      const defined = virsh(['-c', uri, 'define', file], work);
      expect(defined.out).toContain(`Domain '${name}' defined`);
      const theirs = virsh(['-c', uri, 'dumpxml', '--inactive', name], work);
      expect(theirs.status).toBe(0);
      const ours = formatDomainXml(parseDomainXml(xml, qemuParseHooks(true)), { inactive: true });
      expect(placement(theirs.out).length).toBeGreaterThan(4);
      expect(placement(ours)).toEqual(placement(theirs.out));
    });
  }
});
