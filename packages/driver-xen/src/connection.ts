/** A connection to `xen:///system`: libvirt's libxl hypervisor driver calls over the shared driver state. */
import * as os from 'node:os';
import {
  checkDriverFlags,
  domainListMatches,
  DomainConsoleFlags,
  DomainCreateFlags,
  DomainMemoryModFlags,
  DomainJobType,
  DomainRebootFlags,
  DomainShutdownFlags,
  DomainUndefineFlags as UndefineFlags,
  DomainSaveRestoreFlags,
  DomainVcpuFlags,
  DomainXMLFlags,
  ErrorDomain,
  ErrorNumber,
  LIBVIRT_COMPAT_VERSION,
  TypedParameterType,
  typedParams,
  type DomainInfo,
  type JobInfo,
  type JobStats,
  type NodeInfo,
  type VirStream,
  type DomainListFacts,
  type DomainRef,
  type DomainStateInfo,
  type DriverEvents,
  type TableConnection,
  type Wide,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { conversionCaps, XEN_FIRMWARES, xenCapabilitiesXml } from './host/capabilities';
import { xenDomainCapabilitiesXml } from './host/domain-capabilities';
import { setMemory } from './domains/memory';
import { getVcpus, setVcpus } from './domains/vcpus';
import { consolePty } from './domains/consoles';
import type { XenDomainObj } from './domains/obj';
import { xenDriverTable } from './table';
import { libxlError } from './errors';
import type { XenDriver } from './xen-driver';
import { domainXmlToXlConfig, xlConfigToDomainXml } from './xl';

/** The amounts of a JobInfo, all zero in libxl's: it measures only the time elapsed. */
const JOB_INFO_AMOUNTS = [
  'timeElapsed',
  'timeRemaining',
  'dataTotal',
  'dataProcessed',
  'dataRemaining',
  'memTotal',
  'memProcessed',
  'memRemaining',
  'fileTotal',
  'fileProcessed',
  'fileRemaining',
] as const;

/** Milliseconds since the domain's job began (libxlDomainJobGetTimeElapsed), or null with no job. */
function jobElapsed(obj: XenDomainObj): number | null {
  return obj.jobStarted === null ? null : Math.max(0, Date.now() - obj.jobStarted);
}

/** The native format of libvirt's libxl driver: xl.cfg. */
const XEN_XL = 'xen-xl';

const checkFlags = (flags: number, mask: number, fn: string): void => checkDriverFlags(flags, mask, fn, ErrorDomain.VIR_FROM_LIBXL);

function checkFormat(format: string): void {
  if (format !== XEN_XL) throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, `unsupported config type ${format}`);
}

/** virConnectListAllDomains' view of a domain: libxl keeps no snapshots or checkpoints. */
const listFacts = (d: XenDriver, obj: XenDomainObj): DomainListFacts => ({
  active: obj.active,
  persistent: obj.persistent !== null,
  state: obj.state,
  managedSave: d.hasManagedSave(obj),
  autostart: obj.autostart,
  hasSnapshot: false,
  hasCheckpoint: false,
});

export class XenConnection implements TableConnection<typeof xenDriverTable, XenConnection> {
  readonly events: DriverEvents;

  constructor(
    private readonly d: XenDriver,
    private readonly onClose: () => void,
  ) {
    this.events = { subscribe: (l) => d.subscribe(l) };
  }

  async close(): Promise<void> {
    this.onClose();
  }

  // --- host ------------------------------------------------------------------------------

  async connectGetType(): Promise<string> {
    return 'Xen';
  }

  /** The libvirt release whose behaviour this follows (virConnectGetLibVersion's answer for every driver). */
  async connectGetLibVersion(): Promise<number> {
    return LIBVIRT_COMPAT_VERSION;
  }

  /** libxl's version number: major * 1000000 + minor * 1000 + the number in `xen_extra`. */
  async connectGetVersion(): Promise<Wide> {
    const n = (key: string) => parseInt(this.d.info.get(key)?.replace(/^\./, '') ?? '', 10) || 0;
    return n('xen_major') * 1000000 + n('xen_minor') * 1000 + n('xen_extra');
  }

  async connectGetHostname(): Promise<string> {
    return os.hostname();
  }

  async connectIsSecure(): Promise<boolean> {
    return true;
  }

  async connectGetMaxVcpus(_type: string | null): Promise<number> {
    return (parseInt(this.d.info.get('max_cpu_id') ?? '', 10) || 0) + 1;
  }

