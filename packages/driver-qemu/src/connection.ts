/**
 * A connection to the QEMU driver: the SPI methods, each a thin call into the per-area modules
 * (`domains/`, `host/`) over the driver state shared by this process' connections to the same
 * URI. Extension modules add their SPI methods through `connection-extensions.ts`.
 */
import { hostname } from 'node:os';
import {
  DomainCreateFlags,
  DomainModificationImpact,
  DomainMemoryModFlags,
  LIBVIRT_COMPAT_VERSION,
  type BlockInfo,
  type BlockStats,
  type DomainControlInfo,
  type DomainInfo,
  type DomainStatsRecordRef,
  type MemoryStat,
  type SecurityLabel,
  type SecurityModel,
  type DomainRef,
  type DomainStateInfo,
  type DriverConnection,
  type DriverEvents,
  type NodeCPUMap,
  type NodeInfo,
  type NodeStat,
  type SecretRef,
  type NodeDeviceRef,
  type VcpuPinInfo,
  type IOThreadInfo,
  type TypedParams,
  DomainCoreDumpFormat,
  type EmulatorPinInfo,
  type OpenOptions,
  type DomainDiskError,
  type Wide,
} from '@virtkit/core';
import { connectionExtensions } from './connection-extensions';
import { blockInfo } from './domains/block-info';
import { getControlInfo } from './domains/control-info';
import { getBlockIoTune, setBlockIoTune } from './domains/iotune';
import { setBlockThreshold } from './domains/block-threshold';
import { getDiskErrors } from './domains/disk-errors';
import { startDirtyRateCalc } from './domains/dirty-rate';
import { coreDumpWithFormat } from './save/core-dump';
import * as St from './domains/stats';
import * as A from './domains/define';
import * as L from './domains/control';
import * as I from './domains/info';
import { checkFlags, configUnsupported } from './domains/errors';
import { domainXmlToQemuArgv } from './command/native';
import { nativeConversionContext } from './command/native-context';
import { hostDriverConfig } from './host/build-context';
import { capabilitiesXml } from './host/capabilities';
import { domainCapabilitiesXml } from './host/domain-capabilities';
import { nodeInfo } from './host/node-info';
import * as N from './host/node-stats';
import * as Sec from './secrets/calls';
import * as Nd from './nodedev/calls';
import { getCPUModelNames } from './cpu/models';
import { baselineCpuXml, baselineHypervisorCpuXml } from './cpu/host-baseline';
import { compareCpu, compareHypervisorCpu } from './cpu/host-compare';
import * as Pin from './domains/pinning';
import * as Io from './domains/iothreads';
import { setMemoryStatsPeriod } from './domains/balloon-period';
import * as SC from './domains/state-calls';
import { setMemoryFlags } from './domains/memory';
import { setVcpusFlags } from './domains/vcpus';
import type { QemuDriver } from './qemu-driver';

export class QemuConnection implements DriverConnection {
  readonly events: DriverEvents;
  private closed = false;
  /** Domains started with VIR_DOMAIN_START_AUTODESTROY: destroyed when this connection closes. */
  private readonly autoDestroy = new Set<string>();
  /** What the extensions registered to run at close. */
  private readonly closeHooks: Array<() => Promise<void>> = [];

