/**
 * The virNodeDevice calls of a QEMU connection, with the rules and messages of libvirt's node
 * device driver over its udev backend: every host device is active and transient (the root
 * `computer` persistent and autostarted), listing filters by capability including the nested
 * fc_host, vports and mdev_types, and creating devices is refused with libvirt's reasons.
 */
import { execFileSync } from 'node:child_process';
import {
  ConnectListAllNodeDeviceFlags as L,
  ErrorDomain,
  ErrorNumber,
  NODE_DEVICE_CAP_FILTERS,
  nodeDeviceCapBits,
  VirError,
  type NodeDeviceRef,
} from '@virtkit/core';
import { formatNodeDeviceXml, nodeDeviceCapNames, parseNodeDeviceXml, type NodeDeviceDef } from '@virtkit/xml';
import { scanHost } from './scan';

const FROM = ErrorDomain.VIR_FROM_NODEDEV;

const STATE_MASK = (L.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE | L.VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE) >>> 0;

function checkFlags(flags: number, mask: number, fn: string): void {
  const unknown = (flags & ~mask) >>> 0;
  if (unknown === 0) return;
  const message = `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`;
  throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: FROM, message, str1: message });
}

/** The host's devices, scanned again when the last scan is older than a second (udev would have told libvirt). */
export class NodeDevInventory {
  private last: { at: number; defs: NodeDeviceDef[] } | null = null;
  constructor(private readonly root = '/') {}

  async devices(): Promise<NodeDeviceDef[]> {
    if (!this.last || Date.now() - this.last.at > 1000) this.last = { at: Date.now(), defs: await scanHost(this.root) };
    return this.last.defs;
  }

  async byName(name: string): Promise<NodeDeviceDef> {
    const def = (await this.devices()).find((d) => d.name === name);
    if (!def) throw VirError.create(ErrorNumber.VIR_ERR_NO_NODE_DEVICE, FROM, `no node device with matching name '${name}'`);
    return def;
  }
}

export async function names(inv: NodeDevInventory, cap: string | null, flags: number, fn: string): Promise<string[]> {
  checkFlags(flags, 0, fn);
  return (await inv.devices()).filter((d) => cap === null || nodeDeviceCapNames(d).includes(cap)).map((d) => d.name);
}

/** nodeConnectListAllNodeDevices: capability filters, and every udev device counts as active. */
export async function listAll(inv: NodeDevInventory, flags: number): Promise<NodeDeviceRef[]> {
  checkFlags(flags, (NODE_DEVICE_CAP_FILTERS | STATE_MASK) >>> 0, 'nodeConnectListAllNodeDevices');
  const caps = flags & NODE_DEVICE_CAP_FILTERS;
  const state = (flags & STATE_MASK) >>> 0;
  if (state === L.VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE) return [];
  return (await inv.devices()).filter((d) => !caps || nodeDeviceCapBits(nodeDeviceCapNames(d)) & caps).map((d) => ({ name: d.name }));
}

/** nodeDeviceLookupSCSIHostByWWN: no match fails without a message, as libvirt's does. */
export async function lookupSCSIHostByWWN(inv: NodeDevInventory, wwnn: string, wwpn: string, flags: number): Promise<NodeDeviceRef> {
  checkFlags(flags, 0, 'nodeDeviceLookupSCSIHostByWWN');
  const hit = (await inv.devices()).find((d) => d.caps.some((c) => c.type === 'scsi_host' && c.fc?.wwnn === wwnn && c.fc.wwpn === wwpn));
  if (!hit) throw VirError.unknownCause();
  return { name: hit.name };
}

export async function getXMLDesc(inv: NodeDevInventory, dev: NodeDeviceRef, flags: number): Promise<string> {
  checkFlags(flags, 0, 'nodeDeviceGetXMLDesc');
  return formatNodeDeviceXml(await inv.byName(dev.name));
}

/** virNodeDeviceCapsListExport: the capabilities with the nested fc_host, vports and mdev_types. */
export const capNames = async (inv: NodeDevInventory, dev: NodeDeviceRef) => nodeDeviceCapNames(await inv.byName(dev.name));

/** The root device is the one libvirt reports persistent and autostarted. */
export const isRoot = async (inv: NodeDevInventory, dev: NodeDeviceRef) => (await inv.byName(dev.name)).name === 'computer';

const unsupportedType = () => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, FROM, 'Unsupported device type');

/** Mediated devices are made with mdevctl, which libvirt needs on the path. */
function requireMdevctl(): never {
  try {
    execFileSync('mdevctl', ['--version'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    throw new VirError({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      domain: ErrorDomain.VIR_FROM_NONE,
      message: "Cannot find 'mdevctl' in path: No such file or directory",
    });
  }
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM, 'mediated devices are not supported by this driver');
}

/** nodeDeviceCreateXML: vHBAs need a vport-capable parent; neither they nor mdevs are created here. */
export async function createXML(inv: NodeDevInventory, xml: string, flags: number): Promise<NodeDeviceRef> {
  checkFlags(flags, 1, 'nodeDeviceCreateXML');
  const def = parseNodeDeviceXml(xml, 'create');
  if (def.caps.some((c) => c.type === 'mdev')) requireMdevctl();
  if (!def.caps.some((c) => c.type === 'scsi_host' && c.fc)) throw VirError.internal('Device is not a fibre channel HBA', FROM);
  const parent = def.parent === undefined ? undefined : (await inv.devices()).find((d) => d.name === def.parent);
  if (!parent) throw VirError.internal(`Could not find parent device for '${def.name}'`, FROM);
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM, 'creating vHBAs is not supported by this driver');
}

export async function defineXML(xml: string, flags: number): Promise<NodeDeviceRef> {
  checkFlags(flags, 1, 'nodeDeviceDefineXML');
  const def = parseNodeDeviceXml(xml, 'create');
  if (def.caps.some((c) => c.type === 'mdev')) requireMdevctl();
  throw unsupportedType();
}

/** nodeDeviceDestroy: only vHBAs and mediated devices can go, and this host has none made by us. */
export async function destroy(inv: NodeDevInventory, dev: NodeDeviceRef): Promise<void> {
  await inv.byName(dev.name);
  throw unsupportedType();
}

export async function undefine(inv: NodeDevInventory, dev: NodeDeviceRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'nodeDeviceUndefine');
  await inv.byName(dev.name);
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, FROM, `Node device '${dev.name}' is not defined`);
}

export async function create(inv: NodeDevInventory, dev: NodeDeviceRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'nodeDeviceCreate');
  await inv.byName(dev.name);
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, FROM, 'Device is already active');
}
