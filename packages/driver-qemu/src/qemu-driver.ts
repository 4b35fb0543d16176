/**
 * The state of the QEMU driver for one set of directories (libvirt's virQEMUDriver): the domain
 * list, the process runtimes, per-domain job locks, the capabilities of the emulator and the
 * event feed. Every connection of this process to the same URI shares one instance; opening it
 * takes the directory's driver lock, loads the persistent definitions, re-attaches to the QEMU
 * processes recorded in status files and starts the autostart domains.
 *
 * Extension modules (storage, block jobs, checkpoints, ...) plug in through `addHooks` (domain
 * lifecycle and QMP events, undefine checks, list facts), `hostLookups` (pools, volumes,
 * secrets for the command line), `QemuDomainObj.extension()` for per-domain state,
 * `withJob()` for the per-domain job lock, `saveDef()` to store a changed definition and
 * `emit()` to publish domain events.
 */
import { DomainEventID, DomainEventType, DomainShutoffReason, EventHub, type DomainEvent, type DomainRef } from '@virtkit/core';
import { type DomainDef } from '@virtkit/xml';
import { QemuCapsCache, findQemuBinaries } from './caps';
import type { QemuCaps } from './caps/types';
import { acquireDriverLock } from './driver-lock';
import { DomainJobs, type DomainAsyncJobKind, type DomainJobKind } from './jobs';
import { capsCacheDir, type QemuPaths } from './paths';
import { QemuProcessManager, type LifecycleEvent } from './process';
import type { QmpEvent } from './qmp/client';
import type { HostLookups } from './host/build-context';
import { getAutostart, loadConfigs, saveConfig } from './domains/config';
import { LoadReport } from './state/state-dir';
import { configUnsupported } from './domains/errors';
import { DomainList, type DomainListExtras } from './domains/list';
import { QemuDomainObj } from './domains/obj';
import { parseStored } from './domains/parse';
import { liveXml } from './domains/start';
import { disconnectInterfaces } from './net/interfaces';

/** What extension modules can observe or veto. Every member is optional. */
export interface QemuDriverHooks {
  /** The domain has just started (live definition and monitor available). */
  started?(obj: QemuDomainObj): void;
  /** The domain has just stopped (`reason`: a ShutoffReason value). */
  stopped?(obj: QemuDomainObj, reason: number): void;
  /** Every QMP event of a running domain. */
  qmpEvent?(obj: QemuDomainObj, event: QmpEvent): void;
  /** The driver re-attached to the domain's running QEMU (after a restart of the driver). */
  reconnected?(obj: QemuDomainObj): Promise<void>;
  /** A run that ended while no driver followed it, by its live definition: undo what it left on the host. */
  endedUnwatched?(live: DomainDef): void;
  /**
   * The driver has loaded every domain and re-attached to the running ones: finish or undo
   * work a process that opened the root before left unfinished (a journaled snapshot create).
   */
  opened?(): Promise<void>;
  /** Before a start; throw a VirError to refuse (e.g. an offline backup holds the images). */
  beforeStart?(obj: QemuDomainObj): Promise<void>;
  /** Before undefine; throw a VirError to refuse (e.g. snapshot metadata without the flag). */
  beforeUndefine?(obj: QemuDomainObj, flags: number): Promise<void>;
  /** After undefine removed the persistent definition. */
  afterUndefine?(obj: QemuDomainObj, flags: number): Promise<void>;
  /** Counts for the list filters. */
  listFacts?(obj: QemuDomainObj): Partial<DomainListExtras>;
  /** The driver state is closing: finish background work that writes under its directories. */
  closing?(): Promise<void>;
}

const STOPPED = DomainEventType.VIR_DOMAIN_EVENT_STOPPED;

export class QemuDriver {
  readonly domains = new DomainList();
  readonly jobs = new DomainJobs();
  /** State files this driver could not load (each also logged), and temp files it removed. */
  readonly loadReport = new LoadReport();
  readonly manager: QemuProcessManager;
  /** Pool, volume and secret lookups the command line uses; storage and secret modules fill them. */
  hostLookups: HostLookups = {};
  private readonly hooks: QemuDriverHooks[] = [];
  private readonly events = new EventHub<DomainEvent>();
  private readonly capsCache: QemuCapsCache;
  private capsPromise: Promise<QemuCaps> | undefined;
  private releaseLock: (() => void) | undefined;

