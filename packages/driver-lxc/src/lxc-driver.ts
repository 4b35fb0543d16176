/**
 * The state of the LXC driver for one tree of files (libvirt's virLXCDriver): the host's
 * capabilities, the domains it knows and their lifecycle. A running container belongs to its
 * controller process, not to the driver: a driver opened later finds it by the status the
 * starting driver recorded and the controller's socket, and hears of its end when the
 * controller's monitor connection closes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as net from 'node:net';
import {
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
  ErrorDomain,
  ErrorNumber,
  EventHub,
  SerialQueue,
  VirError,
  readFilesOf,
  writeFileAtomic,
  type DomainEvent,
  type DomainRef,
  modificationImpact,
} from '@virtkit/core';
import { formatDomainXml, mkEl, type Capabilities, type DomainDef } from '@virtkit/xml';
import { groupOf, setFrozen } from './container/cgroups';
import type { LiveTuning } from '@virtkit/cgroups';
import { alive, connectController, readPids, startController, takeExitRecord, type ExitRecord } from './container/controller';
import { containerPlan, initScript, type ContainerPlan } from './container/plan';
import { LxcDomainObj } from './domains/obj';
import { aliasConsoles, defaultResourcePartition, parseLxcDomain } from './domains/xml';
import type { LxcPaths } from './paths';

/** What the driver records of a running container (libvirt's domstatus). */
interface DomainStatus {
  state: DomainState;
  reason: number;
  xml: string;
  plan: ContainerPlan;
}

const STATUS_EXT = '.status.json';

export const lxcError = (code: ErrorNumber, detail: string | null) => VirError.create(code, ErrorDomain.VIR_FROM_LXC, detail);

export class LxcDriver {
  readonly domains = new Map<string, LxcDomainObj>();
  readonly plans = new Map<string, ContainerPlan>();
  private readonly monitors = new Map<string, net.Socket>();
  /** Per running container, settles once its controller's monitor is reached (or it is gone). */
  private readonly watching = new Map<string, Promise<void>>();
  private readonly events = new EventHub<DomainEvent>();
  /** Domains the driver itself is stopping: their controller's end is not news. */
  private readonly stopping = new Set<string>();
  private readonly queue = new SerialQueue();

  constructor(
    readonly paths: LxcPaths,
    readonly caps: Capabilities,
    /** The bridge of a virtual network, for `<interface type='network'>`. */
    readonly bridgeOfNetwork: (network: string) => string,
  ) {}

  static async open(paths: LxcPaths, caps: Capabilities, bridgeOfNetwork: (network: string) => string): Promise<LxcDriver> {
    const d = new LxcDriver(paths, caps, bridgeOfNetwork);
    await d.load();
    return d;
  }

  /** Persistent definitions, then the containers a previous driver started that still run. */
  private async load(): Promise<void> {
    for (const [, xml] of readFilesOf(this.paths.configDir, '.xml')) {
      const def = parseLxcDomain(xml, this.caps, true);
      const obj = new LxcDomainObj(def);
      obj.autostart = fs.existsSync(this.autostartLink(def.name));
      this.domains.set(def.uuid, obj);
    }
    for (const [name, text] of readFilesOf(this.paths.runDir, STATUS_EXT)) {
      const status = JSON.parse(text) as DomainStatus;
      const pids = readPids(this.paths.runDir, name);
      if (!pids?.init || !alive(pids.controller)) {
        takeExitRecord(this.paths.runDir, name);
        await fs.promises.rm(this.runFile(name, STATUS_EXT), { force: true });
        continue;
      }
      const live = parseLxcDomain(status.xml, this.caps, false);
      const obj = this.domains.get(live.uuid) ?? new LxcDomainObj(null);
      obj.live = live;
      obj.controllerPid = pids.controller;
      obj.initPid = pids.init;
      obj.setState(status.state, status.reason);
      this.domains.set(live.uuid, obj);
      this.plans.set(live.uuid, status.plan);
      await this.follow(obj, status.plan);
    }
  }

