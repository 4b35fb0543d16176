/** A connection to `lxc:///`: libvirt's LXC hypervisor driver calls over the shared driver state. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import {
  DomainConsoleFlags,
  DomainMemoryModFlags,
  DomainCreateFlags,
  DomainModificationImpact,
  TypedParameterFlags,
  DomainXMLFlags,
  ErrorDomain,
  ErrorNumber,
  LIBVIRT_COMPAT_VERSION,
  checkDriverFlags,
  domainListMatches,
  typedParams,
  type DomainInfo,
  type SchedulerType,
  type TypedParams,
  type DomainStatsRecordRef,
  type DomainRef,
  type DomainStateInfo,
  type DriverEvents,
  type SecurityLabel,
  type SecurityModel,
  type TableConnection,
  type VirStream,
  type Wide,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { cpuTimeNs, memoryUsageKiB } from '@virtkit/cgroups';
import { groupOf } from './container/cgroups';
import * as T from './domains/tuning';
import { connectController } from './container/controller';
import type { LxcDomainObj } from './domains/obj';
import { lxcCapabilitiesXml, type LxcHost } from './host/capabilities';
import { lxcConfigToDomain } from './native';
import { containerStats, STATS_FLAGS, statsGroups } from './stats';
import { lxcDriverTable } from './table';
import { lxcError, type LxcDriver } from './lxc-driver';

/** The native format of libvirt's LXC driver. */
const LXC_TOOLS = 'lxc-tools';

/** VIR_DOMAIN_DEFINE_VALIDATE and VIR_DOMAIN_UNDEFINE_*: flags the driver accepts without work to do. */
const DEFINE_VALIDATE = 1;

/** The flags of the tuning setters, and of their getters (which also take VIR_TYPED_PARAM_STRING_OKAY). */
const TUNE_SET = DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE | DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG;
const TUNE_GET = TUNE_SET | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY;

function checkFlags(flags: number, mask: number, fn: string): void {
  checkDriverFlags(flags, mask, fn, ErrorDomain.VIR_FROM_LXC);
}

/** What virConnectListAllDomains' filters (and the bulk-stats filters) ask of a container. */
function listed(d: LxcDomainObj, flags: number): boolean {
  return domainListMatches(flags, {
    active: d.active,
    persistent: d.persistent !== null,
    state: d.state,
    managedSave: false,
    autostart: d.autostart,
    hasSnapshot: false,
    hasCheckpoint: false,
  });
}

export class LxcConnection implements TableConnection<typeof lxcDriverTable, LxcConnection> {
  readonly events: DriverEvents;

  constructor(
    private readonly d: LxcDriver,
    private readonly host: LxcHost,
    private readonly onClose: () => void,
  ) {
    this.events = { subscribe: (l) => d.subscribe(l) };
  }

  async close(): Promise<void> {
    this.onClose();
  }

  // --- host ------------------------------------------------------------------------------

  async connectGetType(): Promise<string> {
    return 'LXC';
  }

  /** The libvirt release whose behaviour this follows (virConnectGetLibVersion's answer for every driver). */
  async connectGetLibVersion(): Promise<number> {
    return LIBVIRT_COMPAT_VERSION;
  }

  /** The kernel's version, as libvirt's LXC driver reports it (major * 1000000 + minor * 1000 + micro). */
  async connectGetVersion(): Promise<Wide> {
    const [major, minor, micro] = os
      .release()
      .split(/[.-]/)
      .map((n) => parseInt(n, 10) || 0);
    return major * 1000000 + minor * 1000 + micro;
  }

  async connectGetHostname(): Promise<string> {
    return os.hostname();
  }

  async connectIsSecure(): Promise<boolean> {
    return true;
  }

  async connectGetCapabilities(): Promise<string> {
    return lxcCapabilitiesXml(this.host);
  }

