/**
 * The virtual network driver of a QEMU root (libvirt's bridge_driver.c network calls): the
 * object list of store.ts, started and stopped on the host by runtime.ts, with libvirt's
 * lifecycle events. One instance per driver state; calls are serialized, as libvirt's network
 * object locks serialize them.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import {
  ConnectListAllNetworksFlags as L,
  ErrorNumber,
  NetworkEventID,
  NetworkEventLifecycleType as E,
  NetworkUpdateFlags as U,
  NetworkXMLFlags,
  EventHub,
  SerialQueue,
  type DriverConnection,
  type NetworkDHCPLease,
  type NetworkEvent,
  type NetworkPortRef,
  type NetworkRef,
  type TypedParams,
} from '@virtkit/core';
import { formatNetworkPortXml, formatNetworkXml, parseNetworkXml, updateNetworkSection, type NetworkDef } from '@virtkit/xml';
import { portsDir, readPorts, removePort } from '../net/network-ports';
import { linkExists } from './bridge';
import type { NetworkDriverDirs } from './dirs';
import { leaseFile, reloadDnsmasq } from './dnsmasq-process';
import { readLeases } from './leases';
import { ownsBridge, startNetworkOnHost, stopNetworkOnHost, takeBackNetwork } from './runtime';
import { checkActive, createPort, findPort, portParameters, portRef, setPortParameters } from './ports';
import { NetworkStore, netRef, networkError, persistentDef, type NetworkObj } from './store';

/** The SPI methods of this module. */
export type NetworkMethods = Exclude<Extract<keyof DriverConnection, `network${string}` | `connect${string}Networks`>, 'networkEvents'>;
export type NetworkSpi = Required<Pick<DriverConnection, NetworkMethods>>;

/** libvirt's template for generated bridge names, and how many it tries. */
const BRIDGE_TEMPLATE = 'virbr%d';
const MAX_BRIDGE_ID = 256;

const copyDef = (def: NetworkDef, inactive: boolean): NetworkDef => parseNetworkXml(formatNetworkXml(def, { inactive }));

export class NetworkDriver implements NetworkSpi {
  readonly store: NetworkStore;
  private readonly events = new EventHub<NetworkEvent>();
  private readonly queue = new SerialQueue();

  constructor(readonly dirs: NetworkDriverDirs) {
    this.store = new NetworkStore(dirs);
  }

  /** Load the networks, take back the running ones and start the autostart ones (networkStateInitialize). */
  async open(): Promise<void> {
    this.store.load();
    for (const n of this.store.all()) {
      if (!n.active) continue;
      if (await takeBackNetwork(this.dirs, n.def).catch(() => false)) continue;
      await this.stopped(n);
    }
    for (const n of this.store.all()) if (n.autostart && !n.active) await this.start(n).catch(() => undefined);
  }

  subscribe(l: (e: NetworkEvent) => void): () => void {
    return this.events.subscribe(l);
  }

  private emit(n: NetworkObj | NetworkRef, event: E): void {
    const net = 'def' in n ? netRef(n) : n;
    this.events.emit({ eventId: NetworkEventID.VIR_NETWORK_EVENT_ID_LIFECYCLE, net, event, detail: 0 });
  }

  /** Run `fn` after every call before it has finished. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  // --- definitions ---

  /** networkBridgeNameValidate / networkFindUnusedBridgeName, and virNetworkSetBridgeMacAddr. */
  private async fillBridge(def: NetworkDef): Promise<void> {
    if (!ownsBridge(def)) return;
    const usedByOthers = (name: string) => this.store.all().some((n) => n.def.uuid !== def.uuid && persistentOrLive(n).includes(name));
    if (def.bridge && !def.bridge.includes('%')) {
      if (usedByOthers(def.bridge)) throw networkError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `bridge name '${def.bridge}' already in use.`);
    } else {
      const template = def.bridge ?? BRIDGE_TEMPLATE;
      let found: string | undefined;
      for (let id = 0; id < MAX_BRIDGE_ID && !found; id++) {
        const name = template.replace('%d', String(id));
        if (!usedByOthers(name) && !(await linkExists(name))) found = name;
      }
      if (!found) throw networkError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Bridge generation exceeded max id ${MAX_BRIDGE_ID}`);
      def.bridge = found;
    }
    if (!def.mac) def.mac = `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  }