  constructor(readonly paths: QemuPaths) {
    this.manager = new QemuProcessManager(paths);
    this.capsCache = new QemuCapsCache({ dir: capsCacheDir(paths) });
  }

  /** Take the directory lock, load definitions, re-attach to running QEMUs. */
  async load(): Promise<void> {
    this.releaseLock = await acquireDriverLock(this.paths.stateDir);
    try {
      for (const { file, value: def } of await loadConfigs(this.paths, this.loadReport)) {
        // As libvirt: names and UUIDs are unique.
        const clash = this.domains.findByName(def.name) ?? this.domains.findByUuid(def.uuid);
        if (clash) {
          this.loadReport.problem(file, `domain '${clash.name}' is already defined with uuid ${clash.uuid}`);
          continue;
        }
        this.adopt(def.name, def.uuid, def);
      }
      await this.reconnect();
      for (const h of this.hooks) await h.opened?.().catch(() => undefined);
    } catch (e) {
      this.releaseLock();
      this.releaseLock = undefined;
      throw e;
    }
  }

  /** Stop following the QEMU processes (they keep running) and release the lock. */
  async close(): Promise<void> {
    for (const h of this.hooks) await h.closing?.().catch(() => undefined);
    await this.manager.detachAll();
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  /** The emulator binary: `qemu-system-x86_64` in PATH. */
  emulator(): string {
    const found = findQemuBinaries().find((b) => b.endsWith('/qemu-system-x86_64'));
    if (!found) throw configUnsupported('no QEMU binary qemu-system-x86_64 found in PATH');
    return found;
  }

  /** Capabilities of the emulator (probed once, then cached on disk). */
  caps(): Promise<QemuCaps> {
    if (!this.capsPromise) {
      const p = Promise.resolve().then(() => this.capsCache.get(this.emulator()));
      // A failed probe is retried by the next caller.
      p.catch(() => {
        if (this.capsPromise === p) this.capsPromise = undefined;
      });
      this.capsPromise = p;
    }
    return this.capsPromise;
  }

  addHooks(h: QemuDriverHooks): void {
    this.hooks.push(h);
  }

  /**
   * Run `fn` holding the domain's job lock (libvirt's qemuDomainObjBeginJob / EndJob), or as one
   * of libvirt's asynchronous jobs when `asyncJob` names it (qemuDomainObjBeginAsyncJob).
   */
  withJob<T>(obj: QemuDomainObj, kind: DomainJobKind, owner: string, fn: () => Promise<T>, asyncJob?: DomainAsyncJobKind): Promise<T> {
    return this.jobs.run(obj.uuid, kind, owner, fn, undefined, asyncJob);
  }

  // ---- events ----

  subscribe(listener: (e: DomainEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Publish an event of `dom` to every connection. */
  emit(eventId: number, dom: DomainRef, payload: Record<string, unknown>): void {
    this.events.emit({ ...payload, eventId, dom });
  }

  lifecycle(obj: QemuDomainObj, event: number, detail: number): void {
    this.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, obj.ref(), { event, detail });
  }

  // ---- domain objects ----

  /** Add a domain object (and its runtime) to the list. */
  adopt(name: string, uuid: string, persistentDef: DomainDef | undefined): QemuDomainObj {
    const runtime = this.manager.domain(name, uuid);
    const obj = new QemuDomainObj(runtime, persistentDef);
    this.domains.add(obj);
    runtime.on('lifecycle', (ev: LifecycleEvent) => this.onLifecycle(obj, ev));
    runtime.on('qmp-event', (ev: QmpEvent) => this.onQmpEvent(obj, ev));
    runtime.on('reboot', () => this.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_REBOOT, obj.ref(), {}));
    return obj;
  }

  /** Remove a domain that is gone for good (undefined while inactive, or transient and stopped). */
  drop(obj: QemuDomainObj): void {
    this.domains.remove(obj);
    this.manager.forget(obj.name);
  }

  /**
   * Store a definition a module changed: the live one goes to the status file, a persistent
   * one to the config file (atomically in both cases).
   */
  async saveDef(obj: QemuDomainObj, def: DomainDef): Promise<void> {
    if (obj.active && def === obj.liveDef) {
      await obj.runtime.updateLiveXml(liveXml(def));
      return;
    }
    await saveConfig(this.paths, def);
    obj.persistentDef = def;
  }

  facts(obj: QemuDomainObj): DomainListExtras {
    const f: DomainListExtras = {
      autostart: getAutostart(this.paths, obj.name),
      managedSave: false,
      hasSnapshot: false,
      hasCheckpoint: false,
    };
    for (const h of this.hooks) Object.assign(f, h.listFacts?.(obj));
    return f;
  }

  async runBeforeStart(obj: QemuDomainObj): Promise<void> {
    for (const h of this.hooks) await h.beforeStart?.(obj);
  }

  async runBeforeUndefine(obj: QemuDomainObj, flags: number): Promise<void> {
    for (const h of this.hooks) await h.beforeUndefine?.(obj, flags);
  }

  async runAfterUndefine(obj: QemuDomainObj, flags: number): Promise<void> {
    for (const h of this.hooks) await h.afterUndefine?.(obj, flags);
  }

  notifyStarted(obj: QemuDomainObj): void {
    for (const h of this.hooks) h.started?.(obj);
  }

  private onLifecycle(obj: QemuDomainObj, ev: LifecycleEvent): void {
    this.lifecycle(obj, ev.event, ev.detail);
    if (ev.event !== STOPPED) return;
    const reason = obj.runtime.state.reason;
    if (obj.liveDef) disconnectInterfaces(obj.liveDef, this.paths);
    obj.liveDef = undefined;
    obj.fakeReboot = false;
    for (const h of this.hooks) h.stopped?.(obj, reason);
    if (!obj.persistent) this.drop(obj);
  }

  /**
   * A guest shutdown: QEMU runs with `-no-shutdown`, so it only stops; finish the reboot that
   * asked for it, or end the process the way `on_poweroff` says (libvirt's
   * qemuProcessShutdownOrReboot).
   */
  private onQmpEvent(obj: QemuDomainObj, ev: QmpEvent): void {
    for (const h of this.hooks) h.qmpEvent?.(obj, ev);
    if (ev.event !== 'SHUTDOWN' || !obj.active || obj.runtime.isStopping) return;
    // QEMU told to quit exits by itself (and still owes the reply): its monitor EOF ends the domain.
    if (ev.data.reason === 'host-qmp-quit') return;
    const restart = obj.fakeReboot || obj.liveDef?.onPoweroff === 'restart';
    obj.fakeReboot = false;
    // After the runtime has recorded the shutdown (state, SHUTDOWN event) for this same event.
    setImmediate(() => {
      if (!obj.active || obj.runtime.isStopping) return;
      if (restart) void obj.runtime.fakeReboot().catch(() => undefined);
      else void obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN).catch(() => undefined);
    });
  }

  /** Undo the host side of NICs of a run that ended while no driver followed it. */
  private disconnectEnded(xml: string): void {
    try {
      const live = parseStored(xml, true);
      disconnectInterfaces(live, this.paths);
      for (const h of this.hooks) h.endedUnwatched?.(live);
    } catch {
      // an unreadable live XML: nothing to learn from it
    }
  }

  /** Re-attach to the QEMU processes of the status files (qemuProcessReconnectAll). */
  private async reconnect(): Promise<void> {
    const results = await this.manager.reconnectAll(undefined, this.loadReport);
    for (const r of results) {
      let obj = this.domains.findByUuid(r.uuid);
      const runtime = this.manager.domains.get(r.name);
      if (r.outcome === 'running' && runtime?.liveXml) {
        const live = parseStored(runtime.liveXml, true);
        if (!obj) obj = this.adopt(r.name, r.uuid, undefined);
        obj.liveDef = live;
        // An extension that cannot take back its state must not keep the driver from opening.
        for (const h of this.hooks) await h.reconnected?.(obj).catch(() => undefined);
      } else {
        if (r.xml) this.disconnectEnded(r.xml);
        if (!obj) this.manager.forget(r.name);
      }
    }
  }
}
