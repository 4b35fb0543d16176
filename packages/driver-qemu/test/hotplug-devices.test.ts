/**
 * Hotplug of the devices that are not disks or NICs, with real QEMU (TCG, no guest OS): a SCSI
 * controller, chardevs (a pty serial port, UNIX-socket and pty channels), a watchdog and an RNG
 * plugged live over QMP and into the persistent definition per LIVE/CONFIG; a virtio-serial
 * channel unplugged (QEMU drops it at once: no guest has to agree), its chardev closed and
 * DEVICE_REMOVED sent; vsock in the persistent definition; libvirt 9.0's errors for the rest
 * (checked against a private libvirtd 9.0 with the same XML).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  DomainDeviceModifyFlags as F,
  DomainMemoryModFlags as M,
  DomainEventID,
  DomainXMLFlags,
  ErrorNumber,
  type Connect,
  type Domain,
  type DomainEvent,
  type VirError,
} from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection, until } from './driver-helpers';

const LIVE = F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;
const CONFIG = F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG;

const domainXml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features>` +
  `<devices><controller type='virtio-serial' index='0'/><memballoon model='virtio'/></devices></domain>`;

async function qmp<T>(dom: Domain, execute: string, args?: Record<string, unknown>): Promise<T> {
  const cmd = JSON.stringify(args ? { execute, arguments: args } : { execute });
  return (JSON.parse(await dom.qemuMonitorCommand(cmd, 0)) as { return: T }).return;
}

/** The ids of the devices plugged into QEMU by id (what device_add and -device named). */
async function peripherals(dom: Domain): Promise<string[]> {
  return (await qmp<Array<{ name: string }>>(dom, 'qom-list', { path: '/machine/peripheral' })).map((p) => p.name).sort();
}

async function chardevs(dom: Domain): Promise<Map<string, string>> {
  return new Map((await qmp<Array<{ label: string; filename: string }>>(dom, 'query-chardev')).map((c) => [c.label, c.filename]));
}

const code = async (p: Promise<unknown>) => {
  const e = (await rejection(p)) as VirError;
  return [e.code, e.message];
};

