/**
 * Disks of a running domain over QMP: hotplug (blockdev-add of the chain, device_add), unplug
 * (device_del, then the nodes go once QEMU reports DEVICE_DELETED) and CD-ROM media change
 * (the tray opened, the medium swapped, the tray closed), as libvirt's qemu_hotplug.c does.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef, DomainDevice } from '@virtkit/xml';
import type { QmpTransport } from '../qmp/client';
import { nextNodeIndex } from '../blockjob/nodes';
import { diskLayers } from '../command/disk';
import type { DiskPlug } from './disk-args';

/** Buses a disk can be hotplugged on (qemuDomainAttachDeviceDiskLiveInternal). */
const HOTPLUG_BUSES = ['virtio', 'usb', 'scsi'];

export function checkHotpluggable(dev: DomainDevice): void {
  const disk = dev.disk!;
  if (disk.device === 'floppy') {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, "floppy device hotplug isn't supported");
  }
  const bus = disk.targetBus ?? 'none';
  if (!HOTPLUG_BUSES.includes(bus)) {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, `disk bus '${bus}' cannot be hotplugged.`);
  }
  if (bus === 'virtio' && disk.device === 'cdrom') {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      "cdrom device with virtio bus isn't supported",
    );
  }
}

/** virDomainDiskDefCheckDuplicateInfo: a target may be used once. */
export function checkDuplicateTarget(def: DomainDef, dev: DomainDevice): void {
  const other = def.devices.find((d) => d !== dev && d.disk?.targetDev === dev.disk!.targetDev);
  if (!other) return;
  const src = (d: DomainDevice) => d.disk!.source.path ?? '';
  throw VirError.xml(
    `target '${dev.disk!.targetDev}' duplicated for disk sources '${src(other)}' and '${src(dev)}'`,
    ErrorDomain.VIR_FROM_DOMAIN,
  );
}

/** The next free node index of the domain's QEMU. */
export async function firstFreeNode(qmp: QmpTransport): Promise<number> {
  const nodes = await qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true });
  return nextNodeIndex(nodes.map((n) => n['node-name']));
}

/** Open the nodes of a plug, children first; on a failure the ones opened are closed again. */
async function addNodes(qmp: QmpTransport, plug: DiskPlug): Promise<void> {
  const added: string[] = [];
  try {
    for (const n of plug.blockdevs) {
      await qmp.execute('blockdev-add', n);
      added.push(n['node-name'] as string);
    }
  } catch (e) {
    await deleteNodes(qmp, added.reverse());
    throw e;
  }
}

/** blockdev-del each node, parents first; a node QEMU refuses to close stays (and is no error of the caller). */
export async function deleteNodes(qmp: QmpTransport, names: readonly string[]): Promise<void> {
  for (const n of names) await qmp.execute('blockdev-del', { 'node-name': n }).catch(() => undefined);
}

/** Plug a disk: its nodes, then the device; on a device failure the nodes go again. */
export async function plugDisk(qmp: QmpTransport, plug: DiskPlug): Promise<void> {
  await addNodes(qmp, plug);
  try {
    await qmp.execute('device_add', plug.device);
  } catch (e) {
    await deleteNodes(qmp, plug.blockdevs.map((n) => n['node-name'] as string).reverse());
    throw e;
  }
}

/** Whether a block backend belongs to the device `alias` (itself, or a child such as usb-storage's SCSI disk). */
export function ownedBy(qdev: string | undefined, alias: string): boolean {
  if (!qdev) return false;
  return qdev === alias || qdev.endsWith(`/${alias}`) || qdev.includes(`/${alias}/`);
}

interface BlockDevice {
  qdev?: string;
  inserted?: { 'node-name'?: string };
}

/**
 * The node names a disk's medium uses now, parents first: its top node and, for `libvirt-N-*`
 * names, the storage and format nodes of each layer of its chain (numbered consecutively from
 * the top, as the command line builder and `diskPlug` number them).
 */
export async function diskNodes(qmp: QmpTransport, alias: string, dev: DomainDevice): Promise<string[]> {
  const devices = await qmp.execute<BlockDevice[]>('query-block');
  const top = devices.find((d) => ownedBy(d.qdev, alias))?.inserted?.['node-name'];
  if (!top) return [];
  const m = /^libvirt-(\d+)-format$/.exec(top);
  if (!m) return [top];
  const first = Number(m[1]);
  return diskLayers(dev).flatMap((_l, i) => [`libvirt-${first + i}-format`, `libvirt-${first + i}-storage`]);
}

/** How often, and how far apart, the tray is opened again when the guest closed it before the medium was out. */
const TRAY_TRIES = 50;
const TRAY_RETRY_MS = 100;

/**
 * Run a medium command with the tray open. A guest (its firmware probing the drive, say) may
 * close the tray between the opening and the command; libvirt waits for the tray to be reported
 * open, here the pair is retried until the command finds it open.
 */
async function withTrayOpen(qmp: QmpTransport, alias: string, command: string, args: Record<string, unknown>): Promise<void> {
  for (let tries = 1; ; tries++) {
    await qmp.execute('blockdev-open-tray', { id: alias, force: true });
    try {
      await qmp.execute(command, args);
      return;
    } catch (e) {
      if (tries >= TRAY_TRIES || !/is not open/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, TRAY_RETRY_MS));
    }
  }
}

/**
 * Swap the medium of a removable disk (qemuDomainChangeMediaBlockdev): open the tray (forced:
 * a guest lock does not stop it), remove the medium and close its nodes, insert the new one if
 * there is one and give it the disk's limits (`throttle`: QEMU's throttling goes with the
 * medium), close the tray.
 */
export async function changeMedium(
  qmp: QmpTransport,
  alias: string,
  oldNodes: readonly string[],
  plug: DiskPlug | undefined,
  throttle: () => Promise<void>,
): Promise<void> {
  await withTrayOpen(qmp, alias, 'blockdev-remove-medium', { id: alias });
  await deleteNodes(qmp, oldNodes);
  if (plug && plug.blockdevs.length) {
    await addNodes(qmp, plug);
    await withTrayOpen(qmp, alias, 'blockdev-insert-medium', { id: alias, 'node-name': plug.device.drive as string });
    await throttle();
  }
  await qmp.execute('blockdev-close-tray', { id: alias });
}
