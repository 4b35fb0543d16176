/**
 * The state of the Xen driver for one tree of files (libvirt's libxlDriverPrivate): the host's
 * capabilities, the domains it knows and their lifecycle through the toolstack. Connections of a
 * process to the same tree share it. Domains that end by themselves (a guest shutting down) are
 * noticed by polling `xl list`, as the toolstack offers no event channel to a separate process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ChrdevSessions,
  DomainEventID,
  DomainEventDefinedDetailType,
  DomainEventResumedDetailType,
  DomainEventStartedDetailType,
  DomainEventStoppedDetailType,
  DomainEventSuspendedDetailType,
  DomainEventType,
  DomainEventUndefinedDetailType,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  DomainUndefineFlags,
  ErrorDomain,
  ErrorNumber,
  readFilesOf,
  writeFileAtomic,
  EventHub,
  SerialQueue,
  type DomainEvent,
  type DomainRef,
} from '@virtkit/core';
import { formatDomainXml, parseDomainXml, type Capabilities, type DomainDef } from '@virtkit/xml';
import { xenCapabilities } from './host/capabilities';
import { XenDomainObj } from './domains/obj';
import { parseXenDomain } from './domains/xml';
import type { XenPaths } from './paths';
import type { XenToolstack } from './toolstack/xl';
import { checkWritable, extractPayload, readImage, writeImage } from './save/image';
import { libxlError } from './errors';
import type { XlDomainRow, XlInfo } from './toolstack/xl-output';
import { domainXmlToXlConfig } from './xl';
import { recordConsoles } from './domains/consoles';

/** How often running domains are checked for having ended by themselves. */
const POLL_MS = Number(process.env.VIRTKIT_XEN_POLL_MS) || 1000;

/**
 * What the driver records of a running domain (libvirt's domstatus): its live XML, and its state
 * and reason, which the toolstack does not know (why a domain was paused, for one).
 */
interface DomainStatus {
  state: DomainState;
  reason: number;
  xml: string;
}

const STATUS_EXT = '.status.json';

export class XenDriver {
  readonly domains = new Map<string, XenDomainObj>();
  /** Console streams joined to domains' ptys, one per pty (libvirt's priv->devs). */
  readonly consoles = new ChrdevSessions(ErrorDomain.VIR_FROM_LIBXL);
  private readonly events = new EventHub<DomainEvent>();
  private poller: NodeJS.Timeout | undefined;
  /** One toolstack action at a time, so a poll never reads a half-made change. */
  private readonly queue = new SerialQueue();

  private constructor(
    readonly paths: XenPaths,
    readonly xl: XenToolstack,
    readonly info: XlInfo,
    readonly caps: Capabilities,
  ) {}

  static async open(paths: XenPaths, xl: XenToolstack): Promise<XenDriver> {
    const info = await xl.info();
    const d = new XenDriver(paths, xl, info, xenCapabilities(info));
    d.load();
    await d.refresh();
    return d;
  }

  /** Watch running domains for ending by themselves (the process may still exit meanwhile). */
  startPolling(): void {
    this.poller ??= setInterval(() => void this.serialized(() => this.refresh()).catch(() => undefined), POLL_MS);
    this.poller.unref();
  }

  stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }

  /** Persistent definitions, then the running domains recorded by a previous driver. */
  private load(): void {
    for (const [, xml] of readFilesOf(this.paths.configDir, '.xml')) {
      const def = parseXenDomain(xml, this.caps, true);
      const obj = new XenDomainObj(def);
      obj.autostart = fs.existsSync(this.autostartLink(def.name));
      this.domains.set(def.uuid, obj);
    }
    for (const [, text] of readFilesOf(this.paths.runDir, STATUS_EXT)) {
      const status = JSON.parse(text) as DomainStatus;
      const live = parseDomainXml(status.xml, { inactive: false, hostArch: this.caps.host.cpu.arch });
      const obj = this.domains.get(live.uuid) ?? new XenDomainObj(null);
      obj.live = live;
      obj.setState(status.state, status.reason);
      this.domains.set(live.uuid, obj);
    }
  }

  serialized<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  /**
   * Run `fn` as the domain's job (libvirt's virDomainObjBeginJob for a modify job): serialized
   * with every other toolstack action, and visible to GetJobInfo while it runs.
   */
  inJob<T>(dom: DomainRef, fn: (obj: XenDomainObj) => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      const obj = this.obj(dom);
      obj.jobStarted = Date.now();
      try {
        return await fn(obj);
      } finally {
        obj.jobStarted = null;
      }
    });
  }

  subscribe(listener: (e: DomainEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Publish a lifecycle event of the domain as `dom` describes it (virDomainEventLifecycleNew). */
  private emit(dom: DomainRef, event: DomainEventType, detail: number): void {
    this.events.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom, event, detail });
  }

  // --- lookups -----------------------------------------------------------------------------

  byName(name: string): XenDomainObj | undefined {
    for (const d of this.domains.values()) if (d.name === name) return d;
    return undefined;
  }

  /** libxlDomObjFromDomain: the domain behind a handle, by UUID. */
  obj(ref: DomainRef): XenDomainObj {
    const d = this.domains.get(ref.uuid);
    if (!d) throw libxlError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return d;
  }

  // --- definitions -------------------------------------------------------------------------

  /** virDomainObjListAdd's checks: one name per UUID, one UUID per name. */
  private claim(def: DomainDef): XenDomainObj | undefined {
    const same = this.domains.get(def.uuid);
    if (same && same.name !== def.name) {
      throw libxlError(ErrorNumber.VIR_ERR_OPERATION_FAILED, `domain '${same.name}' is already defined with uuid ${def.uuid}`);
    }
    const named = this.byName(def.name);
    if (named && named.uuid !== def.uuid) {
      throw libxlError(ErrorNumber.VIR_ERR_OPERATION_FAILED, `domain '${def.name}' already exists with uuid ${named.uuid}`);
    }
    return same;
  }

  async define(xml: string): Promise<XenDomainObj> {
    const def = parseXenDomain(xml, this.caps, true);
    const known = this.claim(def);
    await this.saveConfig(def);
    const obj = known ?? new XenDomainObj(null);
    const updated = obj.persistent !== null;
    obj.persistent = def;
    this.domains.set(def.uuid, obj);
    this.emit(
      obj.ref(),
      DomainEventType.VIR_DOMAIN_EVENT_DEFINED,
      updated ? DomainEventDefinedDetailType.VIR_DOMAIN_EVENT_DEFINED_UPDATED : DomainEventDefinedDetailType.VIR_DOMAIN_EVENT_DEFINED_ADDED,
    );
    return obj;
  }

  async undefine(obj: XenDomainObj, flags: number): Promise<void> {
    if (!obj.persistent) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot undefine transient domain');
    if (this.hasManagedSave(obj)) {
      if (!(flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Refusing to undefine while domain managed save image exists');
      }
      await this.removeManagedSave(obj);
    }
    await fs.promises.rm(this.configFile(obj.name), { force: true });
    await fs.promises.rm(this.autostartLink(obj.name), { force: true });
    obj.autostart = false;
    const dom = obj.ref();
    obj.persistent = null;
    this.emit(dom, DomainEventType.VIR_DOMAIN_EVENT_UNDEFINED, DomainEventUndefinedDetailType.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (!obj.active) this.domains.delete(dom.uuid);
  }

  async setAutostart(obj: XenDomainObj, on: boolean): Promise<void> {
    if (!obj.persistent) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot set autostart for transient domain');
    const link = this.autostartLink(obj.name);
    await fs.promises.rm(link, { force: true });
    if (on) {
      await fs.promises.mkdir(this.paths.autostartDir, { recursive: true });
      await fs.promises.symlink(this.configFile(obj.name), link);
    }
    obj.autostart = on;
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** createXML: a transient domain, started at once. */
  async createTransient(xml: string, paused: boolean): Promise<XenDomainObj> {
    const def = parseXenDomain(xml, this.caps, true);
    const known = this.claim(def);
    if (known?.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `domain '${def.name}' is already active`);
    const obj = known ?? new XenDomainObj(null);
    this.domains.set(def.uuid, obj);
    try {
      await this.start(obj, paused, def);
    } catch (e) {
      if (!obj.persistent) this.domains.delete(def.uuid);
      throw e;
    }
    return obj;
  }

  /**
   * libxlDomainStart: restore the managed save if there is one, else write the xl.cfg of the
   * definition and have the toolstack create it.
   */
  async start(obj: XenDomainObj, paused: boolean, def: DomainDef = obj.def): Promise<void> {
    if (obj.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain is already running');
    const managed = this.managedSavePath(def.name);
    if (fs.existsSync(managed)) {
      const image = await readImage(managed);
      const saved = parseXenDomain(image.xml, this.caps, true);
      if (saved.name !== def.name || saved.uuid !== def.uuid) {
        throw libxlError(
          ErrorNumber.VIR_ERR_OPERATION_FAILED,
          `cannot restore domain '${def.name}' uuid ${def.uuid} from a file which belongs to domain '${saved.name}' uuid ${saved.uuid}`,
        );
      }
      await this.restoreInto(obj, saved, managed, image.payloadOffset, paused);
      await fs.promises.rm(managed, { force: true });
      return;
    }
    const xml = formatDomainXml(def, { inactive: true, secure: true });
    const cfgFile = this.runFile(def.name, '.cfg');
    await writeFileAtomic(cfgFile, domainXmlToXlConfig(xml));
    try {
      await this.xl.create(cfgFile, { paused });
      await this.launched(obj, xml, paused, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED);
    } catch (e) {
      await fs.promises.rm(cfgFile, { force: true });
      throw e;
    }
  }

  /** Adopt the domain the toolstack just created or restored from `xml`, and announce it. */
  private async launched(obj: XenDomainObj, xml: string, paused: boolean, detail: DomainEventStartedDetailType): Promise<void> {
    const live = parseDomainXml(xml, { inactive: false, hostArch: this.caps.host.cpu.arch });
    const row = (await this.xl.list()).find((r) => r.uuid === live.uuid);
    if (!row) throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `xl created no domain '${live.name}'`);
    live.id = row.domid;
    await recordConsoles(this.xl, live);
    obj.live = live;
    if (paused) obj.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
    else obj.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
    await this.saveStatus(obj);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_STARTED, detail);
    if (paused) {
      this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
  }

  // --- save and restore --------------------------------------------------------------------

  /** libxlDoDomainSave: suspend a running domain into an image at `to`; it is shut off afterwards. */
  async save(obj: XenDomainObj, to: string): Promise<void> {
    const domid = this.running(obj);
    if (obj.state === DomainState.VIR_DOMAIN_PAUSED) {
      throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `Domain '${domid}' has to be running because libxenlight will suspend it`);
    }
    await checkWritable(to);
    const xml = formatDomainXml(obj.live!, {});
    const stream = this.runFile(obj.name, '.xlsave');
    try {
      await this.xl.save(domid, stream).catch(() => {
        throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to save domain '${domid}' with libxenlight`);
      });
      await writeImage(to, xml, stream);
    } finally {
      await fs.promises.rm(stream, { force: true });
    }
    await this.stopped(obj, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SAVED);
  }

  /** libxlDomainRestoreFlags: a domain running again from an image (transient unless defined). */
  async restore(from: string, paused: boolean): Promise<XenDomainObj> {
    const image = await readImage(from);
    const def = parseXenDomain(image.xml, this.caps, true);
    const known = this.claim(def);
    if (known?.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `domain '${def.name}' is already active`);
    const obj = known ?? new XenDomainObj(null);
    this.domains.set(def.uuid, obj);
    try {
      await this.restoreInto(obj, def, from, image.payloadOffset, paused);
    } catch (e) {
      if (!obj.persistent) this.domains.delete(def.uuid);
      throw e;
    }
    return obj;
  }

  private async restoreInto(obj: XenDomainObj, def: DomainDef, image: string, offset: number, paused: boolean): Promise<void> {
    const stream = this.runFile(def.name, '.xlrestore');
    try {
      await extractPayload(image, offset, stream);
      await this.xl.restore(stream, { paused });
    } finally {
      await fs.promises.rm(stream, { force: true });
    }
    const xml = formatDomainXml(def, { inactive: true, secure: true });
    await this.launched(obj, xml, paused, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_RESTORED);
  }

  /** libxlDomainManagedSave: save a persistent domain where the next start finds it. */
  async managedSave(obj: XenDomainObj): Promise<void> {
    if (!obj.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain is not running');
    if (!obj.persistent) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot do managed save for transient domain');
    await fs.promises.mkdir(this.paths.saveDir, { recursive: true, mode: 0o700 });
    await this.save(obj, this.managedSavePath(obj.name));
  }

  hasManagedSave(obj: XenDomainObj): boolean {
    return fs.existsSync(this.managedSavePath(obj.name));
  }

  async removeManagedSave(obj: XenDomainObj): Promise<void> {
    await fs.promises.rm(this.managedSavePath(obj.name), { force: true });
  }

  async destroy(obj: XenDomainObj): Promise<void> {
    await this.xl.destroy(this.running(obj));
    await this.stopped(
      obj,
      DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED,
      DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
    );
  }

  async shutdown(obj: XenDomainObj): Promise<void> {
    await this.xl.shutdown(this.running(obj));
  }

  async reboot(obj: XenDomainObj): Promise<void> {
    await this.xl.reboot(this.running(obj));
  }

  async suspend(obj: XenDomainObj): Promise<void> {
    const domid = this.running(obj);
    if (obj.state === DomainState.VIR_DOMAIN_PAUSED) return;
    await this.xl.pause(domid);
    obj.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
    await this.saveStatus(obj);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  }

  async resume(obj: XenDomainObj): Promise<void> {
    const domid = this.running(obj);
    if (obj.state !== DomainState.VIR_DOMAIN_PAUSED) return;
    await this.xl.unpause(domid);
    obj.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED);
    await this.saveStatus(obj);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
  }

  /**
   * Bring the domains in line with what the toolstack runs: a domain gone from `xl list` shut
   * down by itself; one whose domid changed was rebooted by xl; pause flags changed outside.
   * Returns the toolstack's rows by UUID (none are read when no domain runs).
   */
  async refresh(): Promise<Map<string, XlDomainRow>> {
    if (![...this.domains.values()].some((d) => d.active)) return new Map();
    const rows = new Map((await this.xl.list()).map((r) => [r.uuid, r]));
    for (const obj of [...this.domains.values()]) {
      if (!obj.active) continue;
      const row = rows.get(obj.uuid);
      if (!row || row.dying || (row.shutdown && row.shutdownReason !== 'r')) {
        if (!row) {
          await this.stopped(
            obj,
            DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN,
            DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
          );
        }
        continue;
      }
      const wasPaused = obj.state === DomainState.VIR_DOMAIN_PAUSED;
      if (row.domid === obj.domid && row.paused === wasPaused) continue;
      if (row.domid !== obj.domid) {
        // A rebooted domain is a new domain to Xen: new domid, new console ptys.
        obj.live!.id = row.domid;
        await recordConsoles(this.xl, obj.live!);
      }
      if (row.paused && !wasPaused) {
        obj.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN);
        this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
      } else if (!row.paused && wasPaused) {
        obj.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED);
        this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
      }
      await this.saveStatus(obj);
    }
    return rows;
  }

  private running(obj: XenDomainObj): number {
    if (!obj.active) throw libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Domain is not running');
    return obj.domid;
  }

  /** libxlDomainCleanup: forget the run files; a transient domain is gone. */
  private async stopped(obj: XenDomainObj, reason: DomainShutoffReason, detail: DomainEventStoppedDetailType): Promise<void> {
    await fs.promises.rm(this.runFile(obj.name, STATUS_EXT), { force: true });
    await fs.promises.rm(this.runFile(obj.name, '.cfg'), { force: true });
    const dom = { ...obj.ref(), id: -1 };
    obj.live = null;
    obj.setState(DomainState.VIR_DOMAIN_SHUTOFF, reason);
    if (!obj.persistent) this.domains.delete(dom.uuid);
    this.emit(dom, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, detail);
  }

  /** Record a running domain's state and live XML (virDomainObjSave). */
  saveStatus(obj: XenDomainObj): Promise<void> {
    const status: DomainStatus = { state: obj.state, reason: obj.reason, xml: formatDomainXml(obj.live!, { secure: true }) };
    return writeFileAtomic(this.runFile(obj.name, STATUS_EXT), JSON.stringify(status), { durable: false });
  }

  /** Write a persistent definition (virDomainDefSave). */
  saveConfig(def: DomainDef): Promise<void> {
    return writeFileAtomic(this.configFile(def.name), formatDomainXml(def, { inactive: true, secure: true }));
  }

  private managedSavePath(name: string): string {
    return path.join(this.paths.saveDir, `${name}.save`);
  }

  private configFile(name: string): string {
    return path.join(this.paths.configDir, `${name}.xml`);
  }

  private autostartLink(name: string): string {
    return path.join(this.paths.autostartDir, `${name}.xml`);
  }

  private runFile(name: string, ext: string): string {
    return path.join(this.paths.runDir, `${name}${ext}`);
  }
}