  serialized<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  subscribe(listener: (e: DomainEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  private emit(dom: DomainRef, event: DomainEventType, detail: number): void {
    this.events.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom, event, detail });
  }

  byName(name: string): LxcDomainObj | undefined {
    for (const d of this.domains.values()) if (d.name === name) return d;
    return undefined;
  }

  obj(ref: DomainRef): LxcDomainObj {
    const d = this.domains.get(ref.uuid);
    if (!d) throw lxcError(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return d;
  }

  plan(obj: LxcDomainObj): ContainerPlan {
    const p = this.plans.get(obj.uuid);
    if (!p || !obj.active) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain is not running');
    return p;
  }

  // --- definitions -------------------------------------------------------------------------

  private claim(def: DomainDef): LxcDomainObj | undefined {
    const same = this.domains.get(def.uuid);
    if (same && same.name !== def.name) {
      throw lxcError(ErrorNumber.VIR_ERR_OPERATION_FAILED, `domain '${same.name}' is already defined with uuid ${def.uuid}`);
    }
    const named = this.byName(def.name);
    if (named && named.uuid !== def.uuid) {
      throw lxcError(ErrorNumber.VIR_ERR_OPERATION_FAILED, `domain '${def.name}' already exists with uuid ${named.uuid}`);
    }
    return same;
  }

  async define(xml: string): Promise<LxcDomainObj> {
    const def = parseLxcDomain(xml, this.caps, true);
    const known = this.claim(def);
    await writeFileAtomic(this.configFile(def.name), formatDomainXml(def, { inactive: true, secure: true }));
    const obj = known ?? new LxcDomainObj(null);
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

  async undefine(obj: LxcDomainObj): Promise<void> {
    if (!obj.persistent) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Cannot undefine transient domain');
    await fs.promises.rm(this.configFile(obj.name), { force: true });
    await fs.promises.rm(this.autostartLink(obj.name), { force: true });
    obj.autostart = false;
    const dom = obj.ref();
    obj.persistent = null;
    this.emit(dom, DomainEventType.VIR_DOMAIN_EVENT_UNDEFINED, DomainEventUndefinedDetailType.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (!obj.active) this.domains.delete(dom.uuid);
  }

  async setAutostart(obj: LxcDomainObj, on: boolean): Promise<void> {
    if (!obj.persistent) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Cannot set autostart for transient domain');
    const link = this.autostartLink(obj.name);
    await fs.promises.rm(link, { force: true });
    if (on) {
      await fs.promises.mkdir(this.paths.autostartDir, { recursive: true });
      await fs.promises.symlink(this.configFile(obj.name), link);
    }
    obj.autostart = on;
  }

  // --- lifecycle ---------------------------------------------------------------------------

  async createTransient(xml: string): Promise<LxcDomainObj> {
    const def = parseLxcDomain(xml, this.caps, true);
    const known = this.claim(def);
    if (known?.active) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `domain '${def.name}' is already active`);
    const obj = known ?? new LxcDomainObj(null);
    this.domains.set(def.uuid, obj);
    try {
      await this.start(obj, def);
    } catch (e) {
      if (!obj.persistent) this.domains.delete(def.uuid);
      throw e;
    }
    return obj;
  }

  /** virLXCProcessStart: plan the container, have a controller run it, follow it. */
  async start(obj: LxcDomainObj, def: DomainDef = obj.def): Promise<void> {
    if (obj.active) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Domain is already running');
    // The controller hands the container a console; libvirt's cannot start one without.
    if (!def.devices.some((d) => d.kind === 'console'))
      throw lxcError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, 'At least one PTY console is required');
    const live = parseLxcDomain(formatDomainXml(def, { inactive: true, secure: true }), this.caps, false);
    const plan = containerPlan(live, this.paths.runDir, this.bridgeOfNetwork);
    const pids = await startController(plan, live, initScript(live, plan.rootMount));
    live.id = pids.init!;
    this.setConsolePaths(live, pids.tty);
    aliasConsoles(live);
    defaultResourcePartition(live);
    if (obj.persistent) defaultResourcePartition(obj.persistent);
    obj.live = live;
    obj.controllerPid = pids.controller;
    obj.initPid = pids.init!;
    obj.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
    this.plans.set(obj.uuid, plan);
    await this.saveStatus(obj);
    // The controller may still be starting: following it does not hold up the start.
    void this.follow(obj, plan);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED);
  }

