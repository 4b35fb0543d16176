/**
 * A definition forgets host device names a driver generated (vnetN, macvtapN, macvlanN) as
 * libvirt's parser does for inactive XML, so the next start picks a free one; names the user
 * chose, pre-made taps (managed='no') and live XML keep theirs.
 * The MAC is formatted first, a `network` source keeps its bridge only in live XML, and a `direct`
 * source always has a mode.
 */
import { formatDomainXml, parseDomainXml } from '../../src';

const domain = (nics: string) =>
  `<domain type='qemu'><name>n</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory unit='KiB'>8192</memory>` +
  `<os><type arch='x86_64'>hvm</type></os><devices>${nics}</devices></domain>`;

const targets = (xml: string, inactive: boolean) =>
  [...formatDomainXml(parseDomainXml(xml, { inactive }), { inactive }).matchAll(/<target dev='[^']*'[^>]*\/>/g)].map((m) => m[0]);

test('generated names are dropped from inactive definitions only', () => {
  const xml = domain(
    ["vnet3'/>", "vnet4' managed='no'/>", "mytap'/>", "macvtap0'/>", "macvlan1'/>"]
      .map((t, i) => `<interface type='ethernet'><mac address='52:54:00:00:00:0${i}'/><target dev='${t}</interface>`)
      .join(''),
  );
  expect(targets(xml, true)).toEqual(["<target dev='vnet4' managed='no'/>", "<target dev='mytap'/>"]);
  expect(targets(xml, false)).toHaveLength(5);
});

const nic = (xml: string, inactive: boolean) =>
  /<interface[\s\S]*?<\/interface>/
    .exec(formatDomainXml(parseDomainXml(domain(xml), { inactive }), { inactive }))![0]
    .replace(/\n\s*/g, '');

test("the MAC comes first, as libvirt formats it, whatever the input's order (virt-install writes it after <source>)", () => {
  const xml = "<interface type='network'><source network='default'/><mac address='52:54:00:4f:da:4a'/><model type='virtio'/></interface>";
  expect(nic(xml, true)).toBe(
    "<interface type='network'><mac address='52:54:00:4f:da:4a'/><source network='default'/><model type='virtio'/></interface>",
  );
});

test("a network NIC's bridge is live state: kept in live XML, dropped from a definition", () => {
  const xml = "<interface type='network'><mac address='52:54:00:4f:da:4a'/><source network='default' bridge='virbr0'/></interface>";
  expect(nic(xml, false)).toContain("<source network='default' bridge='virbr0'/>");
  expect(nic(xml, true)).toContain("<source network='default'/>");
});

test("a direct NIC's source mode defaults to vepa and is always formatted, as libvirt's test driver shows", () => {
  expect(nic("<interface type='direct'><mac address='52:54:00:4f:da:4a'/><source dev='eth0'/></interface>", true)).toContain(
    "<source dev='eth0' mode='vepa'/>",
  );
  expect(nic("<interface type='direct'><mac address='52:54:00:4f:da:4a'/><source dev='eth0' mode='bridge'/></interface>", true)).toContain(
    "<source dev='eth0' mode='bridge'/>",
  );
});