  private async start(n: NetworkObj): Promise<void> {
    if (n.active) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'network is already active');
    // virNetworkObjSetDefTransient: the running network gets a live copy, the definition waits.
    const copied = n.persistent && !n.newDef;
    if (copied) {
      n.newDef = n.def;
      n.def = copyDef(n.def, true);
    }
    // The masquerade port range the firewall uses shows in the live XML, as libvirt's.
    if (n.def.forward.mode === 'nat' && !n.def.forward.natPortStart && !n.def.forward.natPortEnd) {
      n.def.forward.natPortStart = 1024;
      n.def.forward.natPortEnd = 65535;
    }
    try {
      await startNetworkOnHost(this.dirs, n.def);
    } catch (e) {
      if (copied) {
        n.def = n.newDef!;
        n.newDef = undefined;
      }
      throw e;
    }
    n.active = true;
    await this.store.saveStatus(n);
    this.emit(n, E.VIR_NETWORK_EVENT_STARTED);
  }

  /** The network is no longer running: status gone, the waiting definition back, a transient one gone. */
  private async stopped(n: NetworkObj): Promise<void> {
    n.active = false;
    this.store.removeStatus(n.def.name);
    // virNetworkObjDeleteAllPorts: a stopped network has no ports.
    fs.rmSync(portsDir(this.dirs.stateDir, n.def.name), { recursive: true, force: true });
    if (n.newDef) {
      n.def = n.newDef;
      n.newDef = undefined;
    }
    if (!n.persistent) this.store.remove(n);
  }

  async networkCreateXML(xml: string): Promise<NetworkRef> {
    return this.networkCreateXMLFlags(xml);
  }

  async networkCreateXMLFlags(xml: string): Promise<NetworkRef> {
    return this.serial(async () => {
      const def = parseNetworkXml(xml);
      await this.fillBridge(def);
      const n = this.store.assign(def, true);
      try {
        await this.start(n);
      } catch (e) {
        if (!n.persistent) this.store.remove(n);
        throw e;
      }
      return netRef(n);
    });
  }

  async networkDefineXML(xml: string): Promise<NetworkRef> {
    return this.networkDefineXMLFlags(xml);
  }

  async networkDefineXMLFlags(xml: string): Promise<NetworkRef> {
    return this.serial(async () => {
      const def = parseNetworkXml(xml);
      await this.fillBridge(def);
      const wasNew = !this.store.all().some((n) => n.def.uuid === def.uuid);
      const n = this.store.assign(def, false);
      try {
        await this.store.saveConfig(def);
      } catch (e) {
        if (wasNew) this.store.remove(n);
        throw e;
      }
      this.emit(n, E.VIR_NETWORK_EVENT_DEFINED);
      return netRef(n);
    });
  }

  async networkUndefine(net: NetworkRef): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(net);
      if (!n.persistent) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, "can't undefine transient network");
      this.store.deleteConfig(n);
      this.emit(n, E.VIR_NETWORK_EVENT_UNDEFINED);
      // A running network stays up, transient from now on (libvirt's networkUndefine).
      n.persistent = false;
      n.newDef = undefined;
      if (!n.active) this.store.remove(n);
    });
  }

  async networkCreate(net: NetworkRef): Promise<void> {
    return this.serial(() => this.start(this.store.get(net)));
  }

  async networkDestroy(net: NetworkRef): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(net);
      if (!n.active) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `network '${n.def.name}' is not active`);
      await stopNetworkOnHost(this.dirs, n.def);
      const ref = netRef(n);
      await this.stopped(n);
      this.emit(ref, E.VIR_NETWORK_EVENT_STOPPED);
    });
  }

  // --- lookups and lists ---

  async networkLookupByName(name: string): Promise<NetworkRef> {
    return netRef(this.store.findByName(name));
  }

  async networkLookupByUUIDString(uuid: string): Promise<NetworkRef> {
    return netRef(this.store.findByUuid(uuid));
  }

  private names(active: boolean, max: number): string[] {
    return this.store
      .all()
      .filter((n) => n.active === active)
      .map((n) => n.def.name)
      .slice(0, max);
  }

  async connectNumOfNetworks(): Promise<number> {
    return this.names(true, Infinity).length;
  }
  async connectListNetworks(maxnames: number): Promise<string[]> {
    return this.names(true, maxnames);
  }
  async connectNumOfDefinedNetworks(): Promise<number> {
    return this.names(false, Infinity).length;
  }
  async connectListDefinedNetworks(maxnames: number): Promise<string[]> {
    return this.names(false, maxnames);
  }

  /** virNetworkObjListExport with virNetworkObjMatch's filter groups. */
  async connectListAllNetworks(flags: number): Promise<NetworkRef[]> {
    const group = (yes: number, no: number, has: boolean) => {
      const g = flags & (yes | no);
      return !g || (g & yes && has) || (g & no && !has);
    };
    return this.store
      .all()
      .filter(
        (n) =>
          group(L.VIR_CONNECT_LIST_NETWORKS_ACTIVE, L.VIR_CONNECT_LIST_NETWORKS_INACTIVE, n.active) &&
          group(L.VIR_CONNECT_LIST_NETWORKS_PERSISTENT, L.VIR_CONNECT_LIST_NETWORKS_TRANSIENT, n.persistent) &&
          group(L.VIR_CONNECT_LIST_NETWORKS_AUTOSTART, L.VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, n.autostart),
      )
      .map(netRef);
  }

  // --- properties ---

  async networkGetXMLDesc(net: NetworkRef, flags: number): Promise<string> {
    const n = this.store.get(net);
    const inactive = (flags & NetworkXMLFlags.VIR_NETWORK_XML_INACTIVE) !== 0;
    return formatNetworkXml(inactive ? persistentDef(n) : n.def, { inactive });
  }

  async networkGetBridgeName(net: NetworkRef): Promise<string> {
    const def = this.store.get(net).def;
    if (!def.bridge) throw networkError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `network '${def.name}' does not have a bridge name.`);
    return def.bridge;
  }

  async networkIsActive(net: NetworkRef): Promise<boolean> {
    return this.store.get(net).active;
  }
  async networkIsPersistent(net: NetworkRef): Promise<boolean> {
    return this.store.get(net).persistent;
  }
  async networkGetAutostart(net: NetworkRef): Promise<boolean> {
    return this.store.get(net).autostart;
  }

  async networkSetAutostart(net: NetworkRef, autostart: boolean): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(net);
      if (!n.persistent) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot set autostart for transient network');
      if (n.autostart !== autostart) this.store.setAutostart(n, autostart);
    });
  }

  async networkGetDHCPLeases(net: NetworkRef, mac: string | null): Promise<NetworkDHCPLease[]> {
    const def = this.store.get(net).def;
    if (!def.bridge) return [];
    return readLeases(leaseFile(this.dirs, def.bridge), def, mac);
  }

  /** networkUpdate: edit copies of the live and/or persistent definition, then apply them. */
  async networkUpdate(net: NetworkRef, command: number, section: number, parentIndex: number, xml: string, flags: number): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(net);
      if (!(flags & (U.VIR_NETWORK_UPDATE_AFFECT_LIVE | U.VIR_NETWORK_UPDATE_AFFECT_CONFIG)))
        flags |= n.active ? U.VIR_NETWORK_UPDATE_AFFECT_LIVE : U.VIR_NETWORK_UPDATE_AFFECT_CONFIG;
      if (!n.active && flags & U.VIR_NETWORK_UPDATE_AFFECT_LIVE)
        throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'network is not running');
      if (flags & U.VIR_NETWORK_UPDATE_AFFECT_CONFIG && !n.persistent)
        throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot change persistent config of a transient network');
      let config: NetworkDef | undefined;
      let live: NetworkDef | undefined;
      if (flags & U.VIR_NETWORK_UPDATE_AFFECT_CONFIG) {
        config = copyDef(persistentDef(n), true);
        updateNetworkSection(config, command, section, parentIndex, xml);
        config = copyDef(config, true);
      }
      if (flags & U.VIR_NETWORK_UPDATE_AFFECT_LIVE) {
        live = copyDef(n.def, false);
        updateNetworkSection(live, command, section, parentIndex, xml);
        live = copyDef(live, false);
      }
      if (config) {
        await this.store.saveConfig(config);
        if (n.active) n.newDef = config;
        else n.def = config;
      }
      if (live) {
        n.def = live;
        await this.store.saveStatus(n);
        // dnsmasq re-reads its hosts files on SIGHUP; other sections take effect at the next start.
        reloadDnsmasq(this.dirs, live);
      }
    });
  }

  // --- ports ---

  async networkListAllPorts(net: NetworkRef): Promise<NetworkPortRef[]> {
    const n = this.store.get(net);
    checkActive(n.def, n.active);
    return readPorts(this.dirs.stateDir, n.def.name).map((p) => portRef(netRef(n), p));
  }

  async networkPortLookupByUUIDString(net: NetworkRef, uuid: string): Promise<NetworkPortRef> {
    const n = this.store.get(net);
    const port = findPort(this.dirs.stateDir, n.def, uuid);
    checkActive(n.def, n.active);
    return portRef(netRef(n), port);
  }

  async networkPortCreateXML(net: NetworkRef, xml: string, flags: number): Promise<NetworkPortRef> {
    return this.serial(async () => {
      const n = this.store.get(net);
      return portRef(netRef(n), await createPort(this.dirs.stateDir, n.def, n.active, xml, flags));
    });
  }

  async networkPortGetXMLDesc(port: NetworkPortRef): Promise<string> {
    const n = this.store.get(port.network);
    const def = findPort(this.dirs.stateDir, n.def, port.uuid);
    checkActive(n.def, n.active);
    return formatNetworkPortXml(def);
  }

  async networkPortDelete(port: NetworkPortRef): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(port.network);
      findPort(this.dirs.stateDir, n.def, port.uuid);
      checkActive(n.def, n.active);
      removePort(this.dirs.stateDir, n.def.name, port.uuid);
    });
  }

  async networkPortGetParameters(port: NetworkPortRef): Promise<TypedParams> {
    const n = this.store.get(port.network);
    const def = findPort(this.dirs.stateDir, n.def, port.uuid);
    checkActive(n.def, n.active);
    return portParameters(def);
  }

  async networkPortSetParameters(port: NetworkPortRef, params: TypedParams): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(port.network);
      const def = findPort(this.dirs.stateDir, n.def, port.uuid);
      checkActive(n.def, n.active);
      await setPortParameters(this.dirs.stateDir, n.def, def, params);
    });
  }
}

/** The bridge names a network holds (live and waiting definition). */
function persistentOrLive(n: NetworkObj): string[] {
  return [n.def.bridge, n.newDef?.bridge].filter((b): b is string => !!b);
}
