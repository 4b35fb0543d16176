/**
 * A connection to the test driver: the SPI methods, each one synchronous pass over the shared
 * state (so every answer reflects one consistent moment), delegating to the per-area modules.
 */
import * as DS from './domain-state';
import * as GA from './guest-agent';
import { hostname } from 'node:os';
import {
  DomainMemoryModFlags,
  DomainModificationImpact,
  DomainCoreDumpFormat,
  DomainVcpuFlags,
  ErrorDomain,
  LIBVIRT_COMPAT_VERSION,
  type BlockInfo,
  type BlockStats,
  type DomainStatsRecordRef,
  type DomainVcpus,
  type EmulatorPinInfo,
  type InterfaceStats,
  type MemoryStat,
  type NodeCPUMap,
  type NodeStat,
  type SchedulerType,
  type TypedParams,
  type DomainDiskError,
  type VcpuPinInfo,
  type DomainControlInfo,
  type DomainFSInfo,
  type DomainTime,
  type DomainCheckpointRef,
  type DomainInfo,
  type DomainRef,
  type DomainSnapshotRef,
  type DriverEvents,
  type DriverNetworkEvents,
  type DriverObjectEvents,
  type NodeDeviceEvent,
  type StoragePoolEvent,
  type InterfaceRef,
  type NetworkRef,
  type NodeDeviceRef,
  type IOThreadInfo,
  type NodeInfo,
  type SecurityLabel,
  type SecurityModel,
  type StoragePoolRef,
  type StorageVolRef,
  type TableConnection,
  type VirStream,
  type Wide,
} from '@virtkit/core';
import type { TestState } from './state';
import type { testDriverTable } from './table';
import * as D from './domains';
import * as I from './domain-info';
import * as T from './domain-tuning';
import * as S from './snapshots';
import * as C from './checkpoints';
import * as P from './storage';
import * as V from './vol-data';
import * as N from './networks';
import * as If from './interfaces';
import * as Nd from './nodedevs';
import * as Pin from './pinning';
import * as Io from './iothreads';
import * as Blkio from './blkio';
import * as Mem from './memtune';
import * as IoTune from './iotune';
import { getDiskErrors } from './disk-errors';
import { coreDump } from './core-dump';
import { baselineCPU, getCPUModelNames } from './cpu-models';
import { domainScreenshot } from './screenshot';
import * as St from './stats';
import * as NodeStats from './node-stats';
import { securityLabel, securityModel } from './security';
import { capabilitiesXml } from './capabilities';
import { maxMemory, vcpus } from './domain-xml';
import { checkFlags, invalidArg, notRunning, rawInvalidArg } from './errors';
import { MAX_VCPUS } from './constants';

const SYSINFO = `<sysinfo type='smbios'>
  <bios>
    <entry name='vendor'>LENOVO</entry>
    <entry name='version'>G4ETA1WW (2.61 )</entry>
    <entry name='date'>05/07/2014</entry>
    <entry name='release'>2.61</entry>
  </bios>
</sysinfo>
`;

/** Declared against the driver's table: a table entry whose method is missing or misspelt fails to compile. */
export class TestConnection implements TableConnection<typeof testDriverTable> {
  readonly events: DriverEvents;
  readonly networkEvents: DriverNetworkEvents;
  readonly storagePoolEvents: DriverObjectEvents<StoragePoolEvent>;
  readonly nodeDeviceEvents: DriverObjectEvents<NodeDeviceEvent>;
  private closed = false;

