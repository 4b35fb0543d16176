/**
 * PCI hot-unplug needs a guest that lets go of the device (ACPI PCI hotplug): with the tiny guest
 * running on qemu:///embed, an RNG, a virtio-scsi controller and a watchdog are plugged live and
 * unplugged live; each detach returns once QEMU reports the device deleted (well before the 5 s
 * unplug timeout), its backend object is gone, the live XML drops it and DEVICE_REMOVED is sent.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainDeviceModifyFlags as F, DomainEventID, open, type Connect, type Domain, type DomainEvent } from '@virtkit/core';
import { cleanupRoot, describeIf, tinyGuest, tinyGuestSaid, waitFor } from '@virtkit/testkit';

const LIVE = F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;

async function qmp<T>(dom: Domain, execute: string, args?: Record<string, unknown>): Promise<T> {
  const cmd = JSON.stringify(args ? { execute, arguments: args } : { execute });
  return (JSON.parse(await dom.qemuMonitorCommand(cmd, 0)) as { return: T }).return;
}

const names = async (dom: Domain, p: string) => (await qmp<Array<{ name: string }>>(dom, 'qom-list', { path: p })).map((o) => o.name);

describeIf('qemu', 'tiny-guest')('PCI hot-unplug with the tiny guest on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let consoleServer: net.Server | undefined;
  const removed: string[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotplug-guest-'));
    conn = await open(`qemu:///embed?root=${root}`);
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, (_c, _d, ev: DomainEvent) =>
      removed.push(String(ev.devAlias)),
    );
    // The guest's serial console, written to a file by a socket QEMU connects to.
    const log = path.join(root, 'console.log');
    const sock = path.join(root, 'console.sock');
    consoleServer = net.createServer((c) => c.pipe(fs.createWriteStream(log)));
    await new Promise<void>((r) => consoleServer!.listen(sock, r));
    const { kernel, initrd } = tinyGuest();
    dom = await conn.createXML(
      `<domain type='qemu'><name>hpg</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64' machine='pc'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd>` +
        `<cmdline>console=ttyS0 quiet tg.counter=0 tg.dhcp=0</cmdline></os><features><acpi/></features>` +
        `<devices><serial type='unix'><source mode='connect' path='${sock}'/></serial></devices></domain>`,
      0,
    );
    await waitFor(() => tinyGuestSaid(log, /^acpid ready$/) !== null, 150_000, 'the guest to reach userspace');
  }, 200_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
    consoleServer?.close();
  }, 60_000);

  it.each([
    ['rng0', `<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>`],
    ['scsi1', `<controller type='scsi' index='1' model='virtio-scsi'/>`],
    ['watchdog0', `<watchdog model='i6300esb' action='reset'/>`],
  ])(
    'plugs and unplugs %s live',
    async (alias, xml) => {
      await dom.attachDeviceFlags(xml, LIVE);
      expect(await names(dom, '/machine/peripheral')).toContain(alias);
      // libvirt matches a watchdog by its address too: detach with the live XML's element.
      const live = await dom.getXMLDesc(0);
      const element = new RegExp(`<(rng|controller|watchdog)[^>]*>(?:(?!</\\1>)[\\s\\S])*<alias name='${alias}'/>[\\s\\S]*?</\\1>`).exec(
        live,
      )![0];
      const started = Date.now();
      await dom.detachDeviceFlags(element, LIVE);
      expect(Date.now() - started).toBeLessThan(4500);
      expect(await names(dom, '/machine/peripheral')).not.toContain(alias);
      expect(await names(dom, '/objects')).not.toContain(`obj${alias}`);
      expect(await dom.getXMLDesc(0)).not.toContain(`<alias name='${alias}'/>`);
      expect(removed).toContain(alias);
    },
    60_000,
  );
});
