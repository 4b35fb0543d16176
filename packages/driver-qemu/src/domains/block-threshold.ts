/**
 * qemuDomainSetBlockThreshold and qemuProcessHandleBlockThreshold: a write threshold on the
 * storage node of one image of a disk's chain (`block-set-write-threshold`), and QEMU's
 * BLOCK_WRITE_THRESHOLD, once the guest wrote past it, turned into libvirt's BLOCK_THRESHOLD
 * event. Images are named as libvirt names them: the disk target for its top image, `vda[N]` for
 * the image whose nodes are `libvirt-N-*` (libvirt's virStorageSource id).
 */
import { DomainEventID, ErrorNumber, VirError, type DomainRef } from '@virtkit/core';
import type { DomainDevice } from '@virtkit/xml';
import type { QemuDriverExtension } from '../connection-extensions';
import { diskChain } from '../blockjob/chain';
import type { QmpEvent, QmpTransport } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

interface NamedNode {
  'node-name': string;
  file: string;
}

/** The storage nodes whose threshold was set with an explicit `[N]` (libvirt's thresholdEventWithIndex). */
const withIndex = (obj: QemuDomainObj) => obj.extension('block-threshold-with-index', () => new Set<string>());

const invalidArg = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, detail);

/** virStorageFileParseBackingStoreStr: `vda` or `vda[N]`, or null when the index part is malformed. */
export function parseDevstr(devstr: string): { target: string; index: number } | null {
  const open = devstr.indexOf('[');
  if (open < 0) return { target: devstr, index: 0 };
  const m = /^\+?(\d+)\]$/.exec(devstr.slice(open + 1));
  if (!m || Number(m[1]) > 0xffffffff) return null;
  return { target: devstr.slice(0, open), index: Number(m[1]) };
}

/** The node index (libvirt-N-storage → N), or 0 for a node libvirt did not name. */
const nodeIndex = (name: string): number => Number(/^libvirt-(\d+)-storage$/.exec(name)?.[1] ?? 0);

/** The storage nodes of the images of a disk's chain, top first (each image's first protocol node QEMU lists). */
async function chainStorageNodes(qmp: QmpTransport, dev: DomainDevice): Promise<Array<{ path: string; node: string | undefined }>> {
  const nodes = await qmp.execute<NamedNode[]>('query-named-block-nodes', { flat: true });
  const storage = nodes.filter((n) => /-storage$/.test(n['node-name']));
  const layers = await diskChain(dev).catch(() => []);
  return layers.map((l) => ({ path: l.path, node: storage.find((n) => n.file === l.path)?.['node-name'] }));
}

/** qemuDomainGetStorageSourceByDevstr, for the storage node: the node of the image `devstr` names. */
async function storageNodeOf(qmp: QmpTransport, obj: QemuDomainObj, devstr: string): Promise<string> {
  const parsed = parseDevstr(devstr);
  if (!parsed) throw invalidArg(`failed to parse block device '${devstr}'`);
  // virDomainDiskByTarget: the target name only, not a source path.
  const dev = obj.liveDef!.devices.find((d) => d.disk?.targetDev === parsed.target);
  if (!dev) throw invalidArg(`failed to find disk '${parsed.target}'`);
  if (dev.disk!.type === 'vhostuser') {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      FROM_QEMU,
      'setting device threshold is not supported for vhostuser disk',
    );
  }
  const chain = await chainStorageNodes(qmp, dev);
  const found = parsed.index === 0 ? chain[0]?.node : chain.find((l) => l.node && nodeIndex(l.node) === parsed.index)?.node;
  if (!found) throw invalidArg(`failed to find disk '${devstr}'`);
  return found;
}

/** virDomainSetBlockThreshold on a running domain. */
export async function setBlockThreshold(
  driver: QemuDriver,
  ref: DomainRef,
  dev: string,
  threshold: number | bigint,
  flags: number,
): Promise<void> {
  checkFlags(flags, 0, 'qemuDomainSetBlockThreshold');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetBlockThreshold', async () => {
    if (!obj.active || !obj.liveDef) throw notRunning();
    const qmp = obj.monitor();
    const node = await storageNodeOf(qmp, obj, dev);
    await qmp.execute('block-set-write-threshold', { 'node-name': node, 'write-threshold': threshold });
    if (dev.includes('[')) withIndex(obj).add(node);
    else withIndex(obj).delete(node);
  });
}

/**
 * The BLOCK_THRESHOLD events of one BLOCK_WRITE_THRESHOLD: for the disk's top image set without
 * an index, one naming the disk target; for every image with a node index, one naming `vda[N]`.
 * The path is the image's when it is local storage.
 */
async function thresholdEvents(driver: QemuDriver, obj: QemuDomainObj, e: QmpEvent): Promise<void> {
  const node = e.data['node-name'];
  if (typeof node !== 'string' || !obj.active || !obj.liveDef) return;
  const payload = { threshold: e.data['write-threshold'], excess: e.data['amount-exceeded'] };
  for (const dev of obj.liveDef.devices) {
    if (!dev.disk) continue;
    const chain = await chainStorageNodes(obj.monitor(), dev);
    const at = chain.findIndex((l) => l.node === node);
    if (at < 0) continue;
    const local = dev.disk.type === 'file' || dev.disk.type === 'block' || dev.disk.type === 'dir';
    const path = local ? chain[at].path : null;
    const target = dev.disk.targetDev;
    const emit = (name: string) =>
      driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, obj.ref(), { dev: name, path, ...payload });
    if (at === 0 && !withIndex(obj).has(node)) emit(target);
    const index = nodeIndex(node);
    if (index !== 0) emit(`${target}[${index}]`);
    return;
  }
}

export const blockThresholdHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, e) => {
      if (e.event === 'BLOCK_WRITE_THRESHOLD') void thresholdEvents(driver, obj, e).catch(() => undefined);
    },
  });
};