  constructor(
    readonly driver: QemuDriver,
    readonly opts: OpenOptions,
    private readonly release: () => Promise<void>,
  ) {
    this.events = { subscribe: (l) => driver.subscribe(l) };
    const scope = { onClose: (fn: () => Promise<void>) => void this.closeHooks.push(fn) };
    for (const ext of connectionExtensions) Object.assign(this, ext(driver, scope));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks) await hook().catch(() => undefined);
    for (const uuid of this.autoDestroy) {
      const obj = this.driver.domains.findByUuid(uuid);
      if (obj?.active) await L.destroy(this.driver, obj.ref(), 0).catch(() => undefined);
    }
    await this.release();
  }

  // --- connection and node ---
  async connectGetType(): Promise<string> {
    return 'QEMU';
  }
  async connectGetLibVersion(): Promise<number> {
    return LIBVIRT_COMPAT_VERSION;
  }
  async connectGetVersion(): Promise<number> {
    return (await this.driver.caps()).version;
  }
  async connectGetHostname(): Promise<string> {
    return hostname();
  }
  async connectGetCapabilities(): Promise<string> {
    return capabilitiesXml(await this.driver.caps());
  }
  async connectGetDomainCapabilities(
    emulatorbin: string | null,
    arch: string | null,
    machine: string | null,
    virttype: string | null,
    flags: number,
  ): Promise<string> {
    checkFlags(flags, 0, 'qemuConnectGetDomainCapabilities');
    return domainCapabilitiesXml(await this.driver.caps(), { emulator: emulatorbin, arch, machine, virttype });
  }
  async nodeGetInfo(): Promise<NodeInfo> {
    return nodeInfo();
  }
  async nodeGetCPUMap(flags: number): Promise<NodeCPUMap> {
    checkFlags(flags, 0, 'qemuNodeGetCPUMap');
    return N.cpuMap();
  }
  async nodeGetCPUStats(cpuNum: number, flags: number): Promise<NodeStat[]> {
    checkFlags(flags, 0, 'qemuNodeGetCPUStats');
    return N.cpuStats(cpuNum);
  }
  async nodeGetMemoryStats(cellNum: number, flags: number): Promise<NodeStat[]> {
    checkFlags(flags, 0, 'qemuNodeGetMemoryStats');
    return N.memoryStats(cellNum);
  }
  async nodeGetFreeMemory(): Promise<number> {
    return N.freeMemory();
  }
  async nodeGetCellsFreeMemory(startCell: number, maxCells: number): Promise<number[]> {
    return N.cellsFreeMemory(startCell, maxCells);
  }
  async connectDomainXMLToNative(nativeFormat: string, domainXml: string, flags: number): Promise<string> {
    checkFlags(flags, 0, 'qemuConnectDomainXMLToNative');
    if (nativeFormat !== 'qemu-argv') throw configUnsupported(`Unsupported config type ${nativeFormat}`);
    // The command line this driver would run, with placeholders for what a start would create.
    const caps = await this.driver.caps();
    const config = hostDriverConfig(this.driver.paths, caps.flags.has('seccomp-sandbox'));
    return domainXmlToQemuArgv(domainXml, caps, nativeConversionContext(config));
  }

  // --- domain lists and lookups ---
  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.driver.domains.filter(flags, (d) => this.driver.facts(d));
  }
  async connectNumOfDomains(): Promise<number> {
    return this.driver.domains.all().filter((d) => d.active).length;
  }
  async connectListDomains(maxids: number): Promise<number[]> {
    return this.driver.domains
      .all()
      .filter((d) => d.active)
      .map((d) => d.id)
      .slice(0, maxids);
  }
  async connectNumOfDefinedDomains(): Promise<number> {
    return this.driver.domains.all().filter((d) => !d.active).length;
  }
  async connectListDefinedDomains(maxnames: number): Promise<string[]> {
    return this.driver.domains
      .all()
      .filter((d) => !d.active)
      .map((d) => d.name)
      .slice(0, maxnames);
  }
  async domainLookupByName(name: string): Promise<DomainRef> {
    return this.driver.domains.lookupByName(name);
  }
  async domainLookupByUUIDString(uuid: string): Promise<DomainRef> {
    return this.driver.domains.lookupByUuid(uuid);
  }
  async domainLookupByID(id: number): Promise<DomainRef> {
    return this.driver.domains.lookupById(id);
  }

  // --- definition and lifecycle ---
  async domainDefineXML(xml: string): Promise<DomainRef> {
    return A.defineXML(this.driver, xml, 0);
  }
  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    return A.defineXML(this.driver, xml, flags);
  }
  async domainUndefine(dom: DomainRef): Promise<void> {
    await A.undefine(this.driver, dom, 0);
  }
  async domainUndefineFlags(dom: DomainRef, flags: number): Promise<void> {
    await A.undefine(this.driver, dom, flags);
  }
  async domainCreateXML(xml: string, flags: number): Promise<DomainRef> {
    const ref = await A.createXML(this.driver, xml, flags);
    if (flags & DomainCreateFlags.VIR_DOMAIN_START_AUTODESTROY) this.autoDestroy.add(ref.uuid);
    return ref;
  }
  async domainCreate(dom: DomainRef): Promise<void> {
    await this.domainCreateWithFlags(dom, 0);
  }
  async domainCreateWithFlags(dom: DomainRef, flags: number): Promise<void> {
    await A.create(this.driver, dom, flags);
    if (flags & DomainCreateFlags.VIR_DOMAIN_START_AUTODESTROY) this.autoDestroy.add(dom.uuid);
  }
  async domainDestroy(dom: DomainRef): Promise<void> {
    await L.destroy(this.driver, dom, 0);
  }
  async domainDestroyFlags(dom: DomainRef, flags: number): Promise<void> {
    await L.destroy(this.driver, dom, flags);
  }
  async domainShutdown(dom: DomainRef): Promise<void> {
    await L.shutdown(this.driver, dom, 0);
  }
  async domainShutdownFlags(dom: DomainRef, flags: number): Promise<void> {
    await L.shutdown(this.driver, dom, flags);
  }
  async domainReboot(dom: DomainRef, flags: number): Promise<void> {
    await L.reboot(this.driver, dom, flags);
  }
  async domainReset(dom: DomainRef, flags: number): Promise<void> {
    await L.reset(this.driver, dom, flags);
  }
  async domainSuspend(dom: DomainRef): Promise<void> {
    await L.suspend(this.driver, dom);
  }
  async domainResume(dom: DomainRef): Promise<void> {
    await L.resume(this.driver, dom);
  }

  // --- domain information ---
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    return I.getInfo(this.driver, dom);
  }
  async domainGetMaxMemory(dom: DomainRef): Promise<number> {
    return I.getMaxMemory(this.driver, dom);
  }
  async domainGetState(dom: DomainRef, flags: number): Promise<DomainStateInfo> {
    return I.getState(this.driver, dom, flags);
  }
  async domainGetControlInfo(dom: DomainRef, flags: number): Promise<DomainControlInfo> {
    return getControlInfo(this.driver, dom, flags);
  }
  async domainGetXMLDesc(dom: DomainRef, flags: number): Promise<string> {
    return I.getXMLDesc(this.driver, dom, flags);
  }
  async domainGetOSType(dom: DomainRef): Promise<string> {
    return this.driver.domains.get(dom).def.os.type;
  }
  async domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.driver.domains.get(dom).active;
  }
  async domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.driver.domains.get(dom).persistent;
  }
  async domainGetAutostart(dom: DomainRef): Promise<boolean> {
    return I.getAutostart(this.driver, dom);
  }
  async domainSetAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    await I.setAutostart(this.driver, dom, autostart);
  }
  /** qemu.conf `security_driver = "none"`: no model, DOI 0, and no labels (what libvirt reports then). */
  async nodeGetSecurityModel(): Promise<SecurityModel> {
    return { model: 'none', doi: '0' };
  }
  async domainGetSecurityLabel(dom: DomainRef): Promise<SecurityLabel> {
    this.driver.domains.get(dom);
    return { label: '', enforcing: 0 };
  }
  domainCoreDump(dom: DomainRef, to: string, flags: number): Promise<void> {
    return coreDumpWithFormat(this.driver, dom, to, DomainCoreDumpFormat.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
  }
  domainCoreDumpWithFormat(dom: DomainRef, to: string, dumpformat: number, flags: number): Promise<void> {
    return coreDumpWithFormat(this.driver, dom, to, dumpformat, flags);
  }
  domainGetBlockIoTune(dom: DomainRef, disk: string | null, flags: number): Promise<TypedParams> {
    return getBlockIoTune(this.driver, dom, disk, flags);
  }
  domainSetBlockIoTune(dom: DomainRef, disk: string, params: TypedParams, flags: number): Promise<void> {
    return setBlockIoTune(this.driver, dom, disk, params, flags);
  }
  domainSetBlockThreshold(dom: DomainRef, dev: string, threshold: Wide, flags: number): Promise<void> {
    return setBlockThreshold(this.driver, dom, dev, threshold, flags);
  }
  domainGetDiskErrors(dom: DomainRef, flags: number): Promise<DomainDiskError[]> {
    return getDiskErrors(this.driver, dom, flags);
  }
  domainStartDirtyRateCalc(dom: DomainRef, seconds: number, flags: number): Promise<void> {
    return startDirtyRateCalc(this.driver, dom, seconds, flags);
  }
  async domainGetBlockInfo(dom: DomainRef, disk: string, flags: number): Promise<BlockInfo> {
    return blockInfo(this.driver, dom, disk, flags);
  }
  async domainListGetStats(doms: DomainRef[], stats: number, flags: number): Promise<DomainStatsRecordRef[]> {
    return St.listGetStats(this.driver, doms, stats, flags);
  }
  async domainMemoryStats(dom: DomainRef, nrStats: number, flags: number): Promise<MemoryStat[]> {
    return St.memoryStats(this.driver, dom, nrStats, flags);
  }
  async domainBlockStats(dom: DomainRef, disk: string): Promise<BlockStats> {
    return St.blockStats(this.driver, dom, disk);
  }
  async domainSetMemoryFlags(dom: DomainRef, memory: number, flags: number): Promise<void> {
    return setMemoryFlags(this.driver, dom, memory, flags);
  }
  async domainInjectNMI(dom: DomainRef, flags: number): Promise<void> {
    return SC.injectNMI(this.driver, dom, flags);
  }
  async domainGetMetadata(dom: DomainRef, type: number, uri: string | null, flags: number): Promise<string> {
    return SC.getMetadata(this.driver, dom, type, uri, flags);
  }
  async domainSetMetadata(
    dom: DomainRef,
    type: number,
    metadata: string | null,
    key: string | null,
    uri: string | null,
    flags: number,
  ): Promise<void> {
    return SC.setMetadata(this.driver, dom, type, metadata, key, uri, flags);
  }
  async domainSetMemoryStatsPeriod(dom: DomainRef, period: number, flags: number): Promise<void> {
    return setMemoryStatsPeriod(this.driver, dom, period, flags);
  }
  async domainSetMemory(dom: DomainRef, memory: number): Promise<void> {
    return setMemoryFlags(this.driver, dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_LIVE);
  }
  async domainSetMaxMemory(dom: DomainRef, memory: number): Promise<void> {
    return setMemoryFlags(this.driver, dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM);
  }
  async domainSetVcpusFlags(dom: DomainRef, nvcpus: number, flags: number): Promise<void> {
    return setVcpusFlags(this.driver, dom, nvcpus, flags);
  }
  // --- secrets ---
  private get secrets() {
    return Sec.storeOf(this.driver.paths);
  }
  async secretDefineXML(xml: string, flags: number): Promise<SecretRef> {
    return Sec.defineXML(this.secrets, xml, flags);
  }
  async secretLookupByUUIDString(uuid: string): Promise<SecretRef> {
    return Sec.lookupByUUID(this.secrets, uuid);
  }
  async secretLookupByUsage(usageType: number, usageID: string): Promise<SecretRef> {
    return Sec.lookupByUsage(this.secrets, usageType, usageID);
  }
  async connectListAllSecrets(flags: number): Promise<SecretRef[]> {
    return Sec.listAll(this.secrets, flags);
  }
  async connectNumOfSecrets(): Promise<number> {
    return this.secrets.all().length;
  }
  async secretGetXMLDesc(secret: SecretRef, flags: number): Promise<string> {
    return Sec.getXMLDesc(this.secrets, secret, flags);
  }
  async secretSetValue(secret: SecretRef, value: Uint8Array, flags: number): Promise<void> {
    return Sec.setValue(this.secrets, secret, value, flags);
  }
  async secretGetValue(secret: SecretRef, flags: number): Promise<Uint8Array> {
    return Sec.getValue(this.secrets, secret, flags);
  }
  async secretUndefine(secret: SecretRef): Promise<void> {
    return Sec.undefine(this.secrets, secret);
  }
  async connectGetCPUModelNames(arch: string, flags: number): Promise<string[]> {
    return getCPUModelNames(arch, flags);
  }
  async connectCompareCPU(xmlDesc: string, flags: number): Promise<number> {
    return compareCpu(xmlDesc, flags);
  }
  async connectCompareHypervisorCPU(
    emulator: string | null,
    arch: string | null,
    machine: string | null,
    virttype: string | null,
    xmlCPU: string,
    flags: number,
  ): Promise<number> {
    return compareHypervisorCpu(this.driver, { emulator, arch, machine, virttype }, xmlCPU, flags);
  }
  async connectBaselineCPU(xmlCPUs: string[], flags: number): Promise<string> {
    return baselineCpuXml(xmlCPUs, flags);
  }
  async connectBaselineHypervisorCPU(
    emulator: string | null,
    arch: string | null,
    machine: string | null,
    virttype: string | null,
    xmlCPUs: string[],
    flags: number,
  ): Promise<string> {
    return baselineHypervisorCpuXml(this.driver, { emulator, arch, machine, virttype }, xmlCPUs, flags);
  }
  async domainPinVcpuFlags(dom: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): Promise<void> {
    return Pin.pinVcpuFlags(this.driver, dom, vcpu, cpumap, flags);
  }
  async domainPinVcpu(dom: DomainRef, vcpu: number, cpumap: Uint8Array): Promise<void> {
    return Pin.pinVcpuFlags(this.driver, dom, vcpu, cpumap, DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE);
  }
  async domainGetVcpuPinInfo(dom: DomainRef, ncpumaps: number, maplen: number, flags: number): Promise<VcpuPinInfo> {
    return Pin.getVcpuPinInfo(this.driver, dom, ncpumaps, maplen, flags);
  }
  async domainPinEmulator(dom: DomainRef, cpumap: Uint8Array, flags: number): Promise<void> {
    return Pin.pinEmulator(this.driver, dom, cpumap, flags);
  }
  async domainGetEmulatorPinInfo(dom: DomainRef, maplen: number, flags: number): Promise<EmulatorPinInfo> {
    return Pin.getEmulatorPinInfo(this.driver, dom, maplen, flags);
  }
  async domainGetIOThreadInfo(dom: DomainRef, flags: number): Promise<IOThreadInfo[]> {
    return Io.getInfo(this.driver, dom, flags);
  }
  async domainAddIOThread(dom: DomainRef, iothreadId: number, flags: number): Promise<void> {
    return Io.add(this.driver, dom, iothreadId, flags);
  }
  async domainDelIOThread(dom: DomainRef, iothreadId: number, flags: number): Promise<void> {
    return Io.del(this.driver, dom, iothreadId, flags);
  }
  async domainPinIOThread(dom: DomainRef, iothreadId: number, cpumap: Uint8Array, flags: number): Promise<void> {
    return Io.pin(this.driver, dom, iothreadId, cpumap, flags);
  }
  async domainSetIOThreadParams(dom: DomainRef, iothreadId: number, params: TypedParams, flags: number): Promise<void> {
    return Io.setParams(this.driver, dom, iothreadId, params, flags);
  }
  // --- node devices ---
  private readonly nodedevs = new Nd.NodeDevInventory();
  async nodeNumOfDevices(cap: string | null, flags: number): Promise<number> {
    return (await Nd.names(this.nodedevs, cap, flags, 'nodeNumOfDevices')).length;
  }
  async nodeListDevices(cap: string | null, maxnames: number, flags: number): Promise<string[]> {
    return (await Nd.names(this.nodedevs, cap, flags, 'nodeListDevices')).slice(0, maxnames);
  }
  async connectListAllNodeDevices(flags: number): Promise<NodeDeviceRef[]> {
    return Nd.listAll(this.nodedevs, flags);
  }
  async nodeDeviceLookupByName(name: string): Promise<NodeDeviceRef> {
    return { name: (await this.nodedevs.byName(name)).name };
  }
  async nodeDeviceLookupSCSIHostByWWN(wwnn: string, wwpn: string, flags: number): Promise<NodeDeviceRef> {
    return Nd.lookupSCSIHostByWWN(this.nodedevs, wwnn, wwpn, flags);
  }
  async nodeDeviceGetXMLDesc(dev: NodeDeviceRef, flags: number): Promise<string> {
    return Nd.getXMLDesc(this.nodedevs, dev, flags);
  }
  async nodeDeviceGetParent(dev: NodeDeviceRef): Promise<string | null> {
    return (await this.nodedevs.byName(dev.name)).parent ?? null;
  }
  async nodeDeviceNumOfCaps(dev: NodeDeviceRef): Promise<number> {
    return (await Nd.capNames(this.nodedevs, dev)).length;
  }
  async nodeDeviceListCaps(dev: NodeDeviceRef, maxnames: number): Promise<string[]> {
    return (await Nd.capNames(this.nodedevs, dev)).slice(0, maxnames);
  }
  async nodeDeviceIsActive(dev: NodeDeviceRef): Promise<boolean> {
    await this.nodedevs.byName(dev.name);
    return true;
  }
  async nodeDeviceIsPersistent(dev: NodeDeviceRef): Promise<boolean> {
    return Nd.isRoot(this.nodedevs, dev);
  }
  async nodeDeviceGetAutostart(dev: NodeDeviceRef): Promise<boolean> {
    return Nd.isRoot(this.nodedevs, dev);
  }
  async nodeDeviceCreateXML(xml: string, flags: number): Promise<NodeDeviceRef> {
    return Nd.createXML(this.nodedevs, xml, flags);
  }
  async nodeDeviceDefineXML(xml: string, flags: number): Promise<NodeDeviceRef> {
    return Nd.defineXML(xml, flags);
  }
  async nodeDeviceDestroy(dev: NodeDeviceRef): Promise<void> {
    return Nd.destroy(this.nodedevs, dev);
  }
  async nodeDeviceUndefine(dev: NodeDeviceRef, flags: number): Promise<void> {
    return Nd.undefine(this.nodedevs, dev, flags);
  }
  async nodeDeviceCreate(dev: NodeDeviceRef, flags: number): Promise<void> {
    return Nd.create(this.nodedevs, dev, flags);
  }
  async domainQemuMonitorCommand(dom: DomainRef, cmd: string, flags: number): Promise<string> {
    return I.qemuMonitorCommand(this.driver, dom, cmd, flags);
  }
}
