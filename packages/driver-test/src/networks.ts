/**
 * Virtual networks of the test driver (libvirt's test_driver.c network calls over
 * virnetworkobj.c's object list): definitions only, nothing is started on the host.
 */
import {
  ConnectListAllNetworksFlags as L,
  ErrorDomain,
  ErrorNumber,
  NetworkCreateFlags,
  NetworkDefineFlags,
  NetworkEventLifecycleType as E,
  NetworkUpdateFlags as U,
  type NetworkRef,
} from '@virtkit/core';
import {
  formatNetworkXml,
  parseNetworkElement,
  parseNetworkXml,
  updateNetworkSection,
  type NetworkDef,
  type XmlElement,
} from '@virtkit/xml';
import type { TestState } from './state';
import { checkFlags, err, internal, opFailed, opInvalid } from './errors';

/** One network: the live definition and, while a persistent network runs, the next persistent one. */
export interface NetworkObj {
  def: NetworkDef;
  /** The persistent definition waiting for the network to stop (libvirt's newDef). */
  newDef?: NetworkDef;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
}

/** virnetworkobj.c reports its object-list errors from the network domain. */
const FROM_NETWORK = ErrorDomain.VIR_FROM_NETWORK;
const LIST_NETWORKS_FILTERS_ALL = (1 << 6) - 1;

function netRef(n: NetworkObj): NetworkRef {
  return { name: n.def.name, uuid: n.def.uuid };
}

/** testNetworkObjFindByName. */
function byName(state: TestState, name: string): NetworkObj {
  for (const n of state.networks.values()) if (n.def.name === name) return n;
  throw err(ErrorNumber.VIR_ERR_NO_NETWORK, `no network with matching name '${name}'`);
}

/** testNetworkObjFindByUUID. */
function byUUID(state: TestState, uuid: string): NetworkObj {
  const n = state.networks.get(uuid.toLowerCase());
  if (!n) throw err(ErrorNumber.VIR_ERR_NO_NETWORK, `no network with matching uuid '${uuid.toLowerCase()}'`);
  return n;
}

/** virNetworkObjUpdateAssignDef: where a new definition goes in an existing object. */
function assignExisting(n: NetworkObj, def: NetworkDef, live: boolean): void {
  if (live) {
    if (n.persistent && !n.newDef) n.newDef = n.def;
    n.def = def;
    return;
  }
  if (n.active) n.newDef = def;
  else {
    n.newDef = undefined;
    n.def = def;
  }
  n.persistent = true;
}

/** virNetworkObjAssignDef: add `def`, or replace the definition of the network with its UUID. */
function assignDef(state: TestState, def: NetworkDef, opts: { live: boolean; checkLive: boolean }): NetworkObj {
  const existing = state.networks.get(def.uuid);
  if (existing) {
    if (existing.def.name !== def.name)
      throw opFailed(`network '${existing.def.name}' is already defined with uuid ${existing.def.uuid}`, FROM_NETWORK);
    if (opts.checkLive && existing.active) throw opInvalid(`network is already active as '${existing.def.name}'`, FROM_NETWORK);
    assignExisting(existing, def, opts.live);
    return existing;
  }
  for (const n of state.networks.values()) {
    if (n.def.name === def.name) throw opFailed(`network '${def.name}' already exists with uuid ${n.def.uuid}`, FROM_NETWORK);
  }
  const n: NetworkObj = { def, active: false, autostart: false, persistent: !opts.live };
  state.networks.set(def.uuid, n);
  return n;
}

/** testParseNetworks: a `<network>` of a node file, active and persistent. */
export function loadNetwork(state: TestState, el: XmlElement): void {
  assignDef(state, parseNetworkElement(el), { live: false, checkLive: false }).active = true;
}

export const lookupByName = (state: TestState, name: string): NetworkRef => netRef(byName(state, name));
export const lookupByUUID = (state: TestState, uuid: string): NetworkRef => netRef(byUUID(state, uuid));

/** virNetworkObjListGetNames / NumOfNetworks: the active (or inactive) networks' names. */
export function names(state: TestState, active: boolean): string[] {
  return [...state.networks.values()].filter((n) => n.active === active).map((n) => n.def.name);
}

/** testConnectListAllNetworks with virNetworkObjMatch's filter groups. */
export function listAll(state: TestState, flags: number): NetworkRef[] {
  checkFlags(flags, LIST_NETWORKS_FILTERS_ALL, 'testConnectListAllNetworks');
  const group = (yes: number, no: number, has: boolean) => {
    const g = flags & (yes | no);
    return !g || (g & yes && has) || (g & no && !has);
  };
  return [...state.networks.values()]
    .filter(
      (n) =>
        group(L.VIR_CONNECT_LIST_NETWORKS_ACTIVE, L.VIR_CONNECT_LIST_NETWORKS_INACTIVE, n.active) &&
        group(L.VIR_CONNECT_LIST_NETWORKS_PERSISTENT, L.VIR_CONNECT_LIST_NETWORKS_TRANSIENT, n.persistent) &&
        group(L.VIR_CONNECT_LIST_NETWORKS_AUTOSTART, L.VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, n.autostart),
    )
    .map(netRef);
}

export const isActive = (state: TestState, net: NetworkRef): boolean => byUUID(state, net.uuid).active;
export const isPersistent = (state: TestState, net: NetworkRef): boolean => byUUID(state, net.uuid).persistent;