  constructor(
    readonly state: TestState,
    private readonly release: () => void,
  ) {
    this.events = { subscribe: (l) => state.subscribe(l) };
    this.networkEvents = { subscribe: (l) => state.subscribeNetwork(l) };
    this.storagePoolEvents = { subscribe: (l) => state.storagePoolEvents.subscribe(l) };
    this.nodeDeviceEvents = { subscribe: (l) => state.nodeDeviceEvents.subscribe(l) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  // --- connection and node ---
  async connectGetType(): Promise<string> {
    return 'TEST';
  }
  async connectGetVersion(): Promise<number> {
    return 2;
  }
  async connectGetLibVersion(): Promise<number> {
    return LIBVIRT_COMPAT_VERSION;
  }
  async connectGetHostname(): Promise<string> {
    return hostname();
  }
  async connectGetCapabilities(): Promise<string> {
    return capabilitiesXml(this.state);
  }
  async connectGetMaxVcpus(_type: string | null): Promise<number> {
    return MAX_VCPUS;
  }
  async connectGetSysinfo(flags: number): Promise<string> {
    checkFlags(flags, 0, 'testConnectGetSysinfo');
    return SYSINFO;
  }
  async connectIsSecure(): Promise<boolean> {
    return true;
  }
  async connectIsEncrypted(): Promise<boolean> {
    return false;
  }
  async connectIsAlive(): Promise<boolean> {
    return !this.closed;
  }
  async nodeGetInfo(): Promise<NodeInfo> {
    return { ...this.state.nodeInfo };
  }
  async nodeGetSecurityModel(): Promise<SecurityModel> {
    return securityModel();
  }
  async nodeGetFreeMemory(): Promise<number> {
    return this.state.cells.reduce((a, c) => a + c.freeMem, 0);
  }
  async nodeGetCPUMap(flags: number): Promise<NodeCPUMap> {
    return NodeStats.cpuMap(flags);
  }
  async nodeGetCPUStats(_cpuNum: number, flags: number): Promise<NodeStat[]> {
    return NodeStats.cpuStats(flags);
  }
  async nodeGetCellsFreeMemory(startCell: number, maxCells: number): Promise<number[]> {
    const cells = this.state.cells;
    // virNodeGetCellsFreeMemory's own argument checks (libvirt-host.c), ahead of the driver's.
    if (startCell < 0) throw rawInvalidArg('startCell in virNodeGetCellsFreeMemory must be zero or greater', ErrorDomain.VIR_FROM_DOMAIN);
    if (maxCells <= 0) throw rawInvalidArg('maxCells in virNodeGetCellsFreeMemory must be greater than zero', ErrorDomain.VIR_FROM_DOMAIN);
    if (startCell >= cells.length) throw invalidArg('Range exceeds available cells');
    return cells.slice(startCell, startCell + maxCells).map((c) => c.mem);
  }

  // --- domains ---
  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return D.listAll(this.state, flags);
  }
  async connectNumOfDomains(): Promise<number> {
    return [...this.state.domains.values()].filter((d) => d.active).length;
  }
  async connectListDomains(maxids: number): Promise<number[]> {
    return [...this.state.domains.values()]
      .filter((d) => d.active)
      .map((d) => d.id)
      .slice(0, maxids);
  }
  async connectNumOfDefinedDomains(): Promise<number> {
    return [...this.state.domains.values()].filter((d) => !d.active).length;
  }
  async connectListDefinedDomains(maxnames: number): Promise<string[]> {
    return [...this.state.domains.values()]
      .filter((d) => !d.active)
      .map((d) => d.name)
      .slice(0, maxnames);
  }
  async domainCreateXML(xml: string, flags: number): Promise<DomainRef> {
    return D.createXML(this.state, xml, flags);
  }
  async domainDefineXML(xml: string): Promise<DomainRef> {
    return D.defineXML(this.state, xml, 0);
  }
  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    return D.defineXML(this.state, xml, flags);
  }
  async domainLookupByName(name: string): Promise<DomainRef> {
    return D.lookupByName(this.state, name);
  }
  async domainLookupByUUIDString(uuid: string): Promise<DomainRef> {
    return D.lookupByUUID(this.state, uuid);
  }
  async domainLookupByID(id: number): Promise<DomainRef> {
    return D.lookupByID(this.state, id);
  }
  async domainCreate(dom: DomainRef): Promise<void> {
    D.createWithFlags(this.state, dom, 0);
  }
  async domainCreateWithFlags(dom: DomainRef, flags: number): Promise<void> {
    D.createWithFlags(this.state, dom, flags);
  }
  async domainDestroy(dom: DomainRef): Promise<void> {
    D.destroyFlags(this.state, dom, 0);
  }
  async domainDestroyFlags(dom: DomainRef, flags: number): Promise<void> {
    D.destroyFlags(this.state, dom, flags);
  }
  async domainShutdown(dom: DomainRef): Promise<void> {
    D.shutdownFlags(this.state, dom, 0);
  }
  async domainShutdownFlags(dom: DomainRef, flags: number): Promise<void> {
    D.shutdownFlags(this.state, dom, flags);
  }
  async domainReboot(dom: DomainRef, flags: number): Promise<void> {
    D.reboot(this.state, dom, flags);
  }
  async domainReset(dom: DomainRef, flags: number): Promise<void> {
    D.reset(this.state, dom, flags);
  }
  async domainSuspend(dom: DomainRef): Promise<void> {
    D.suspend(this.state, dom);
  }
  async domainResume(dom: DomainRef): Promise<void> {
    D.resume(this.state, dom);
  }
  async domainUndefine(dom: DomainRef): Promise<void> {
    D.undefineFlags(this.state, dom, 0);
  }
  async domainUndefineFlags(dom: DomainRef, flags: number): Promise<void> {
    D.undefineFlags(this.state, dom, flags);
  }
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    return I.getInfo(this.state, dom);
  }
  async domainGetState(dom: DomainRef, flags: number): Promise<I.DomainStateReason> {
    return I.getState(this.state, dom, flags);
  }
  async domainGetXMLDesc(dom: DomainRef, flags: number): Promise<string> {
    return I.getXMLDesc(this.state, dom, flags);
  }
  async domainGetOSType(dom: DomainRef): Promise<string> {
    this.state.domObj(dom);
    return 'linux';
  }
  async domainGetSecurityLabel(dom: DomainRef): Promise<SecurityLabel> {
    return securityLabel(this.state, dom);
  }
  async domainGetMessages(dom: DomainRef, flags: number): Promise<string[]> {
    return I.getMessages(this.state, dom, flags);
  }
  async domainGetBlockInfo(dom: DomainRef, disk: string, flags: number): Promise<BlockInfo> {
    return I.getBlockInfo(this.state, dom, disk, flags);
  }
  // --- statistics ---
  async domainListGetStats(doms: DomainRef[], stats: number, flags: number): Promise<DomainStatsRecordRef[]> {
    return St.listGetStats(this.state, doms, stats, flags);
  }
  async domainMemoryStats(dom: DomainRef, nrStats: number, flags: number): Promise<MemoryStat[]> {
    return St.memoryStats(this.state, dom, nrStats, flags);
  }
  async domainSetMemoryStatsPeriod(dom: DomainRef, period: number, flags: number): Promise<void> {
    St.setMemoryStatsPeriod(this.state, dom, period, flags);
  }
  async domainBlockStats(dom: DomainRef, disk: string): Promise<BlockStats> {
    return St.blockStats(this.state, dom, disk);
  }
  async domainInterfaceStats(dom: DomainRef, device: string): Promise<InterfaceStats> {
    return St.interfaceStats(this.state, dom, device);
  }
  async domainGetVcpus(dom: DomainRef, maxinfo: number, maplen: number): Promise<DomainVcpus> {
    return St.getVcpus(this.state, dom, maxinfo, maplen);
  }
  async domainGetVcpuPinInfo(dom: DomainRef, ncpumaps: number, maplen: number, flags: number): Promise<VcpuPinInfo> {
    return Pin.getVcpuPinInfo(this.state, dom, ncpumaps, maplen, flags);
  }
  async domainGetEmulatorPinInfo(dom: DomainRef, maplen: number, flags: number): Promise<EmulatorPinInfo> {
    return Pin.getEmulatorPinInfo(this.state, dom, maplen, flags);
  }
  async domainPinVcpuFlags(dom: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): Promise<void> {
    Pin.pinVcpuFlags(this.state, dom, vcpu, cpumap, flags);
  }
  async domainPinVcpu(dom: DomainRef, vcpu: number, cpumap: Uint8Array): Promise<void> {
    Pin.pinVcpuFlags(this.state, dom, vcpu, cpumap, 0);
  }
  async domainPinEmulator(dom: DomainRef, cpumap: Uint8Array, flags: number): Promise<void> {
    Pin.pinEmulator(this.state, dom, cpumap, flags);
  }
  async domainGetIOThreadInfo(dom: DomainRef, flags: number): Promise<IOThreadInfo[]> {
    return Io.getInfo(this.state, dom, flags);
  }
  async domainPinIOThread(dom: DomainRef, iothreadId: number, cpumap: Uint8Array, flags: number): Promise<void> {
    Io.pin(this.state, dom, iothreadId, cpumap, flags);
  }
  async domainAddIOThread(dom: DomainRef, iothreadId: number, flags: number): Promise<void> {
    Io.add(this.state, dom, iothreadId, flags);
  }
  async domainDelIOThread(dom: DomainRef, iothreadId: number, flags: number): Promise<void> {
    Io.del(this.state, dom, iothreadId, flags);
  }
  async domainSetIOThreadParams(dom: DomainRef, iothreadId: number, params: TypedParams, flags: number): Promise<void> {
    Io.setParams(this.state, dom, iothreadId, params, flags);
  }
  async domainGetBlkioParameters(dom: DomainRef, flags: number): Promise<TypedParams> {
    return Blkio.get(this.state, dom, flags);
  }
  async domainSetBlkioParameters(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    Blkio.set(this.state, dom, params, flags);
  }
  async domainCoreDump(dom: DomainRef, to: string, flags: number): Promise<void> {
    coreDump(this.state, dom, to, DomainCoreDumpFormat.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
  }
  async domainCoreDumpWithFormat(dom: DomainRef, to: string, dumpformat: number, flags: number): Promise<void> {
    coreDump(this.state, dom, to, dumpformat, flags);
  }
  async domainGetBlockIoTune(dom: DomainRef, disk: string | null, flags: number): Promise<TypedParams> {
    return IoTune.getBlockIoTune(this.state, dom, disk, flags);
  }
  async domainGetDiskErrors(dom: DomainRef, flags: number): Promise<DomainDiskError[]> {
    return getDiskErrors(this.state, dom, flags);
  }
  async domainSetBlockIoTune(dom: DomainRef, disk: string, params: TypedParams, flags: number): Promise<void> {
    IoTune.setBlockIoTune(this.state, dom, disk, params, flags);
  }
  async domainGetMemoryParameters(dom: DomainRef, flags: number): Promise<TypedParams> {
    return Mem.getMemory(this.state, dom, flags);
  }
  async domainSetMemoryParameters(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    Mem.setMemory(this.state, dom, params, flags);
  }
  async domainGetNumaParameters(dom: DomainRef, flags: number): Promise<TypedParams> {
    return Mem.getNuma(this.state, dom, flags);
  }
  async domainSetNumaParameters(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    Mem.setNuma(this.state, dom, params, flags);
  }
  async domainGetPerfEvents(dom: DomainRef, flags: number): Promise<TypedParams> {
    return Mem.getPerf(this.state, dom, flags);
  }
  async domainSetPerfEvents(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    Mem.setPerf(this.state, dom, params, flags);
  }
  async domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.state.domObj(dom).active;
  }
  async domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.state.domObj(dom).persistent;
  }
  async domainIsUpdated(_dom: DomainRef): Promise<boolean> {
    return false;
  }
  async domainGetAutostart(dom: DomainRef): Promise<boolean> {
    return I.getAutostart(this.state, dom);
  }
  async domainSetAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    I.setAutostart(this.state, dom, autostart);
  }
  async domainScreenshot(_dom: DomainRef, stream: VirStream, _screen: number, flags: number): Promise<string> {
    return domainScreenshot(stream, flags);
  }
  async domainGetMaxMemory(dom: DomainRef): Promise<number> {
    return maxMemory(this.state.domObj(dom).def);
  }
  async domainSetMaxMemory(dom: DomainRef, memory: Wide): Promise<void> {
    T.setMemoryFlags(this.state, dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM, 'virDomainSetMaxMemory');
  }
  async domainSetMemory(dom: DomainRef, memory: number): Promise<void> {
    I.setMemoryFlags(this.state, dom, memory, DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE);
  }
  async domainSetMemoryFlags(dom: DomainRef, memory: Wide, flags: number): Promise<void> {
    T.setMemoryFlags(this.state, dom, memory, flags);
  }
  async domainSetVcpus(dom: DomainRef, nvcpus: number): Promise<void> {
    T.setVcpusFlags(this.state, dom, nvcpus, DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE, 'virDomainSetVcpus');
  }
  async domainSetVcpusFlags(dom: DomainRef, nvcpus: number, flags: number): Promise<void> {
    T.setVcpusFlags(this.state, dom, nvcpus, flags);
  }
  async domainGetControlInfo(dom: DomainRef, flags: number): Promise<DomainControlInfo> {
    return T.getControlInfo(this.state, dom, flags);
  }
  async domainGetSchedulerType(): Promise<SchedulerType> {
    return T.schedulerType();
  }
  async domainGetSchedulerParameters(dom: DomainRef): Promise<TypedParams> {
    return T.getSchedulerParameters(this.state, dom, 0, false);
  }
  async domainGetSchedulerParametersFlags(dom: DomainRef, flags: number): Promise<TypedParams> {
    return T.getSchedulerParameters(this.state, dom, flags, true);
  }
  async domainSetSchedulerParameters(dom: DomainRef, params: TypedParams): Promise<void> {
    T.setSchedulerParameters(this.state, dom, params, 0);
  }
  async domainSetSchedulerParametersFlags(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    T.setSchedulerParameters(this.state, dom, params, flags);
  }
  async domainGetVcpusFlags(dom: DomainRef, flags: number): Promise<number> {
    checkFlags(
      flags,
      DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE |
        DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG |
        DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM,
      'testDomainGetVcpusFlags',
    );
    const { def } = I.oneDefState(this.state.domObj(dom), flags & ~DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM);
    return flags & DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM ? def.vcpu : vcpus(def);
  }
  async domainGetMaxVcpus(dom: DomainRef): Promise<number> {
    return this.domainGetVcpusFlags(dom, DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE | DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM);
  }
  async domainGetHostname(dom: DomainRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'testDomainGetHostname');
    if (!this.state.domObj(dom).active) throw notRunning();
    return `${dom.name}host`;
  }
  async domainGetTime(dom: DomainRef, flags: number): Promise<DomainTime> {
    return GA.getTime(this.state, dom, flags);
  }
  async domainSetTime(dom: DomainRef, _seconds: Wide, _nseconds: number, flags: number): Promise<void> {
    GA.setTime(this.state, dom, flags);
  }
  async domainSetUserPassword(dom: DomainRef, _user: string, _password: string, flags: number): Promise<void> {
    GA.setUserPassword(this.state, dom, flags);
  }
  async domainFSFreeze(dom: DomainRef, mountpoints: string[], flags: number): Promise<number> {
    return GA.fsFreeze(this.state, dom, mountpoints, flags);
  }
  async domainFSThaw(dom: DomainRef, mountpoints: string[], flags: number): Promise<number> {
    return GA.fsThaw(this.state, dom, mountpoints, flags);
  }
  async domainGetFSInfo(dom: DomainRef, flags: number): Promise<DomainFSInfo[]> {
    return GA.getFSInfo(this.state, dom, flags);
  }
  async domainInjectNMI(dom: DomainRef, flags: number): Promise<void> {
    DS.injectNMI(this.state, dom, flags);
  }
  async domainSendKey(dom: DomainRef, _codeset: number, _holdtime: number, _keycodes: number[], flags: number): Promise<void> {
    DS.sendKey(this.state, dom, flags);
  }
  async domainRename(dom: DomainRef, newName: string | null, flags: number): Promise<number> {
    return DS.rename(this.state, dom, newName, flags);
  }
  async domainGetMetadata(dom: DomainRef, type: number, uri: string | null, flags: number): Promise<string> {
    return DS.getMetadata(this.state, dom, type, uri, flags);
  }
  async domainSetMetadata(
    dom: DomainRef,
    type: number,
    metadata: string | null,
    key: string | null,
    uri: string | null,
    flags: number,
  ): Promise<void> {
    DS.setMetadata(this.state, dom, type, metadata, key, uri, flags);
  }
  async domainSave(dom: DomainRef, to: string): Promise<void> {
    DS.saveFlags(this.state, dom, to, null, 0);
  }
  async domainSaveFlags(dom: DomainRef, to: string, dxml: string | null, flags: number): Promise<void> {
    DS.saveFlags(this.state, dom, to, dxml, flags);
  }
  async domainRestore(from: string): Promise<void> {
    DS.restoreFlags(this.state, from, null, 0);
  }
  async domainSaveImageGetXMLDesc(file: string, flags: number): Promise<string> {
    return DS.saveImageGetXMLDesc(file, flags);
  }
  async domainSaveImageDefineXML(file: string, dxml: string, flags: number): Promise<void> {
    DS.saveImageDefineXML(file, dxml, flags);
  }
  async domainRestoreFlags(from: string, dxml: string | null, flags: number): Promise<void> {
    DS.restoreFlags(this.state, from, dxml, flags);
  }
  async domainManagedSave(dom: DomainRef, flags: number): Promise<void> {
    I.managedSave(this.state, dom, flags);
  }
  async domainHasManagedSaveImage(dom: DomainRef, flags: number): Promise<boolean> {
    return I.hasManagedSaveImage(this.state, dom, flags);
  }
  async domainManagedSaveRemove(dom: DomainRef, flags: number): Promise<void> {
    I.managedSaveRemove(this.state, dom, flags);
  }

  // --- snapshots ---
  async domainSnapshotCreateXML(dom: DomainRef, xml: string, flags: number): Promise<DomainSnapshotRef> {
    return S.createXML(this.state, dom, xml, flags);
  }
  async domainListAllSnapshots(dom: DomainRef, flags: number): Promise<DomainSnapshotRef[]> {
    return S.listAll(this.state, dom, flags);
  }
  async domainSnapshotNum(dom: DomainRef, flags: number): Promise<number> {
    return S.listAll(this.state, dom, flags, 'testDomainSnapshotNum').length;
  }
  async domainSnapshotListNames(dom: DomainRef, maxnames: number, flags: number): Promise<string[]> {
    return S.listAll(this.state, dom, flags, 'testDomainSnapshotListNames')
      .slice(0, maxnames)
      .map((s) => s.name);
  }
  async domainSnapshotListAllChildren(snapshot: DomainSnapshotRef, flags: number): Promise<DomainSnapshotRef[]> {
    return S.listAllChildren(this.state, snapshot, flags);
  }
  async domainSnapshotNumChildren(snapshot: DomainSnapshotRef, flags: number): Promise<number> {
    return S.listAllChildren(this.state, snapshot, flags, 'testDomainSnapshotNumChildren').length;
  }
  async domainSnapshotListChildrenNames(snapshot: DomainSnapshotRef, maxnames: number, flags: number): Promise<string[]> {
    return S.listAllChildren(this.state, snapshot, flags, 'testDomainSnapshotListChildrenNames')
      .slice(0, maxnames)
      .map((s) => s.name);
  }
  async domainSnapshotLookupByName(dom: DomainRef, name: string, flags: number): Promise<DomainSnapshotRef> {
    return S.lookupByName(this.state, dom, name, flags);
  }
  async domainHasCurrentSnapshot(dom: DomainRef, flags: number): Promise<boolean> {
    return S.hasCurrent(this.state, dom, flags);
  }
  async domainSnapshotCurrent(dom: DomainRef, flags: number): Promise<DomainSnapshotRef> {
    return S.current(this.state, dom, flags);
  }
  async domainSnapshotGetParent(snapshot: DomainSnapshotRef, flags: number): Promise<DomainSnapshotRef> {
    return S.getParent(this.state, snapshot, flags);
  }
  async domainSnapshotGetXMLDesc(snapshot: DomainSnapshotRef, flags: number): Promise<string> {
    return S.getXMLDesc(this.state, snapshot, flags);
  }
  async domainSnapshotIsCurrent(snapshot: DomainSnapshotRef, flags: number): Promise<boolean> {
    return S.isCurrent(this.state, snapshot, flags);
  }
  async domainSnapshotHasMetadata(snapshot: DomainSnapshotRef, flags: number): Promise<boolean> {
    return S.hasMetadata(this.state, snapshot, flags);
  }
  async domainRevertToSnapshot(snapshot: DomainSnapshotRef, flags: number): Promise<void> {
    S.revert(this.state, snapshot, flags);
  }
  async domainSnapshotDelete(snapshot: DomainSnapshotRef, flags: number): Promise<void> {
    S.deleteSnapshot(this.state, snapshot, flags);
  }

  // --- checkpoints ---
  async domainCheckpointCreateXML(dom: DomainRef, xml: string, flags: number): Promise<DomainCheckpointRef> {
    return C.createXML(this.state, dom, xml, flags);
  }
  async domainListAllCheckpoints(dom: DomainRef, flags: number): Promise<DomainCheckpointRef[]> {
    return C.listAll(this.state, dom, flags);
  }
  async domainCheckpointListAllChildren(checkpoint: DomainCheckpointRef, flags: number): Promise<DomainCheckpointRef[]> {
    return C.listAllChildren(this.state, checkpoint, flags);
  }
  async domainCheckpointLookupByName(dom: DomainRef, name: string, flags: number): Promise<DomainCheckpointRef> {
    return C.lookupByName(this.state, dom, name, flags);
  }
  async domainCheckpointGetParent(checkpoint: DomainCheckpointRef, flags: number): Promise<DomainCheckpointRef> {
    return C.getParent(this.state, checkpoint, flags);
  }
  async domainCheckpointGetXMLDesc(checkpoint: DomainCheckpointRef, flags: number): Promise<string> {
    return C.getXMLDesc(this.state, checkpoint, flags);
  }
  async domainCheckpointDelete(checkpoint: DomainCheckpointRef, flags: number): Promise<void> {
    C.deleteCheckpoint(this.state, checkpoint, flags);
  }

  // --- networks ---
  async connectNumOfNetworks(): Promise<number> {
    return N.names(this.state, true).length;
  }
  async connectListNetworks(maxnames: number): Promise<string[]> {
    return N.names(this.state, true).slice(0, maxnames);
  }
  async connectNumOfDefinedNetworks(): Promise<number> {
    return N.names(this.state, false).length;
  }
  async connectListDefinedNetworks(maxnames: number): Promise<string[]> {
    return N.names(this.state, false).slice(0, maxnames);
  }
  async connectListAllNetworks(flags: number): Promise<NetworkRef[]> {
    return N.listAll(this.state, flags);
  }
  async networkLookupByName(name: string): Promise<NetworkRef> {
    return N.lookupByName(this.state, name);
  }
  async networkLookupByUUIDString(uuid: string): Promise<NetworkRef> {
    return N.lookupByUUID(this.state, uuid);
  }
  async networkCreateXML(xml: string): Promise<NetworkRef> {
    return N.createXML(this.state, xml, 0);
  }
  async networkCreateXMLFlags(xml: string, flags: number): Promise<NetworkRef> {
    return N.createXML(this.state, xml, flags);
  }
  async networkDefineXML(xml: string): Promise<NetworkRef> {
    return N.defineXML(this.state, xml, 0);
  }
  async networkDefineXMLFlags(xml: string, flags: number): Promise<NetworkRef> {
    return N.defineXML(this.state, xml, flags);
  }
  async networkUndefine(net: NetworkRef): Promise<void> {
    N.undefine(this.state, net);
  }
  async networkCreate(net: NetworkRef): Promise<void> {
    N.start(this.state, net);
  }
  async networkDestroy(net: NetworkRef): Promise<void> {
    N.destroy(this.state, net);
  }
  async networkGetXMLDesc(net: NetworkRef, flags: number): Promise<string> {
    return N.getXMLDesc(this.state, net, flags);
  }
  async networkGetBridgeName(net: NetworkRef): Promise<string> {
    return N.bridgeName(this.state, net);
  }
  async networkGetAutostart(net: NetworkRef): Promise<boolean> {
    return N.getAutostart(this.state, net);
  }
  async networkSetAutostart(net: NetworkRef, autostart: boolean): Promise<void> {
    N.setAutostart(this.state, net, autostart);
  }
  async networkUpdate(net: NetworkRef, command: number, section: number, parentIndex: number, xml: string, flags: number): Promise<void> {
    N.update(this.state, net, command, section, parentIndex, xml, flags);
  }
  async networkIsActive(net: NetworkRef): Promise<boolean> {
    return N.isActive(this.state, net);
  }
  async networkIsPersistent(net: NetworkRef): Promise<boolean> {
    return N.isPersistent(this.state, net);
  }

  // --- host interfaces ---
  async connectNumOfInterfaces(): Promise<number> {
    return If.names(this.state, true).length;
  }
  async connectListInterfaces(maxnames: number): Promise<string[]> {
    return If.names(this.state, true).slice(0, maxnames);
  }
  async connectNumOfDefinedInterfaces(): Promise<number> {
    return If.names(this.state, false).length;
  }
  async connectListDefinedInterfaces(maxnames: number): Promise<string[]> {
    return If.names(this.state, false).slice(0, maxnames);
  }
  async connectListAllInterfaces(flags: number): Promise<InterfaceRef[]> {
    return If.listAll(this.state, flags);
  }
  async interfaceLookupByName(name: string): Promise<InterfaceRef> {
    return If.lookupByName(this.state, name);
  }
  async interfaceLookupByMACString(mac: string): Promise<InterfaceRef> {
    return If.lookupByMAC(this.state, mac);
  }
  async interfaceGetXMLDesc(iface: InterfaceRef, flags: number): Promise<string> {
    return If.getXMLDesc(this.state, iface, flags);
  }
  async interfaceDefineXML(xml: string, flags: number): Promise<InterfaceRef> {
    return If.defineXML(this.state, xml, flags);
  }
  async interfaceUndefine(iface: InterfaceRef): Promise<void> {
    If.undefine(this.state, iface);
  }
  async interfaceCreate(iface: InterfaceRef, flags: number): Promise<void> {
    If.setActive(this.state, iface, true, flags);
  }
  async interfaceDestroy(iface: InterfaceRef, flags: number): Promise<void> {
    If.setActive(this.state, iface, false, flags);
  }
  async interfaceIsActive(iface: InterfaceRef): Promise<boolean> {
    return If.isActive(this.state, iface);
  }
  async connectGetCPUModelNames(arch: string, flags: number): Promise<string[]> {
    return getCPUModelNames(arch, flags);
  }
  async connectBaselineCPU(xmlCPUs: string[], flags: number): Promise<string> {
    return baselineCPU(xmlCPUs, flags);
  }
  async nodeNumOfDevices(cap: string | null, flags: number): Promise<number> {
    return Nd.names(this.state, cap, flags, 'testNodeNumOfDevices').length;
  }
  async nodeListDevices(cap: string | null, maxnames: number, flags: number): Promise<string[]> {
    return Nd.names(this.state, cap, flags, 'testNodeListDevices').slice(0, maxnames);
  }
  async connectListAllNodeDevices(flags: number): Promise<NodeDeviceRef[]> {
    return Nd.listAll(this.state, flags);
  }
  async nodeDeviceLookupByName(name: string): Promise<NodeDeviceRef> {
    return Nd.lookupByName(this.state, name);
  }
  async nodeDeviceGetXMLDesc(dev: NodeDeviceRef, flags: number): Promise<string> {
    return Nd.getXMLDesc(this.state, dev, flags);
  }
  async nodeDeviceGetParent(dev: NodeDeviceRef): Promise<string | null> {
    return Nd.getParent(this.state, dev);
  }
  async nodeDeviceNumOfCaps(dev: NodeDeviceRef): Promise<number> {
    return Nd.listCaps(this.state, dev).length;
  }
  async nodeDeviceListCaps(dev: NodeDeviceRef, maxnames: number): Promise<string[]> {
    return Nd.listCaps(this.state, dev).slice(0, maxnames);
  }
  async nodeDeviceCreateXML(xml: string, flags: number): Promise<NodeDeviceRef> {
    return Nd.createXML(this.state, xml, flags);
  }
  async nodeDeviceDestroy(dev: NodeDeviceRef): Promise<void> {
    Nd.destroy(this.state, dev);
  }
  async interfaceChangeBegin(flags: number): Promise<void> {
    If.changeBegin(this.state, flags);
  }
  async interfaceChangeCommit(flags: number): Promise<void> {
    If.changeCommit(this.state, flags);
  }
  async interfaceChangeRollback(flags: number): Promise<void> {
    If.changeRollback(this.state, flags);
  }

  // --- storage pools ---
  async connectListAllStoragePools(flags: number): Promise<StoragePoolRef[]> {
    return P.listAllPools(this.state, flags);
  }
  async connectNumOfStoragePools(): Promise<number> {
    return P.poolNames(this.state, true).length;
  }
  async connectListStoragePools(maxnames: number): Promise<string[]> {
    return P.poolNames(this.state, true).slice(0, maxnames);
  }
  async connectNumOfDefinedStoragePools(): Promise<number> {
    return P.poolNames(this.state, false).length;
  }
  async connectListDefinedStoragePools(maxnames: number): Promise<string[]> {
    return P.poolNames(this.state, false).slice(0, maxnames);
  }
  async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    return P.lookupPoolByName(this.state, name);
  }
  async storagePoolLookupByUUIDString(uuid: string): Promise<StoragePoolRef> {
    return P.lookupPoolByUUID(this.state, uuid);
  }
  async storagePoolLookupByVolume(vol: StorageVolRef): Promise<StoragePoolRef> {
    return P.lookupPoolByVolume(this.state, vol);
  }
  async storagePoolCreateXML(xml: string, flags: number): Promise<StoragePoolRef> {
    return P.createPoolXML(this.state, xml, flags);
  }
  async storagePoolDefineXML(xml: string, flags: number): Promise<StoragePoolRef> {
    return P.definePoolXML(this.state, xml, flags);
  }
  async storagePoolBuild(pool: StoragePoolRef, flags: number): Promise<void> {
    P.buildPool(this.state, pool, flags);
  }
  async storagePoolUndefine(pool: StoragePoolRef): Promise<void> {
    P.undefinePool(this.state, pool);
  }
  async storagePoolCreate(pool: StoragePoolRef, flags: number): Promise<void> {
    P.createPool(this.state, pool, flags);
  }
  async storagePoolDestroy(pool: StoragePoolRef): Promise<void> {
    P.destroyPool(this.state, pool);
  }
  async storagePoolDelete(pool: StoragePoolRef, flags: number): Promise<void> {
    P.deletePool(this.state, pool, flags);
  }
  async storagePoolRefresh(pool: StoragePoolRef, flags: number): Promise<void> {
    P.refreshPool(this.state, pool, flags);
  }
  async storagePoolGetInfo(pool: StoragePoolRef): Promise<P.StoragePoolInfo> {
    return P.poolInfo(this.state, pool);
  }
  async storagePoolGetXMLDesc(pool: StoragePoolRef, flags: number): Promise<string> {
    return P.poolXML(this.state, pool, flags);
  }
  async storagePoolGetAutostart(pool: StoragePoolRef): Promise<boolean> {
    return P.poolGetAutostart(this.state, pool);
  }
  async storagePoolSetAutostart(pool: StoragePoolRef, autostart: boolean): Promise<void> {
    P.poolSetAutostart(this.state, pool, autostart);
  }
  async storagePoolIsActive(pool: StoragePoolRef): Promise<boolean> {
    return P.poolIsActive(this.state, pool);
  }
  async storagePoolIsPersistent(pool: StoragePoolRef): Promise<boolean> {
    return P.poolIsPersistent(this.state, pool);
  }
  async storagePoolNumOfVolumes(pool: StoragePoolRef): Promise<number> {
    return P.numOfVolumes(this.state, pool);
  }
  async storagePoolListVolumes(pool: StoragePoolRef, maxnames: number): Promise<string[]> {
    return P.listVolumes(this.state, pool).slice(0, maxnames);
  }
  async storagePoolListAllVolumes(pool: StoragePoolRef, flags: number): Promise<StorageVolRef[]> {
    return P.listAllVolumes(this.state, pool, flags);
  }

  // --- storage volumes ---
  async storageVolLookupByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
    return P.volLookupByName(this.state, pool, name);
  }
  async storageVolLookupByKey(key: string): Promise<StorageVolRef> {
    return P.volLookupByKey(this.state, key);
  }
  async storageVolLookupByPath(path: string): Promise<StorageVolRef> {
    return P.volLookupByPath(this.state, path);
  }
  async storageVolCreateXML(pool: StoragePoolRef, xml: string, flags: number): Promise<StorageVolRef> {
    return P.volCreateXML(this.state, pool, xml, flags);
  }
  async storageVolCreateXMLFrom(pool: StoragePoolRef, xml: string, clonevol: StorageVolRef, flags: number): Promise<StorageVolRef> {
    return P.volCreateXMLFrom(this.state, pool, xml, clonevol, flags);
  }
  async storageVolDelete(vol: StorageVolRef, flags: number): Promise<void> {
    P.volDelete(this.state, vol, flags);
  }
  async storageVolWipe(vol: StorageVolRef, flags: number): Promise<void> {
    V.volWipe(this.state, vol, flags);
  }
  async storageVolGetInfo(vol: StorageVolRef): Promise<P.StorageVolInfo> {
    return P.volInfo(this.state, vol);
  }
  async storageVolGetXMLDesc(vol: StorageVolRef, flags: number): Promise<string> {
    return P.volXML(this.state, vol, flags);
  }
  async storageVolGetPath(vol: StorageVolRef): Promise<string> {
    return P.volPath(this.state, vol);
  }
  async storageVolResize(vol: StorageVolRef, capacity: number, flags: number): Promise<void> {
    V.volResize(this.state, vol, capacity, flags);
  }
  async storageVolUpload(vol: StorageVolRef, stream: VirStream, offset: number, length: number, flags: number): Promise<void> {
    return V.volUpload(this.state, vol, stream, offset, length, flags);
  }
  async storageVolDownload(vol: StorageVolRef, stream: VirStream, offset: number, length: number, flags: number): Promise<void> {
    return V.volDownload(this.state, vol, stream, offset, length, flags);
  }
}