  async connectDomainXMLFromNative(nativeFormat: string, nativeConfig: string, flags: number): Promise<string> {
    checkFlags(flags, 0, 'lxcConnectDomainXMLFromNative');
    if (nativeFormat !== LXC_TOOLS) throw lxcError(ErrorNumber.VIR_ERR_INVALID_ARG, `unsupported config type ${nativeFormat}`);
    return formatDomainXml(lxcConfigToDomain(nativeConfig, this.d.caps), {});
  }

  // --- enumeration -----------------------------------------------------------------------

  private all(): LxcDomainObj[] {
    return [...this.d.domains.values()];
  }

  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.all()
      .filter((d) => listed(d, flags))
      .map((d) => d.ref());
  }

  /** lxcDomainLxcOpenNamespace: descriptors on the namespaces of the container's init, in libvirt's order. */
  async domainLxcOpenNamespace(dom: DomainRef, flags: number): Promise<number[]> {
    checkFlags(flags, 0, 'lxcDomainLxcOpenNamespace');
    const obj = this.d.obj(dom);
    const plan = this.d.plan(obj);
    const kinds = [...(plan.idmap ? ['user'] : []), 'ipc', 'mnt', 'net', 'pid', 'uts'];
    return kinds.map((k) => fs.openSync(`/proc/${obj.initPid}/ns/${k}`, 'r'));
  }

  /** virConnectGetAllDomainStats (libvirt's LXC driver has none): the groups of stats.ts. */
  async domainListGetStats(doms: DomainRef[], stats: number, flags: number): Promise<DomainStatsRecordRef[]> {
    checkFlags(flags, STATS_FLAGS, 'lxcConnectGetAllDomainStats');
    const groups = statsGroups(stats, flags);
    const objs = doms.length ? doms.map((r) => this.d.obj(r)) : this.all();
    return objs
      .filter((d) => listed(d, flags & 0xff))
      .map((d) => ({ dom: d.ref(), params: typedParams(containerStats(d, d.active ? this.d.plans.get(d.uuid) : undefined, groups)) }));
  }

  async connectListDomains(maxids: number): Promise<number[]> {
    return this.all()
      .filter((d) => d.active)
      .map((d) => d.domid)
      .slice(0, maxids);
  }

  async connectNumOfDomains(): Promise<number> {
    return this.all().filter((d) => d.active).length;
  }

  async connectListDefinedDomains(maxnames: number): Promise<string[]> {
    return this.all()
      .filter((d) => !d.active)
      .map((d) => d.name)
      .slice(0, maxnames);
  }

  async connectNumOfDefinedDomains(): Promise<number> {
    return this.all().filter((d) => !d.active).length;
  }

  async domainLookupByName(name: string): Promise<DomainRef> {
    const d = this.d.byName(name);
    if (!d) throw lxcError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching name '${name}'`);
    return d.ref();
  }

  async domainLookupByUUIDString(uuidstr: string): Promise<DomainRef> {
    const d = this.d.domains.get(uuidstr.toLowerCase());
    if (!d) throw lxcError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${uuidstr}'`);
    return d.ref();
  }

  async domainLookupByID(id: number): Promise<DomainRef> {
    const d = this.all().find((x) => x.active && x.domid === id);
    if (!d) throw lxcError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching id ${id}`);
    return d.ref();
  }

  // --- definitions -----------------------------------------------------------------------

  async domainDefineXML(xml: string): Promise<DomainRef> {
    return this.domainDefineXMLFlags(xml, 0);
  }

  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DEFINE_VALIDATE, 'lxcDomainDefineXMLFlags');
    return this.d.serialized(async () => (await this.d.define(xml)).ref());
  }

  async domainUndefine(dom: DomainRef): Promise<void> {
    return this.domainUndefineFlags(dom, 0);
  }

  async domainUndefineFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'lxcDomainUndefineFlags');
    await this.d.serialized(() => this.d.undefine(this.d.obj(dom)));
  }

  async domainGetXMLDesc(dom: DomainRef, flags: number): Promise<string> {
    const obj = this.d.obj(dom);
    const inactive = (flags & DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE) !== 0;
    const def = inactive && obj.persistent ? obj.persistent : obj.def;
    return formatDomainXml(def, { inactive: inactive || !obj.active, secure: (flags & DomainXMLFlags.VIR_DOMAIN_XML_SECURE) !== 0 });
  }

  async domainGetAutostart(dom: DomainRef): Promise<boolean> {
    return this.d.obj(dom).autostart;
  }

  /** No security driver confines the containers: libvirt's LXC driver reports model `none` then. */
  async nodeGetSecurityModel(): Promise<SecurityModel> {
    return { model: 'none', doi: '0' };
  }

  async domainGetSecurityLabel(dom: DomainRef): Promise<SecurityLabel> {
    this.d.obj(dom);
    return { label: '', enforcing: 0 };
  }

  async domainSetAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    await this.d.serialized(() => this.d.setAutostart(this.d.obj(dom), autostart));
  }

  // --- lifecycle -------------------------------------------------------------------------

  async domainCreate(dom: DomainRef): Promise<void> {
    return this.domainCreateWithFlags(dom, 0);
  }

  async domainCreateWithFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'lxcDomainCreateWithFiles');
    await this.d.serialized(() => this.d.start(this.d.obj(dom)));
  }

  async domainCreateXML(xmlDesc: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainCreateFlags.VIR_DOMAIN_START_VALIDATE, 'lxcDomainCreateXMLWithFiles');
    return this.d.serialized(async () => (await this.d.createTransient(xmlDesc)).ref());
  }

  async domainDestroy(dom: DomainRef): Promise<void> {
    return this.domainDestroyFlags(dom, 0);
  }

  async domainDestroyFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'lxcDomainDestroyFlags');
    await this.d.serialized(() => this.d.destroy(this.d.obj(dom)));
  }

  async domainShutdown(dom: DomainRef): Promise<void> {
    return this.domainShutdownFlags(dom, 0);
  }

  /** VIR_DOMAIN_SHUTDOWN_SIGNAL (4) and the default are the methods this driver has. */
  async domainShutdownFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 4, 'lxcDomainShutdownFlags');
    await this.d.serialized(() => this.d.shutdown(this.d.obj(dom)));
  }

  async domainReboot(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 4, 'lxcDomainReboot');
    await this.d.serialized(() => this.d.reboot(this.d.obj(dom)));
  }

  // --- cgroup tuning ---------------------------------------------------------------------

  async domainGetBlkioParameters(dom: DomainRef, flags: number): Promise<TypedParams> {
    checkFlags(flags, TUNE_GET, 'lxcDomainGetBlkioParameters');
    return T.getBlkio(this.d, this.d.obj(dom), flags);
  }

  async domainSetBlkioParameters(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    checkFlags(flags, TUNE_SET, 'lxcDomainSetBlkioParameters');
    await this.d.serialized(() => T.setBlkio(this.d, this.d.obj(dom), params, flags));
  }

  async domainGetMemoryParameters(dom: DomainRef, flags: number): Promise<TypedParams> {
    checkFlags(flags, TUNE_GET, 'lxcDomainGetMemoryParameters');
    return T.getMemory(this.d, this.d.obj(dom), flags);
  }

  async domainSetMemoryFlags(dom: DomainRef, memory: Wide, flags: number): Promise<void> {
    checkFlags(flags, TUNE_SET | DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM, 'lxcDomainSetMemoryFlags');
    await this.d.serialized(() => T.setMemorySize(this.d, this.d.obj(dom), BigInt(memory), flags));
  }

  async domainSetMemory(dom: DomainRef, memory: Wide): Promise<void> {
    await this.domainSetMemoryFlags(dom, memory, DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE);
  }

  async domainSetMaxMemory(dom: DomainRef, memory: Wide): Promise<void> {
    await this.domainSetMemoryFlags(dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM);
  }

  async domainSetMemoryParameters(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    checkFlags(flags, TUNE_SET, 'lxcDomainSetMemoryParameters');
    await this.d.serialized(() => T.setMemory(this.d, this.d.obj(dom), params, flags));
  }

  async domainGetSchedulerType(dom: DomainRef): Promise<SchedulerType> {
    return T.getSchedType(this.d, this.d.obj(dom));
  }

  async domainGetSchedulerParameters(dom: DomainRef): Promise<TypedParams> {
    return T.getSched(this.d, this.d.obj(dom), 0);
  }

  async domainGetSchedulerParametersFlags(dom: DomainRef, flags: number): Promise<TypedParams> {
    checkFlags(flags, TUNE_GET, 'lxcDomainGetSchedulerParametersFlags');
    return T.getSched(this.d, this.d.obj(dom), flags);
  }

  async domainSetSchedulerParameters(dom: DomainRef, params: TypedParams): Promise<void> {
    await this.d.serialized(() => T.setSched(this.d, this.d.obj(dom), params, 0));
  }

  async domainSetSchedulerParametersFlags(dom: DomainRef, params: TypedParams, flags: number): Promise<void> {
    checkFlags(flags, TUNE_SET, 'lxcDomainSetSchedulerParametersFlags');
    await this.d.serialized(() => T.setSched(this.d, this.d.obj(dom), params, flags));
  }

  async domainSuspend(dom: DomainRef): Promise<void> {
    await this.d.serialized(() => this.d.suspend(this.d.obj(dom)));
  }

  async domainResume(dom: DomainRef): Promise<void> {
    await this.d.serialized(() => this.d.resume(this.d.obj(dom)));
  }

  /** lxcDomainOpenConsole: the container's console pty, through its controller. */
  async domainOpenConsole(dom: DomainRef, devName: string | null, stream: VirStream, flags: number): Promise<void> {
    checkFlags(flags, DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE | DomainConsoleFlags.VIR_DOMAIN_CONSOLE_SAFE, 'lxcDomainOpenConsole');
    const obj = this.d.obj(dom);
    const plan = this.d.plan(obj);
    const consoles = obj.def.devices.filter((d) => d.kind === 'console');
    if (devName !== null && devName !== 'console0') {
      throw lxcError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `cannot find console device '${devName}'`);
    }
    if (consoles.length === 0) throw lxcError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'cannot find default console device');
    await this.d.controllerReady(obj);
    const sock = await connectController(plan.socket, 'C');
    sock.on('data', (d: Buffer) => stream.download.write(d));
    sock.on('close', () => stream.download.end());
    sock.on('error', () => undefined);
    stream.upload.on('data', (d: Buffer) => sock.write(d));
    for (const ev of ['finish', 'end', 'close', 'error'] as const) stream.upload.on(ev, () => sock.end());
  }

  // --- state -----------------------------------------------------------------------------

  async domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.d.obj(dom).active;
  }

  async domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.d.obj(dom).persistent !== null;
  }

  /** Containers have no saved state, so never a managed save. */
  async domainHasManagedSaveImage(_dom: DomainRef, _flags: number): Promise<boolean> {
    return false;
  }

  async domainGetOSType(dom: DomainRef): Promise<string> {
    return this.d.obj(dom).def.os.type;
  }

  async domainGetMaxMemory(dom: DomainRef): Promise<Wide> {
    return this.d.obj(dom).def.memory;
  }

  async domainGetState(dom: DomainRef, _flags: number): Promise<DomainStateInfo> {
    const obj = this.d.obj(dom);
    return { state: obj.state, reason: obj.reason };
  }

  /** lxcDomainGetInfo: CPU time and memory of a running container come from its cgroups. */
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const obj = this.d.obj(dom);
    const def = obj.def;
    const plan = obj.active ? this.d.plans.get(obj.uuid) : undefined;
    return {
      state: obj.state,
      maxMem: def.memory,
      memory: plan ? memoryUsageKiB(groupOf(plan.cgroup)) : def.currentMemory,
      nrVirtCpu: def.vcpuCurrent ?? def.vcpu,
      cpuTime: plan ? cpuTimeNs(groupOf(plan.cgroup)) : 0n,
    };
  }
}
