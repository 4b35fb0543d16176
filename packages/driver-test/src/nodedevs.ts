/**
 * Host devices of the test driver (libvirt's test_driver.c node device calls over
 * virnodedeviceobj.c): the default node's devices, capability filters, and the NPIV vHBA that
 * nodeDeviceCreateXML mocks by copying scsi_host11 as scsi_host12.
 */
import {
  ErrorDomain,
  ErrorNumber,
  NODE_DEVICE_CAP_FILTERS,
  NodeDeviceEventLifecycleType,
  nodeDeviceCapBits,
  VirError,
  type NodeDeviceRef,
} from '@virtkit/core';
import {
  formatNodeDeviceXml,
  nodeDeviceCapNames,
  parseNodeDeviceElement,
  parseNodeDeviceXml,
  type NodeDevCap,
  type NodeDeviceDef,
  type XmlElement,
} from '@virtkit/xml';
import type { TestState } from './state';
import { checkFlags, err } from './errors';

const FROM_NODEDEV = ErrorDomain.VIR_FROM_NODEDEV;
const internal = (detail: string) => err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, detail, FROM_NODEDEV);

/** The capability names a device answers to (virNodeDeviceObjHasCap: nested fc_host, vports, mdev_types too). */
export function capMask(def: NodeDeviceDef): number {
  return nodeDeviceCapBits(nodeDeviceCapNames(def));
}

/** testParseNodedevs: a `<device>` of a node file. */
export function loadNodeDevice(state: TestState, el: XmlElement): void {
  const def = parseNodeDeviceElement(el);
  state.nodedevs.set(def.name, def);
}

/** testNodeDeviceObjFindByName. */
function byName(state: TestState, name: string): NodeDeviceDef {
  const def = state.nodedevs.get(name);
  if (!def) throw err(ErrorNumber.VIR_ERR_NO_NODE_DEVICE, `no node device with matching name '${name}'`);
  return def;
}

/** testNodeListDevices / testNodeNumOfDevices: names of devices with the capability (all for null). */
export function names(state: TestState, cap: string | null, flags: number, fn: string): string[] {
  checkFlags(flags, 0, fn);
  return [...state.nodedevs.values()].filter((d) => cap === null || nodeDeviceCapNames(d).includes(cap)).map((d) => d.name);
}

/** testConnectListAllNodeDevices: the test driver knows the capability filters only. */
export function listAll(state: TestState, flags: number): NodeDeviceRef[] {
  checkFlags(flags, NODE_DEVICE_CAP_FILTERS, 'testConnectListAllNodeDevices');
  return [...state.nodedevs.values()].filter((d) => !flags || capMask(d) & flags).map((d) => ({ name: d.name }));
}

export const lookupByName = (state: TestState, name: string): NodeDeviceRef => ({ name: byName(state, name).name });

export function getXMLDesc(state: TestState, dev: NodeDeviceRef, flags: number): string {
  checkFlags(flags, 0, 'testNodeDeviceGetXMLDesc');
  return formatNodeDeviceXml(byName(state, dev.name));
}

export const getParent = (state: TestState, dev: NodeDeviceRef): string | null => byName(state, dev.name).parent ?? null;

/** testNodeDeviceListCaps: the top-level capabilities only. */
export const listCaps = (state: TestState, dev: NodeDeviceRef): string[] => byName(state, dev.name).caps.map((c) => c.type);

/** The fibre channel names of a vHBA definition (virNodeDeviceGetWWNs). */
function fcNames(def: NodeDeviceDef): { wwnn: string; wwpn: string } | null {
  const cap = def.caps.find((c): c is Extract<NodeDevCap, { type: 'scsi_host' }> => c.type === 'scsi_host' && c.fc !== undefined);
  return cap?.fc?.wwnn !== undefined && cap.fc.wwpn !== undefined ? { wwnn: cap.fc.wwnn, wwpn: cap.fc.wwpn } : null;
}

const hasVportOps = (d: NodeDeviceDef) => d.caps.some((c) => c.type === 'scsi_host' && c.vportOps !== undefined);

/** virNodeDeviceObjListGetParentHost: the vport-capable SCSI host the new vHBA hangs off. */
function checkParentHost(state: TestState, def: NodeDeviceDef): void {
  const devs = [...state.nodedevs.values()];
  let parent: NodeDeviceDef | undefined;
  if (def.parent !== undefined) {
    parent = state.nodedevs.get(def.parent);
    if (!parent) throw internal(`Could not find parent device for '${def.name}'`);
    if (!hasVportOps(parent)) throw internal(`Parent device ${parent.name} is not capable of vport operations`);
    return;
  }
  if (def.parentWwnn !== undefined && def.parentWwpn !== undefined) {
    parent = devs.find((d) => hasVportOps(d) && fcNames(d)?.wwnn === def.parentWwnn && fcNames(d)?.wwpn === def.parentWwpn);
  } else if (def.parentFabricWwn !== undefined) {
    parent = devs.find((d) => hasVportOps(d) && d.caps.some((c) => c.type === 'scsi_host' && c.fc?.fabricWwn === def.parentFabricWwn));
  } else {
    parent = devs.find(hasVportOps);
    if (!parent) throw internal('Could not find any vport capable device');
  }
  if (!parent) throw internal(`Could not find parent device for '${def.name}'`);
}

/** testNodeDeviceCreateXML: validate the vHBA, then mock vport_create by copying scsi_host11. */
export function createXML(state: TestState, xml: string, flags: number): NodeDeviceRef {
  checkFlags(flags, 0, 'testNodeDeviceCreateXML');
  const def = parseNodeDeviceXml(xml, 'create');
  const wwns = fcNames(def);
  if (!wwns) throw internal('Device is not a fibre channel HBA');
  checkParentHost(state, def);
  const template = state.nodedevs.get('scsi_host11');
  // libvirt's mock fails without a message when its template device is gone.
  if (!template) throw VirError.unknownCause();
  const copy = parseNodeDeviceXml(formatNodeDeviceXml(template));
  copy.name = 'scsi_host12';
  for (const c of copy.caps) if (c.type === 'scsi_host' && c.fc) c.fc = { ...c.fc, ...wwns };
  state.nodedevs.set(copy.name, copy);
  state.emitNodeDeviceLifecycle(copy.name, NodeDeviceEventLifecycleType.VIR_NODE_DEVICE_EVENT_CREATED);
  return { name: copy.name };
}

/**
 * testNodeDeviceDestroy: a vHBA whose parent exists is removed. libvirt's function starts from
 * success, so a device that is no vHBA, or has lost its parent, is left alone without an error.
 */
export function destroy(state: TestState, dev: NodeDeviceRef): void {
  const def = byName(state, dev.name);
  if (!fcNames(def) || def.parent === undefined || !state.nodedevs.has(def.parent)) return;
  state.emitNodeDeviceLifecycle(def.name, NodeDeviceEventLifecycleType.VIR_NODE_DEVICE_EVENT_DELETED);
  state.nodedevs.delete(def.name);
}