  /** libxlDriverNodeGetInfo: the host from libxl's physinfo, one socket per node as libxl reports none. */
  async nodeGetInfo(): Promise<NodeInfo> {
    const int = (key: string) => parseInt(this.d.info.get(key) ?? '', 10) || 0;
    return {
      model: this.d.caps.host.cpu.arch,
      memory: int('total_memory') * 1024,
      cpus: int('nr_cpus'),
      mhz: int('cpu_mhz'),
      nodes: int('nr_nodes'),
      sockets: 1,
      cores: int('cores_per_socket'),
      threads: int('threads_per_core'),
    };
  }

  async connectGetCapabilities(): Promise<string> {
    return xenCapabilitiesXml(this.d.info);
  }

  async connectGetDomainCapabilities(
    emulatorbin: string | null,
    arch: string | null,
    machine: string | null,
    virttype: string | null,
    flags: number,
  ): Promise<string> {
    checkFlags(flags, 0, 'libxlConnectGetDomainCapabilities');
    return xenDomainCapabilitiesXml({ emulator: emulatorbin, arch, machine, virttype }, this.d.caps.host.cpu.arch, XEN_FIRMWARES);
  }

  async connectDomainXMLFromNative(nativeFormat: string, nativeConfig: string, _flags: number): Promise<string> {
    checkFormat(nativeFormat);
    return xlConfigToDomainXml(nativeConfig, conversionCaps(this.d.caps));
  }

  async connectDomainXMLToNative(nativeFormat: string, domainXml: string, _flags: number): Promise<string> {
    checkFormat(nativeFormat);
    return domainXmlToXlConfig(domainXml);
  }

  // --- enumeration -----------------------------------------------------------------------

