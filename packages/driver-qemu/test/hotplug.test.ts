/**
 * Device hotplug through the public API with real QEMU (TCG, no guest OS): disks attached,
 * detached and resized live over QMP, CD-ROM media changed, the persistent definition changed per
 * LIVE/CONFIG/CURRENT, DEVICE_ADDED/DEVICE_REMOVED sent, and libvirt's errors for the rest.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainBlockResizeFlags,
  DomainDeviceModifyFlags as F,
  DomainEventID,
  DomainXMLFlags,
  ErrorNumber,
  type Connect,
  type Domain,
  type DomainEvent,
  type VirError,
} from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, makeDisk, newRoot, openEmbed, rejection, until } from './driver-helpers';

const LIVE = F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;
const CONFIG = F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG;

function domainXml(name: string, cdrom = false): string {
  const cd = cdrom
    ? `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>`
    : '';
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>${cd}</devices></domain>`
  );
}

function diskXml(file: string, dev: string, bus: string, format = 'qcow2'): string {
  return `<disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${file}'/><target dev='${dev}' bus='${bus}'/></disk>`;
}

interface BlockDevice {
  qdev?: string;
  device?: string;
  inserted?: { file: string; 'node-name': string };
  tray_open?: boolean;
}

async function queryBlock(dom: Domain): Promise<BlockDevice[]> {
  const out = JSON.parse(await dom.qemuMonitorCommand(JSON.stringify({ execute: 'query-block' }), 0)) as { return: BlockDevice[] };
  return out.return;
}

async function nodeFiles(dom: Domain): Promise<string[]> {
  const q = JSON.stringify({ execute: 'query-named-block-nodes', arguments: { flat: true } });
  return (JSON.parse(await dom.qemuMonitorCommand(q, 0)) as { return: Array<{ file: string }> }).return.map((n) => n.file);
}

function virtualSize(file: string): number {
  return (JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' })) as { 'virtual-size': number })[
    'virtual-size'
  ];
}

const code = async (p: Promise<unknown>) => {
  const e = (await rejection(p)) as VirError;
  return [e.code, e.message];
};

describeIf('qemu', 'qemu-img')('device hotplug on qemu:///embed with real QEMU', () => {
  let root: string;
  let conn: Connect;
  let events: Array<[number, string]>;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    events = [];
    for (const id of [DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED]) {
      await conn.domainEventRegisterAny(null, id, (_c, _d, ev: DomainEvent) => events.push([ev.eventId, String(ev.devAlias)]));
    }
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  it('attaches a virtio disk live and to the config, resizes it, and refuses a second disk on its target', async () => {
    const dom = await conn.defineXML(domainXml('hp1'));
    await dom.create();
    const file = makeDisk(root, 'vdb.qcow2', '16M');
    await dom.attachDeviceFlags(diskXml(file, 'vdb', 'virtio'), LIVE | CONFIG);

    const qemuDisk = (await queryBlock(dom)).find((b) => b.qdev?.includes('virtio-disk1'));
    expect(qemuDisk?.inserted?.file).toBe(file);
    const live = await dom.getXMLDesc(0);
    expect(live).toMatch(
      /<target dev='vdb' bus='virtio'\/>\s*<alias name='virtio-disk1'\/>\s*<address type='pci' domain='0x0000' bus='0x00' slot='0x0\d'/,
    );
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).toContain(`<source file='${file}'/>`);
    expect(fs.readFileSync(path.join(root, 'etc', 'hp1.xml'), 'utf8')).toContain(`<target dev='vdb' bus='virtio'/>`);
    await until(() => events.some(([id, a]) => id === DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED && a === 'virtio-disk1'));

    await dom.blockResize('vdb', 32 * 1024, 0);
    expect(virtualSize(file)).toBe(32 * 1024 * 1024);
    await dom.blockResize(file, 48 * 1024 * 1024 + 1, DomainBlockResizeFlags.VIR_DOMAIN_BLOCK_RESIZE_BYTES);
    expect(virtualSize(file)).toBe(48 * 1024 * 1024 + 512); // qcow2 grows in whole sectors
    expect(await code(dom.blockResize('vdz', 1024, 0))).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      "invalid argument: disk 'vdz' was not found in the domain config",
    ]);

    const other = makeDisk(root, 'other.qcow2');
    expect(await code(dom.attachDeviceFlags(diskXml(other, 'vdb', 'virtio'), LIVE))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      `XML error: target 'vdb' duplicated for disk sources '${file}' and '${other}'`,
    ]);
    expect(await code(dom.attachDeviceFlags(diskXml(other, 'vdb', 'virtio'), CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: target vdb already exists',
    ]);
  }, 120_000);

  it('detaches a USB disk live: QEMU drops it, its nodes are closed, DEVICE_REMOVED is sent; the config keeps it', async () => {
    const dom = await conn.lookupByName('hp1');
    const file = makeDisk(root, 'sdb.qcow2');
    await dom.attachDeviceFlags(diskXml(file, 'sdb', 'usb'), LIVE | CONFIG);
    expect(await nodeFiles(dom)).toContain(file);
    await dom.detachDeviceFlags(diskXml(file, 'sdb', 'usb'), LIVE);
    expect((await queryBlock(dom)).some((b) => b.qdev?.includes('usb-disk1'))).toBe(false);
    expect(await nodeFiles(dom)).not.toContain(file);
    expect(await dom.getXMLDesc(0)).not.toContain("dev='sdb'");
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).toContain("dev='sdb'");
    await until(() => events.some(([id, a]) => id === DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED && a === 'usb-disk1'));

    await dom.detachDeviceFlags(diskXml(file, 'sdb', 'usb'), CONFIG);
    expect(fs.readFileSync(path.join(root, 'etc', 'hp1.xml'), 'utf8')).not.toContain("dev='sdb'");
    expect(await code(dom.detachDeviceFlags(diskXml(file, 'sdb', 'usb'), CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: no target device sdb',
    ]);
    expect(await code(dom.detachDeviceFlags(diskXml(file, 'sdb', 'usb'), LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: disk sdb not found',
    ]);
    expect(await code(dom.detachDeviceAlias('ua-nothing', LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: no device found with alias ua-nothing',
    ]);
  }, 120_000);

  it('returns after the unplug timeout when no guest releases a PCI disk, which then stays', async () => {
    const dom = await conn.lookupByName('hp1');
    const started = Date.now();
    await dom.detachDevice(diskXml(makeDisk(root, 'unused.qcow2'), 'vdb', 'virtio'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(await dom.getXMLDesc(0)).toContain("dev='vdb'");
  }, 60_000);

  it('refuses what cannot be hotplugged and what a transient or inactive domain lacks', async () => {
    const dom = await conn.lookupByName('hp1');
    const file = makeDisk(root, 'ide.qcow2');
    expect(await code(dom.attachDevice(diskXml(file, 'hdb', 'ide')))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: disk bus 'ide' cannot be hotplugged.",
    ]);
    const transient = await conn.createXML(domainXml('hp-transient'), 0);
    expect(await code(transient.attachDeviceFlags(diskXml(file, 'vdc', 'virtio'), CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: transient domains do not have any persistent config',
    ]);
    await transient.destroy();
    const off = await conn.defineXML(domainXml('hp-off'));
    expect(await code(off.attachDeviceFlags(diskXml(file, 'vdc', 'virtio'), LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain is not running',
    ]);
    // CURRENT on an inactive domain: the persistent definition.
    await off.attachDeviceFlags(diskXml(file, 'vdc', 'virtio'), 0);
    expect(fs.readFileSync(path.join(root, 'etc', 'hp-off.xml'), 'utf8')).toContain(`<source file='${file}'/>`);
    await off.undefine();
  }, 60_000);

  it('changes and ejects the medium of a CD-ROM, live and in the config', async () => {
    const dom = await conn.defineXML(domainXml('hp-cd', true));
    await dom.create();
    const iso = path.join(root, 'media.iso');
    fs.writeFileSync(iso, Buffer.alloc(1024 * 1024));
    const cd = (src: string) =>
      `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>${src}<target dev='hdc' bus='ide'/><readonly/></disk>`;
    await dom.updateDeviceFlags(cd(`<source file='${iso}'/>`), LIVE | CONFIG);
    const tray = async () => (await queryBlock(dom)).find((b) => b.qdev?.includes('ide0-1-0'));
    expect((await tray())?.inserted?.file).toBe(iso);
    expect(await dom.getXMLDesc(0)).toContain(`<source file='${iso}'/>`);
    expect(fs.readFileSync(path.join(root, 'etc', 'hp-cd.xml'), 'utf8')).toContain(`<source file='${iso}'/>`);

    await dom.updateDeviceFlags(cd(''), LIVE);
    expect((await tray())?.inserted).toBeUndefined();
    expect(await nodeFiles(dom)).not.toContain(iso);
    expect(await dom.getXMLDesc(0)).not.toContain(iso);
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).toContain(iso);
    await dom.destroy();
  }, 120_000);
});