describeIf('qemu')('hotplug of controllers, chardevs, watchdog, RNG and vsock on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let events: Array<[number, string]>;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    events = [];
    for (const id of [DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED]) {
      await conn.domainEventRegisterAny(null, id, (_c, _d, ev: DomainEvent) => events.push([ev.eventId, String(ev.devAlias)]));
    }
    dom = await conn.defineXML(domainXml('hpd'));
    await dom.create();
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  const added = (alias: string) => events.some(([id, a]) => id === DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED && a === alias);
  const removed = (alias: string) => events.some(([id, a]) => id === DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED && a === alias);
  const persistent = () => fs.readFileSync(path.join(root, 'etc', 'hpd.xml'), 'utf8');

  it('plugs a virtio-scsi controller live and into the config; a second one on its index is refused', async () => {
    const xml = `<controller type='scsi' index='1' model='virtio-scsi'/>`;
    await dom.attachDeviceFlags(xml, LIVE | CONFIG);
    expect(await peripherals(dom)).toContain('scsi1');
    expect(await dom.getXMLDesc(0)).toMatch(
      /<controller type='scsi' index='1' model='virtio-scsi'>\s*<alias name='scsi1'\/>\s*<address type='pci'/,
    );
    expect(persistent()).toContain(`<controller type='scsi' index='1' model='virtio-scsi'>`);
    await until(() => added('scsi1'));
    expect(await code(dom.attachDeviceFlags(xml, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      'operation failed: target scsi:1 already exists',
    ]);
    expect(await code(dom.attachDeviceFlags(xml, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: controller index='1' already exists",
    ]);
    expect(await code(dom.attachDeviceFlags(`<controller type='usb' model='qemu-xhci' index='1'/>`, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: 'usb' controller cannot be hot plugged.",
    ]);
    expect(await code(dom.detachDeviceFlags(`<controller type='virtio-serial' index='0'/>`, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: 'virtio-serial' controller cannot be hot unplugged.",
    ]);
    expect(await code(dom.detachDeviceFlags(`<controller type='scsi' index='3'/>`, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: controller scsi:3 not found',
    ]);
  }, 60_000);

  it('plugs a pty serial port: QEMU opens a pseudo-terminal, the live XML names it as serial and console', async () => {
    await dom.attachDeviceFlags(`<serial type='pty'><target type='pci-serial'/></serial>`, LIVE);
    expect(await peripherals(dom)).toContain('serial0');
    const pty = (await chardevs(dom)).get('charserial0');
    expect(pty).toMatch(/^pty:\/dev\/pts\/\d+$/);
    const tty = pty!.slice('pty:'.length);
    expect(fs.existsSync(tty)).toBe(true);
    const live = await dom.getXMLDesc(0);
    expect(live).toContain(`<serial type='pty'>\n      <source path='${tty}'/>`);
    expect(live).toContain(`<console type='pty' tty='${tty}'>`);
    expect(persistent()).not.toContain('<serial');
  }, 60_000);

  it('plugs UNIX-socket and pty channels; unplugs one: QEMU drops it, its socket is closed, DEVICE_REMOVED is sent', async () => {
    const sock = path.join(root, 'ch.sock');
    const channel = `<channel type='unix'><source mode='bind' path='${sock}'/><target type='virtio' name='org.example.0'/></channel>`;
    await dom.attachDeviceFlags(channel, LIVE | CONFIG);
    await dom.attachDeviceFlags(`<channel type='pty'><target type='virtio' name='org.example.1'/></channel>`, LIVE);
    expect(await peripherals(dom)).toEqual(expect.arrayContaining(['channel0', 'channel1']));
    const live = await dom.getXMLDesc(0);
    expect(live).toMatch(
      /<target type='virtio' name='org.example.0'\/>\s*<alias name='channel0'\/>\s*<address type='virtio-serial' controller='0' bus='0' port='1'\/>/,
    );
    expect(live).toMatch(/<channel type='pty'>\s*<source path='\/dev\/pts\/\d+'\/>\s*<target type='virtio' name='org.example.1'\/>/);
    expect(persistent()).toContain(`<source mode='bind' path='${sock}'/>`);
    // QEMU listens on the socket.
    await new Promise<void>((resolve, reject) => {
      const c = net.connect(sock, () => (c.end(), resolve()));
      c.on('error', reject);
    });
    expect(await code(dom.attachDeviceFlags(channel, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: chardev already exists',
    ]);

    await dom.detachDeviceFlags(channel, LIVE);
    expect(await peripherals(dom)).not.toContain('channel0');
    expect((await chardevs(dom)).has('charchannel0')).toBe(false);
    expect(await dom.getXMLDesc(0)).not.toContain('org.example.0');
    expect(persistent()).toContain('org.example.0');
    await until(() => removed('channel0'));
    await dom.detachDeviceFlags(channel, CONFIG);
    expect(persistent()).not.toContain('org.example.0');
    expect(await code(dom.detachDeviceFlags(channel, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      "device not found: chr type 'channel' device not present in domain configuration",
    ]);
    // By alias: the call returns at once, the device goes when QEMU says so.
    await dom.detachDeviceAlias('channel1', LIVE);
    await until(() => removed('channel1'));
    expect((await chardevs(dom)).has('charchannel1')).toBe(false);
  }, 60_000);

  it('plugs a watchdog with its action, and an RNG with its backend object; one watchdog only', async () => {
    const watchdog = `<watchdog model='i6300esb' action='poweroff'/>`;
    await dom.attachDeviceFlags(watchdog, LIVE | CONFIG);
    expect(await code(dom.attachDeviceFlags(watchdog, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain already has a watchdog',
    ]);
    expect(await code(dom.attachDeviceFlags(watchdog, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain already has a watchdog',
    ]);
    const rng = `<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>`;
    await dom.attachDeviceFlags(rng, LIVE);
    expect(await peripherals(dom)).toEqual(expect.arrayContaining(['watchdog0', 'rng0']));
    const objects = (await qmp<Array<{ name: string }>>(dom, 'qom-list', { path: '/objects' })).map((o) => o.name);
    expect(objects).toContain('objrng0');
    expect(await qmp<string>(dom, 'qom-get', { path: '/objects/objrng0', property: 'filename' })).toBe('/dev/urandom');
    const live = await dom.getXMLDesc(0);
    expect(live).toMatch(/<watchdog model='i6300esb' action='poweroff'>\s*<alias name='watchdog0'\/>/);
    expect(live).toMatch(/<backend model='random'>\/dev\/urandom<\/backend>\s*<alias name='rng0'\/>/);
    expect(persistent()).toMatch(/<watchdog model='i6300esb' action='poweroff'>\s*<address type='pci'/);
    expect(await code(dom.detachDeviceFlags(`<rng model='virtio'><backend model='random'>/dev/random</backend></rng>`, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      "device not found: model 'virtio' RNG device not present in domain configuration",
    ]);
    expect(await code(dom.detachDeviceFlags(rng, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: no matching RNG device was found',
    ]);
    await dom.detachDeviceFlags(watchdog, CONFIG);
    expect(persistent()).not.toContain('<watchdog');
    expect(await code(dom.detachDeviceFlags(watchdog, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: domain has no watchdog',
    ]);
  }, 60_000);

  it('keeps vsock in the config; refuses what libvirt 9.0 refuses for vsock and the memory balloon', async () => {
    const vsock = `<vsock model='virtio'><cid auto='yes'/></vsock>`;
    await dom.attachDeviceFlags(vsock, CONFIG);
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).toMatch(/<vsock model='virtio'>\s*<cid auto='yes'\/>/);
    expect(await code(dom.attachDeviceFlags(vsock, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain already has a vsock device',
    ]);
    await dom.detachDeviceFlags(`<vsock model='virtio'/>`, CONFIG);
    expect(persistent()).not.toContain('<vsock');
    expect(await code(dom.detachDeviceFlags(`<vsock model='virtio'/>`, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      'operation failed: matching vsock device not found',
    ]);
    expect(await code(dom.detachDeviceFlags(`<vsock model='virtio'/>`, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_DEVICE_MISSING,
      'device not found: matching vsock device not found',
    ]);
    if (!fs.existsSync('/dev/vhost-vsock')) {
      expect(await code(dom.attachDeviceFlags(vsock, LIVE))).toEqual([
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        'unsupported configuration: unable to open vhost-vsock device',
      ]);
    }
    const balloon = `<memballoon model='virtio'><stats period='7'/></memballoon>`;
    expect(await code(dom.updateDeviceFlags(balloon, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      "unsupported configuration: live update of device 'memballoon' is not supported",
    ]);
    expect(await code(dom.updateDeviceFlags(balloon, CONFIG))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: persistent update of device 'memballoon' is not supported",
    ]);
    expect(await code(dom.attachDeviceFlags(balloon, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: live attach of device 'memballoon' is not supported",
    ]);
    expect(await code(dom.detachDeviceFlags(balloon, LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: live detach of device 'memballoon' is not supported",
    ]);
  }, 60_000);

  it('sets the balloon statistics period live (QEMU polls at it) and in the config; a restart applies it', async () => {
    const interval = () => qmp<number>(dom, 'qom-get', { path: '/machine/peripheral/balloon0', property: 'guest-stats-polling-interval' });
    await dom.setMemoryStatsPeriod(5, M.VIR_DOMAIN_MEM_LIVE | M.VIR_DOMAIN_MEM_CONFIG);
    expect(await interval()).toBe(5);
    expect(await dom.getXMLDesc(0)).toMatch(/<memballoon model='virtio'>\s*<stats period='5'\/>\s*<alias name='balloon0'\/>/);
    expect(persistent()).toMatch(/<memballoon model='virtio'>\s*<stats period='5'\/>/);
    await dom.setMemoryStatsPeriod(0, M.VIR_DOMAIN_MEM_LIVE);
    expect(await interval()).toBe(0);
    expect(await dom.getXMLDesc(0)).not.toContain('<stats');
    expect(await code(dom.setMemoryStatsPeriod(-1, M.VIR_DOMAIN_MEM_LIVE))).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      'invalid argument: invalid value for collection period',
    ]);
    await dom.destroy();
    await dom.create();
    expect(await interval()).toBe(5);
    const bare = await conn.createXML(
      `<domain type='qemu'><name>hpd-nb</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>` +
        `<devices><memballoon model='none'/></devices></domain>`,
      0,
    );
    expect(await code(bare.setMemoryStatsPeriod(5, M.VIR_DOMAIN_MEM_LIVE))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: No memory balloon device configured, can not set the collection period',
    ]);
    await bare.destroy();
  }, 60_000);
});