  private async current(): Promise<XenDomainObj[]> {
    await this.d.serialized(() => this.d.refresh());
    return [...this.d.domains.values()];
  }

  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return (await this.current()).filter((d) => domainListMatches(flags, listFacts(this.d, d))).map((d) => d.ref());
  }

  async connectListDomains(maxids: number): Promise<number[]> {
    return (await this.current())
      .filter((d) => d.active)
      .map((d) => d.domid)
      .slice(0, maxids);
  }

  async connectNumOfDomains(): Promise<number> {
    return (await this.current()).filter((d) => d.active).length;
  }

  async connectListDefinedDomains(maxnames: number): Promise<string[]> {
    return (await this.current())
      .filter((d) => !d.active)
      .map((d) => d.name)
      .slice(0, maxnames);
  }

  async connectNumOfDefinedDomains(): Promise<number> {
    return (await this.current()).filter((d) => !d.active).length;
  }

  async domainLookupByName(name: string): Promise<DomainRef> {
    const d = [...this.d.domains.values()].find((x) => x.name === name);
    if (!d) throw libxlError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching name '${name}'`);
    return d.ref();
  }

  async domainLookupByUUIDString(uuidstr: string): Promise<DomainRef> {
    const uuid = uuidstr.toLowerCase();
    const d = [...this.d.domains.values()].find((x) => x.uuid === uuid);
    if (!d) throw libxlError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${uuidstr}'`);
    return d.ref();
  }

  async domainLookupByID(id: number): Promise<DomainRef> {
    const d = [...this.d.domains.values()].find((x) => x.active && x.domid === id);
    if (!d) throw libxlError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching id ${id}`);
    return d.ref();
  }

  // --- definitions -----------------------------------------------------------------------

  async domainDefineXML(xml: string): Promise<DomainRef> {
    return this.domainDefineXMLFlags(xml, 0);
  }

  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, 1 /* VIR_DOMAIN_DEFINE_VALIDATE */, 'libxlDomainDefineXMLFlags');
    return this.d.serialized(async () => (await this.d.define(xml)).ref());
  }

  async domainUndefine(dom: DomainRef): Promise<void> {
    return this.domainUndefineFlags(dom, 0);
  }

  async domainUndefineFlags(dom: DomainRef, flags: number): Promise<void> {
    // Xen guests keep no NVRAM here, so its flags have nothing to act on.
    checkFlags(
      flags,
      UndefineFlags.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
        UndefineFlags.VIR_DOMAIN_UNDEFINE_NVRAM |
        UndefineFlags.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM,
      'libxlDomainUndefineFlags',
    );
    await this.d.serialized(() => this.d.undefine(this.d.obj(dom), flags));
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

  async domainSetAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    await this.d.inJob(dom, (obj) => this.d.setAutostart(obj, autostart));
  }

  // --- lifecycle -------------------------------------------------------------------------

  async domainCreate(dom: DomainRef): Promise<void> {
    return this.domainCreateWithFlags(dom, 0);
  }

  async domainCreateWithFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DomainCreateFlags.VIR_DOMAIN_START_PAUSED, 'libxlDomainCreateWithFlags');
    const paused = (flags & DomainCreateFlags.VIR_DOMAIN_START_PAUSED) !== 0;
    await this.d.inJob(dom, (obj) => this.d.start(obj, paused));
  }

  async domainCreateXML(xmlDesc: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainCreateFlags.VIR_DOMAIN_START_PAUSED | DomainCreateFlags.VIR_DOMAIN_START_VALIDATE, 'libxlDomainCreateXML');
    const paused = (flags & DomainCreateFlags.VIR_DOMAIN_START_PAUSED) !== 0;
    return this.d.serialized(async () => (await this.d.createTransient(xmlDesc, paused)).ref());
  }

  async domainDestroy(dom: DomainRef): Promise<void> {
    return this.domainDestroyFlags(dom, 0);
  }

  async domainDestroyFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'libxlDomainDestroyFlags');
    await this.d.inJob(dom, (obj) => this.d.destroy(obj));
  }

  async domainShutdown(dom: DomainRef): Promise<void> {
    return this.domainShutdownFlags(dom, 0);
  }

  async domainShutdownFlags(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DomainShutdownFlags.VIR_DOMAIN_SHUTDOWN_PARAVIRT, 'libxlDomainShutdownFlags');
    await this.d.serialized(() => this.d.shutdown(this.d.obj(dom)));
  }

  async domainReboot(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DomainRebootFlags.VIR_DOMAIN_REBOOT_PARAVIRT, 'libxlDomainReboot');
    await this.d.serialized(() => this.d.reboot(this.d.obj(dom)));
  }

  async domainSuspend(dom: DomainRef): Promise<void> {
    await this.d.inJob(dom, (obj) => this.d.suspend(obj));
  }

  async domainResume(dom: DomainRef): Promise<void> {
    await this.d.inJob(dom, (obj) => this.d.resume(obj));
  }

  async domainSetMemory(dom: DomainRef, memory: Wide): Promise<void> {
    return this.domainSetMemoryFlags(dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_LIVE);
  }

  async domainSetMaxMemory(dom: DomainRef, memory: Wide): Promise<void> {
    return this.domainSetMemoryFlags(dom, memory, DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM);
  }

  async domainSetMemoryFlags(dom: DomainRef, memory: Wide, flags: number): Promise<void> {
    const M = DomainMemoryModFlags;
    checkFlags(flags, M.VIR_DOMAIN_MEM_LIVE | M.VIR_DOMAIN_MEM_CONFIG | M.VIR_DOMAIN_MEM_MAXIMUM, 'libxlDomainSetMemoryFlags');
    await this.d.inJob(dom, (obj) => setMemory(this.d, obj, BigInt(memory), flags));
  }

  async domainSetVcpus(dom: DomainRef, nvcpus: number): Promise<void> {
    return this.domainSetVcpusFlags(dom, nvcpus, DomainVcpuFlags.VIR_DOMAIN_VCPU_LIVE);
  }

  async domainSetVcpusFlags(dom: DomainRef, nvcpus: number, flags: number): Promise<void> {
    const V = DomainVcpuFlags;
    checkFlags(flags, V.VIR_DOMAIN_VCPU_LIVE | V.VIR_DOMAIN_VCPU_CONFIG | V.VIR_DOMAIN_VCPU_MAXIMUM, 'libxlDomainSetVcpusFlags');
    const hostMax = await this.connectGetMaxVcpus(null);
    await this.d.inJob(dom, (obj) => setVcpus(this.d, obj, nvcpus, flags, hostMax));
  }

  async domainGetVcpusFlags(dom: DomainRef, flags: number): Promise<number> {
    const V = DomainVcpuFlags;
    checkFlags(flags, V.VIR_DOMAIN_VCPU_LIVE | V.VIR_DOMAIN_VCPU_CONFIG | V.VIR_DOMAIN_VCPU_MAXIMUM, 'libxlDomainGetVcpusFlags');
    return getVcpus(this.d.obj(dom), flags);
  }

  async domainGetMaxVcpus(dom: DomainRef): Promise<number> {
    return getVcpus(this.d.obj(dom), DomainVcpuFlags.VIR_DOMAIN_VCPU_LIVE | DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM);
  }

  // --- save and restore --------------------------------------------------------------------

  async domainSave(dom: DomainRef, to: string): Promise<void> {
    return this.domainSaveFlags(dom, to, null, 0);
  }

  async domainSaveFlags(dom: DomainRef, to: string, dxml: string | null, flags: number): Promise<void> {
    checkFlags(flags, 0, 'libxlDomainSaveFlags');
    if (dxml) throw libxlError(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    await this.d.inJob(dom, (obj) => this.d.save(obj, to));
  }

  async domainRestore(from: string): Promise<void> {
    return this.domainRestoreFlags(from, null, 0);
  }

  async domainRestoreFlags(from: string, dxml: string | null, flags: number): Promise<void> {
    checkFlags(flags, DomainSaveRestoreFlags.VIR_DOMAIN_SAVE_PAUSED, 'libxlDomainRestoreFlags');
    if (dxml) throw libxlError(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    await this.d.serialized(() => this.d.restore(from, (flags & DomainSaveRestoreFlags.VIR_DOMAIN_SAVE_PAUSED) !== 0));
  }

  async domainManagedSave(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'libxlDomainManagedSave');
    await this.d.inJob(dom, (obj) => this.d.managedSave(obj));
  }

  async domainManagedSaveRemove(dom: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'libxlDomainManagedSaveRemove');
    await this.d.serialized(() => this.d.removeManagedSave(this.d.obj(dom)));
  }

  // --- jobs and consoles ------------------------------------------------------------------

  /** libxlDomainGetJobInfo: libxl gives no progress, so a job is unbounded with only its time elapsed. */
  async domainGetJobInfo(dom: DomainRef): Promise<JobInfo> {
    const elapsed = jobElapsed(this.d.obj(dom));
    const none = Object.fromEntries(JOB_INFO_AMOUNTS.map((k) => [k, 0])) as Record<(typeof JOB_INFO_AMOUNTS)[number], number>;
    if (elapsed === null) return { ...none, type: DomainJobType.VIR_DOMAIN_JOB_NONE };
    return { ...none, type: DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED, timeElapsed: elapsed };
  }

  /** libxlDomainGetJobStats: the same, as typed parameters; completed jobs are not kept. */
  async domainGetJobStats(dom: DomainRef, flags: number): Promise<JobStats> {
    checkFlags(flags, 0, 'libxlDomainGetJobStats');
    const elapsed = jobElapsed(this.d.obj(dom));
    if (elapsed === null) return { type: DomainJobType.VIR_DOMAIN_JOB_NONE, params: {} };
    const timeElapsed = { field: 'time_elapsed', type: TypedParameterType.VIR_TYPED_PARAM_ULLONG, value: BigInt(elapsed) };
    return { type: DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED, params: typedParams([timeElapsed]) };
  }

  async domainOpenConsole(dom: DomainRef, devName: string | null, stream: VirStream, flags: number): Promise<void> {
    checkFlags(flags, DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE, 'libxlDomainOpenConsole');
    const obj = this.d.obj(dom);
    if (!obj.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain is not running');
    this.d.consoles.open(consolePty(obj.live!, devName), stream, (flags & DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE) !== 0);
  }

  // --- state -----------------------------------------------------------------------------

  async domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.d.obj(dom).active;
  }

  async domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.d.obj(dom).persistent !== null;
  }

  async domainHasManagedSaveImage(dom: DomainRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'libxlDomainHasManagedSaveImage');
    return this.d.hasManagedSave(this.d.obj(dom));
  }

  async domainGetOSType(dom: DomainRef): Promise<string> {
    return this.d.obj(dom).def.os.type;
  }

  async domainGetMaxMemory(dom: DomainRef): Promise<Wide> {
    return this.d.obj(dom).def.memory;
  }

  async domainGetState(dom: DomainRef, _flags: number): Promise<DomainStateInfo> {
    await this.d.serialized(() => this.d.refresh());
    const obj = this.d.obj(dom);
    return { state: obj.state, reason: obj.reason };
  }

  /** libxlDomainGetInfo: memory and CPU time of a running domain come from the toolstack. */
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const rows = await this.d.serialized(() => this.d.refresh());
    const obj = this.d.obj(dom);
    const def = obj.def;
    const row = rows.get(obj.uuid);
    return {
      state: obj.state,
      maxMem: def.memory,
      memory: row ? BigInt(row.memMiB) * 1024n : def.currentMemory,
      nrVirtCpu: row?.vcpus ?? def.vcpuCurrent ?? def.vcpu,
      cpuTime: row ? BigInt(Math.round(row.cpuSeconds * 1e9)) : 0n,
    };
  }
}