/** testNetworkCreateXMLFlags: a transient network, started. */
export function createXML(state: TestState, xml: string, flags: number): NetworkRef {
  checkFlags(flags, NetworkCreateFlags.VIR_NETWORK_CREATE_VALIDATE, 'testNetworkCreateXMLFlags');
  const n = assignDef(state, parseNetworkXml(xml), { live: true, checkLive: true });
  n.active = true;
  state.emitNetworkLifecycle(n.def, E.VIR_NETWORK_EVENT_STARTED);
  return netRef(n);
}

/** testNetworkDefineXMLFlags: a persistent definition, new or replacing the next one. */
export function defineXML(state: TestState, xml: string, flags: number): NetworkRef {
  checkFlags(flags, NetworkDefineFlags.VIR_NETWORK_DEFINE_VALIDATE, 'testNetworkDefineXMLFlags');
  const n = assignDef(state, parseNetworkXml(xml), { live: false, checkLive: false });
  state.emitNetworkLifecycle(n.def, E.VIR_NETWORK_EVENT_DEFINED);
  return netRef(n);
}

/** testNetworkUndefine: only an inactive network may go. */
export function undefine(state: TestState, net: NetworkRef): void {
  const n = byName(state, net.name);
  if (n.active) throw opInvalid(`Network '${net.name}' is still running`);
  state.emitNetworkLifecycle(net, E.VIR_NETWORK_EVENT_UNDEFINED);
  state.networks.delete(n.def.uuid);
}

/** testNetworkCreate. */
export function start(state: TestState, net: NetworkRef): void {
  const n = byName(state, net.name);
  if (n.active) throw opInvalid(`Network '${net.name}' is already running`);
  n.active = true;
  state.emitNetworkLifecycle(n.def, E.VIR_NETWORK_EVENT_STARTED);
}

/** testNetworkDestroy: a transient network disappears (libvirt's test driver keeps the live definition). */
export function destroy(state: TestState, net: NetworkRef): void {
  const n = byName(state, net.name);
  n.active = false;
  state.emitNetworkLifecycle(n.def, E.VIR_NETWORK_EVENT_STOPPED);
  if (!n.persistent) state.networks.delete(n.def.uuid);
}

/** testNetworkGetXMLDesc: the live definition; libvirt's test driver takes no flags here. */
export function getXMLDesc(state: TestState, net: NetworkRef, flags: number): string {
  checkFlags(flags, 0, 'testNetworkGetXMLDesc');
  return formatNetworkXml(byName(state, net.name).def);
}

/** testNetworkGetBridgeName. */
export function bridgeName(state: TestState, net: NetworkRef): string {
  const def = byName(state, net.name).def;
  if (!def.bridge) throw internal(`network '${def.name}' does not have a bridge name.`);
  return def.bridge;
}

export const getAutostart = (state: TestState, net: NetworkRef): boolean => byName(state, net.name).autostart;

export function setAutostart(state: TestState, net: NetworkRef, autostart: boolean): void {
  byName(state, net.name).autostart = autostart;
}

/** virNetworkDefCopy: a definition through a format/parse cycle, which also re-checks it. */
const copyDef = (def: NetworkDef, inactive: boolean): NetworkDef => parseNetworkXml(formatNetworkXml(def, { inactive }));

/** virNetworkObjConfigChangeSetup: is the change possible in this state, and keep the live definition apart. */
function configChangeSetup(n: NetworkObj, flags: number): void {
  if (!n.active && flags & U.VIR_NETWORK_UPDATE_AFFECT_LIVE) throw opInvalid('network is not running', FROM_NETWORK);
  if (flags & U.VIR_NETWORK_UPDATE_AFFECT_CONFIG) {
    if (!n.persistent) throw opInvalid('cannot change persistent config of a transient network', FROM_NETWORK);
    if (n.active && !n.newDef) n.newDef = copyDef(n.def, true);
  }
}

/** testNetworkUpdate over virNetworkObjUpdate: edit copies, then replace the live and/or persistent definition. */
export function update(
  state: TestState,
  net: NetworkRef,
  command: number,
  section: number,
  parentIndex: number,
  xml: string,
  flags: number,
): void {
  checkFlags(flags, U.VIR_NETWORK_UPDATE_AFFECT_LIVE | U.VIR_NETWORK_UPDATE_AFFECT_CONFIG, 'testNetworkUpdate');
  const n = byUUID(state, net.uuid);
  // CURRENT: the live state of a running network, else its persistent definition
  if (!(flags & (U.VIR_NETWORK_UPDATE_AFFECT_LIVE | U.VIR_NETWORK_UPDATE_AFFECT_CONFIG)))
    flags |= n.active ? U.VIR_NETWORK_UPDATE_AFFECT_LIVE : U.VIR_NETWORK_UPDATE_AFFECT_CONFIG;
  configChangeSetup(n, flags);
  let live: NetworkDef | undefined;
  let config: NetworkDef | undefined;
  if (flags & U.VIR_NETWORK_UPDATE_AFFECT_LIVE) {
    live = copyDef(n.def, false);
    updateNetworkSection(live, command, section, parentIndex, xml);
    live = copyDef(live, false);
  }
  if (flags & U.VIR_NETWORK_UPDATE_AFFECT_CONFIG) {
    config = copyDef(n.newDef ?? n.def, true);
    updateNetworkSection(config, command, section, parentIndex, xml);
    config = copyDef(config, true);
  }
  if (config) {
    if (n.active) n.newDef = config;
    else n.def = config;
  }
  if (live) n.def = live;
}