  /** The first console shows the container's pty, as libvirt's live XML does. */
  private setConsolePaths(live: DomainDef, tty: string | undefined): void {
    const console = live.devices.find((d) => d.kind === 'console');
    if (!console || !tty?.startsWith('/dev/pts/')) return;
    console.el.attrs.set('tty', tty);
    const old = console.el.children.findIndex((c) => c.kind === 'element' && c.name === 'source');
    if (old >= 0) console.el.children.splice(old, 1);
    console.el.children.unshift(mkEl('source', [['path', tty]]));
  }

  private follow(obj: LxcDomainObj, plan: ContainerPlan): Promise<void> {
    const watched = this.watch(obj, plan);
    this.watching.set(obj.uuid, watched);
    return watched;
  }

  /** Once the container's controller serves its socket (it starts beside the container). */
  async controllerReady(obj: LxcDomainObj): Promise<void> {
    await this.watching.get(obj.uuid);
  }

  /** Follow the controller's monitor: its close is the container's end. */
  private async watch(obj: LxcDomainObj, plan: ContainerPlan): Promise<void> {
    const controller = obj.controllerPid;
    let monitor: net.Socket | undefined;
    while (!monitor) {
      try {
        monitor = await connectController(plan.socket, 'M');
      } catch {
        if (!alive(controller)) {
          await this.ended(obj, takeExitRecord(plan.runDir, plan.name));
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    this.monitors.set(obj.uuid, monitor);
    // Following a container never keeps the process alive: vsh exits, the container stays.
    monitor.unref();
    monitor.on('error', () => undefined);
    monitor.on('close', () => {
      if (this.monitors.get(obj.uuid) !== monitor) return;
      this.monitors.delete(obj.uuid);
      if (this.stopping.has(obj.uuid)) return;
      void this.serialized(async () => {
        await this.waitExitRecord(plan, obj.controllerPid);
        await this.ended(obj, takeExitRecord(plan.runDir, plan.name));
      });
    });
  }

  private async waitExitRecord(plan: ContainerPlan, controllerPid: number): Promise<void> {
    const file = path.join(plan.runDir, `${plan.name}.exit.json`);
    for (let i = 0; i < 500 && !fs.existsSync(file) && alive(controllerPid); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async ended(obj: LxcDomainObj, rec: ExitRecord | undefined): Promise<void> {
    if (!obj.active) return;
    if (rec?.reason === 'destroyed') {
      await this.stopped(
        obj,
        DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED,
        DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
      );
    } else if (rec?.reason === 'failed' || (rec?.code ?? 0) !== 0) {
      await this.stopped(obj, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FAILED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED);
    } else {
      await this.stopped(
        obj,
        DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN,
        DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
      );
    }
  }

  /** virLXCProcessStop: the controller kills what runs in the container and cleans up after it. */
  async destroy(obj: LxcDomainObj): Promise<void> {
    const plan = this.plan(obj);
    await this.controllerReady(obj);
    this.plan(obj);
    // A transient domain has no definition left once stopped: keep its uuid.
    const uuid = obj.uuid;
    this.stopping.add(uuid);
    try {
      const monitor = this.monitors.get(uuid);
      const closed = new Promise<void>((r) => (monitor && !monitor.destroyed ? monitor.once('close', () => r()) : r()));
      try {
        process.kill(obj.controllerPid, 'SIGTERM');
      } catch {
        // the controller already ended
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 15000)))]);
      clearTimeout(timer);
      await this.waitExitRecord(plan, obj.controllerPid);
      takeExitRecord(plan.runDir, plan.name);
      this.monitors.delete(uuid);
      await this.stopped(
        obj,
        DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED,
        DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
      );
    } finally {
      this.stopping.delete(uuid);
    }
  }

  /** lxcDomainShutdownFlags with the signal method: SIGTERM to the container's init. */
  async shutdown(obj: LxcDomainObj): Promise<void> {
    this.plan(obj);
    process.kill(obj.initPid, 'SIGTERM');
  }

  /** lxcDomainReboot with the signal method: SIGHUP to the container's init. */
  async reboot(obj: LxcDomainObj): Promise<void> {
    this.plan(obj);
    process.kill(obj.initPid, 'SIGHUP');
  }

  async suspend(obj: LxcDomainObj): Promise<void> {
    const plan = this.plan(obj);
    if (obj.state === DomainState.VIR_DOMAIN_PAUSED) return;
    setFrozen(plan.cgroup, true);
    obj.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
    await this.saveStatus(obj);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  }

  async resume(obj: LxcDomainObj): Promise<void> {
    const plan = this.plan(obj);
    if (obj.state === DomainState.VIR_DOMAIN_RUNNING) throw lxcError(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain is already running');
    if (obj.state !== DomainState.VIR_DOMAIN_PAUSED) return;
    setFrozen(plan.cgroup, false);
    obj.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED);
    await this.saveStatus(obj);
    this.emit(obj.ref(), DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
  }

  private async stopped(obj: LxcDomainObj, reason: DomainShutoffReason, detail: DomainEventStoppedDetailType): Promise<void> {
    if (!obj.active) return;
    await fs.promises.rm(this.runFile(obj.name, STATUS_EXT), { force: true });
    for (const ext of ['.plan.json', '.pid.json']) await fs.promises.rm(this.runFile(obj.name, ext), { force: true });
    const dom = { ...obj.ref(), id: -1 };
    obj.live = null;
    obj.controllerPid = 0;
    obj.initPid = 0;
    this.plans.delete(dom.uuid);
    this.watching.delete(dom.uuid);
    obj.setState(DomainState.VIR_DOMAIN_SHUTOFF, reason);
    if (!obj.persistent) this.domains.delete(dom.uuid);
    this.emit(dom, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, detail);
  }

  /**
   * Change the running and/or persistent definition as `flags` choose (virDomainObjGetDefs):
   * `change` gets the live definition with the container's group and a copy of the persistent
   * one; both are stored after it.
   */
  async modifyDefs(obj: LxcDomainObj, flags: number, change: (live: LiveTuning | null, config: DomainDef | null) => void): Promise<void> {
    const which = modificationImpact({ active: obj.active, persistent: obj.persistent !== null }, flags);
    const live = which.live ? { def: obj.live!, cg: groupOf(this.plan(obj).cgroup) } : null;
    const config = which.config
      ? parseLxcDomain(formatDomainXml(obj.persistent!, { inactive: true, secure: true }), this.caps, true)
      : null;
    change(live, config);
    if (live) await this.saveStatus(obj);
    if (config) {
      await writeFileAtomic(this.configFile(config.name), formatDomainXml(config, { inactive: true, secure: true }));
      obj.persistent = config;
    }
  }

  private saveStatus(obj: LxcDomainObj): Promise<void> {
    const status: DomainStatus = {
      state: obj.state,
      reason: obj.reason,
      xml: formatDomainXml(obj.live!, { secure: true }),
      plan: this.plans.get(obj.uuid)!,
    };
    return writeFileAtomic(this.runFile(obj.name, STATUS_EXT), JSON.stringify(status), { durable: false });
  }

  private configFile(name: string): string {
    return path.join(this.paths.configDir, `${name}.xml`);
  }

  private autostartLink(name: string): string {
    return path.join(this.paths.autostartDir, `${name}.xml`);
  }

  runFile(name: string, ext: string): string {
    return path.join(this.paths.runDir, `${name}${ext}`);
  }
}
