/**
 * One domain's QEMU process (libvirt's qemu_process.c, reduced): start it as a recoverable
 * sequence of steps, follow its monitor through the state machine (domain-state.ts), keep its
 * status record (status-store.ts), stop it, and re-attach to it — or reap it — after the driver
 * restarts.
 *
 * A start goes: spawn QEMU paused (`-S`) holding the domain's pid file lock → record the run
 * as "paused, starting up" with the pid → connect the monitor → record the state the start
 * ends in → `cont`. Whatever interrupts it (a crash, SIGKILL, Ctrl-C of the starting process)
 * leaves a record from which the next opener kills a QEMU that did not get to its end, and a
 * QEMU no record names is still found through the pid file it holds.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ErrorDomain,
  ErrorNumber,
  VirError,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
} from '@virtkit/core';
import { truncateBytes } from '../command/builder';
import { pidAlive, pidStartTicks, sleep, writeFileAtomic } from '../fsutil';
import type { QemuPaths } from '../paths';
import { QmpClient, type QmpEvent } from '../qmp/client';
import * as M from './domain-state';
import { killNow, killPid } from './kill';
import { type DomainStateInfo, type LifecycleEvent } from './lifecycle';
import { reapPidFileHolders, removePidFileIfFree } from './pidfile';
import { fileNameFor } from '../state/file-names';
import { pidFilePath, removeStatus, type DomainStatus } from './status';
import { StatusStore } from './status-store';
import { appendLog, readLogTail, spawnQemu } from './spawn';

const QEMU = ErrorDomain.VIR_FROM_QEMU;

export interface StartOptions {
  /** Domain id to assign (the manager picks the next free one when omitted). */
  id?: number;
  /** Live domain XML recorded in the status file. */
  xml: string;
  /**
   * The command line, argv[0] being the emulator (e.g. `buildCommandLine(...).argv`). The
   * runtime makes sure it has `-S`, a QMP monitor, a pid file and the domain's UUID: the
   * `charmonitor` chardev is pointed at the monitor socket the runtime binds and passes as
   * fd 3, missing ones are added.
   */
  argv: string[];
  env?: Array<[string, string]>;
  /** Leave the domain paused after start (VIR_DOMAIN_START_PAUSED). */
  paused?: boolean;
  /** Files to create (mode 0600) in the private directory before QEMU starts, e.g. `master-key.aes`. */
  privateFiles?: Record<string, Uint8Array>;
  /** How long to wait for the monitor (ms). Default 30 000. */
  monitorTimeoutMs?: number;
  /** Descriptors QEMU inherits as fd 4, 5, … (the command line refers to them by number). */
  fds?: number[];
  /** Work on the paused machine before its vCPUs run (NIC link states, loading a saved state). */
  beforeCont?: (mon: QmpClient) => Promise<void>;
  /** The machine continues a saved one: running reason and STARTED detail `restored`. */
  restored?: boolean;
}

/** Run one QMP command on a domain's monitor. */
export type QmpCall = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

export type StopMode = 'graceful' | 'force';

/** Result of re-attaching to one status file on driver open. */
export interface ReconnectResult {
  name: string;
  uuid: string;
  /** `running`: monitoring resumed; `shutoff`: cleaned up. */
  outcome: 'running' | 'shutoff';
  state: DomainStateInfo;
  error?: string;
  /** The live XML of a run found ended (what it leaves on the host, e.g. taps, is undone from it). */
  xml?: string;
}

export interface QemuRuntimeOptions {
  /** How long a stop waits for QEMU to exit after each signal (ms). */
  killWaitMs?: number;
  /** QMP command timeout (ms). */
  commandTimeoutMs?: number;
}

/** What a domain runtime needs from the manager that owns it. */
export interface RuntimeHost {
  readonly paths: QemuPaths;
  readonly opts: QemuRuntimeOptions;
  readonly version: string;
  allocateId(): number;
  releaseId(id: number): void;
  /** Publish a lifecycle event of any domain to the manager's listeners. */
  publish(name: string, uuid: string, ev: LifecycleEvent): void;
}

/** Events of a domain runtime: `lifecycle` (LifecycleEvent), `reboot`, `qmp-event` (QmpEvent), `state`. */
export class QemuDomainRuntime extends EventEmitter {
  private machine: M.MachineState = M.shutoff();
  private mon: QmpClient | undefined;
  private readonly store: StatusStore;
  private stopped: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;

  constructor(
    readonly host: RuntimeHost,
    readonly name: string,
    readonly uuid: string,
  ) {
    super();
    this.store = new StatusStore(host.paths.stateDir);
  }

  get state(): DomainStateInfo {
    return { state: this.machine.state, reason: this.machine.reason };
  }

  get active(): boolean {
    return this.store.record !== undefined;
  }

  /** The driver is stopping the process (a SHUTDOWN or EOF now is its own doing). */
  get isStopping(): boolean {
    return this.machine.stoppingReason !== undefined;
  }

  get pid(): number | undefined {
    return this.store.record?.pid;
  }

  get id(): number {
    return this.store.record?.id ?? -1;
  }

  get monitorPath(): string | undefined {
    return this.store.record?.monitorPath;
  }

  get logPath(): string {
    return path.join(this.host.paths.logDir, fileNameFor(this.name, '.log'));
  }

  /** The pid file the domain's QEMU holds locked while it runs: one QEMU per domain. */
  get pidFile(): string {
    return pidFilePath(this.host.paths.stateDir, this.name);
  }

  get liveXml(): string | undefined {
    return this.store.record?.xml;
  }

  get startTime(): number | undefined {
    return this.store.record?.startTime;
  }

  /** The QMP connection (for callers that need the raw client). */
  get monitor(): QmpClient {
    if (!this.mon || this.mon.closed) throw notRunning();
    return this.mon;
  }

  /** Start QEMU and (unless `paused`) let the vCPUs run. */
  async start(opts: StartOptions): Promise<void> {
    if (this.active) throw VirError.operationInvalid('domain is already running', QEMU);
    const paths = this.host.paths;
    const id = opts.id ?? this.host.allocateId();
    const privateDir = domainPrivateDir(paths.libDir, id, this.name);
    const monitorPath = path.join(privateDir, 'monitor.sock');
    const pidFile = this.pidFile;
    await Promise.all([paths.stateDir, paths.logDir, paths.libDir].map((d) => fs.promises.mkdir(d, { recursive: true, mode: 0o700 })));
    await fs.promises.mkdir(privateDir, { recursive: true, mode: 0o750 });
    for (const [file, data] of Object.entries(opts.privateFiles ?? {})) {
      await writeFileAtomic(path.join(privateDir, file), data, 0o600, { durable: false });
    }
    await this.reapUntracked('before a start');
    const run = await spawnQemu({
      argv: opts.argv,
      env: opts.env,
      uuid: this.uuid,
      pidFile,
      monitorPath,
      logPath: this.logPath,
      version: this.host.version,
      fds: opts.fds,
    });
    const pid = run.pid;
    const before = this.machine;
    const failStart = async (why: string): Promise<never> => {
      if (pid) await killNow(pid);
      await this.store.remove(this.name);
      this.machine = before;
      await fs.promises.rm(privateDir, { recursive: true, force: true });
      await removePidFileIfFree(pidFile);
      throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, QEMU, why);
    };
    if (!pid) return failStart(`Unable to start QEMU binary ${run.argv[0]}: ${run.error?.message}`);
    // The early record, written while QEMU initializes: from here on an interrupted start is
    // found and reaped by the next opener (the record says the start is not finished).
    this.store.open({
      format: 1,
      name: this.name,
      uuid: this.uuid,
      id,
      pid,
      pidStartTicks: pidStartTicks(pid),
      monitorPath,
      pidFile,
      logPath: this.logPath,
      privateDir,
      emulator: run.argv[0]!,
      argv: run.argv,
      xml: opts.xml,
      startTime: run.startTime,
      state: DomainState.VIR_DOMAIN_PAUSED,
      reason: DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP,
    });
    this.machine = M.startingUp();
    const early = this.store.save();
    let mon: QmpClient;
    try {
      mon = await QmpClient.connect(monitorPath, {
        connectTimeoutMs: opts.monitorTimeoutMs ?? 30_000,
        commandTimeoutMs: this.host.opts.commandTimeoutMs,
        shouldRetry: () => !run.exited() && pidAlive(pid),
        vmName: this.name,
      });
    } catch {
      await early.catch(() => undefined);
      await sleep(20);
      return failStart(`QEMU unexpectedly closed the monitor (vm='${this.name}'): ${await readLogTail(this.logPath, run.logOffset)}`);
    }
    const target = M.startTarget(opts.paused === true, opts.restored === true);
    try {
      await early;
      this.attach(mon);
      this.emit('state', this.state);
      // The last write of a start, made before `cont`: it records the state the start ends in.
      // A re-attach trusts it only when QEMU's query-status agrees (a `cont` that never happened
      // shows `prelaunch`, and such a QEMU is reaped).
      await this.store.save(target);
    } catch (e) {
      // Not a run that ended (no monitor EOF handling, no STOPPED): a start that failed.
      mon.removeAllListeners('close');
      mon.destroy();
      this.mon = undefined;
      this.resolveStopped?.();
      return failStart(`cannot record the status of domain '${this.name}': ${(e as Error).message}`);
    }
    try {
      await opts.beforeCont?.(mon);
      if (!opts.paused) await mon.execute('cont');
    } catch (e) {
      await this.stop('force').catch(() => undefined);
      throw e;
    }
    this.apply(M.started(this.machine, opts.paused === true, opts.restored === true));
  }

  /**
   * Re-attach to a QEMU from its status record, or reap it (qemuProcessReconnect). Resolves with
   * `running` when the monitor answered and the state machine adopts the process; else cleans
   * up — killing a QEMU that is alive but unresponsive, of another domain, or left half-started —
   * and reports the domain shut off: reason `crashed` when the process is gone.
   */
  async reconnect(st: DomainStatus, timeoutMs = 30_000): Promise<ReconnectResult> {
    const base = { name: st.name, uuid: st.uuid, xml: st.xml };
    const sameProcess = pidAlive(st.pid) && (st.pidStartTicks === undefined || pidStartTicks(st.pid) === st.pidStartTicks);
    // A QEMU holding the domain's pid file that is not the recorded one is untracked.
    await this.reapUntracked('on reconnect', sameProcess ? st.pid : undefined);
    if (!sameProcess) {
      await this.cleanup(st);
      return this.ended(base, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED, 'QEMU process is gone');
    }
    if (M.isStartingUp(st)) return this.reap(base, st, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DAEMON, 'the domain was not fully started');
    let mon: QmpClient | undefined;
    try {
      mon = await QmpClient.connect(st.monitorPath, {
        connectTimeoutMs: timeoutMs,
        commandTimeoutMs: this.host.opts.commandTimeoutMs,
        shouldRetry: () => pidAlive(st.pid),
        vmName: st.name,
      });
      const [qs, id] = await Promise.all([
        mon.execute<{ running: boolean; status: string }>('query-status', undefined, { timeoutMs }),
        mon.execute<{ UUID: string }>('query-uuid', undefined, { timeoutMs }),
      ]);
      const decision = M.reattach(st, { ...qs, uuid: id.UUID });
      if (decision.action === 'reap') {
        mon.destroy();
        return this.reap(base, st, decision.reason, decision.why);
      }
      this.store.open(st);
      this.machine = decision.state;
      this.attach(mon);
      this.syncRecord();
      this.emit('state', this.state);
      await this.store.save();
      return { name: st.name, uuid: st.uuid, outcome: 'running', state: this.state };
    } catch (e) {
      mon?.destroy();
      // Alive but not answering: kill it so it cannot end up running twice.
      await killPid(st.pid, true, this.host.opts.killWaitMs ?? 10_000);
      await this.cleanup(st);
      return this.ended(base, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN, (e as Error).message);
    }
  }

  /**
   * Kill a QEMU that holds the domain's pid file while this runtime does not follow it (left by
   * a start that was interrupted before its first record, or by a record that was lost).
   * Resolves with the pids killed; each is noted in the domain's log.
   */
  async reapUntracked(when: string, keep: number | undefined = this.pid): Promise<number[]> {
    return reapPidFileHolders(
      this.pidFile,
      (pid) => appendLog(this.logPath, `killed QEMU process ${pid} that no status record tracked (${when})`),
      keep,
    );
  }

  /**
   * Stop QEMU (virDomainDestroy): SIGTERM, then — `force` — SIGKILL when it has not exited
   * within the wait. `graceful` fails with VIR_ERR_OPERATION_FAILED when SIGTERM was not enough.
   */
  async stop(mode: StopMode = 'force', reason: number = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED): Promise<void> {
    const st = this.store.record;
    if (!st) throw notRunning();
    if (this.isStopping) return this.waitStopped();
    this.machine = { ...this.machine, stoppingReason: reason };
    const mon = this.mon;
    const monitorClosed = mon && !mon.closed ? new Promise<void>((r) => mon.once('close', () => r())) : undefined;
    const gone = await killPid(st.pid, mode === 'force', this.host.opts.killWaitMs ?? 10_000, monitorClosed);
    if (!gone) {
      this.machine = { ...this.machine, stoppingReason: undefined };
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        QEMU,
        `Failed to terminate process ${st.pid} with SIG${mode === 'force' ? 'KILL' : 'TERM'}`,
      );
    }
    // What QEMU wrote before it exited (its SHUTDOWN event) is read before the monitor closes.
    if (monitorClosed) await Promise.race([monitorClosed, sleep(MONITOR_DRAIN_MS)]);
    await this.finish(reason);
  }

  /** What the extension module `key` recorded with this run of the domain (see saveExtensionState). */
  extensionState<T>(key: string): T | undefined {
    return this.store.record?.extensions?.[key] as T | undefined;
  }

  /** Record an extension module's state in the status file, for a driver that re-attaches later. */
  async saveExtensionState(key: string, value: unknown): Promise<void> {
    const st = this.store.record;
    if (!st) return;
    (st.extensions ??= {})[key] = value;
    await this.store.save();
  }

  /** Record a changed live definition (after hotplug, block jobs, ...) in the status file. */
  async updateLiveXml(xml: string): Promise<void> {
    const st = this.store.record;
    if (!st) throw notRunning();
    st.xml = xml;
    await this.store.save();
  }

  /** Pause the vCPUs (virDomainSuspend; a snapshot revert passes its own reason). */
  async suspend(reason: number = DomainPausedReason.VIR_DOMAIN_PAUSED_USER): Promise<void> {
    const mon = this.monitor;
    if (this.machine.state === DomainState.VIR_DOMAIN_PAUSED) return;
    this.machine = { ...this.machine, expectPause: reason };
    await mon.execute('stop');
    if (this.machine.state !== DomainState.VIR_DOMAIN_PAUSED) this.apply(M.onStop(this.machine));
  }

  /** Resume the vCPUs (virDomainResume; a snapshot revert passes its own reason). */
  async resume(reason: number = DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED): Promise<void> {
    const mon = this.monitor;
    if (this.machine.state === DomainState.VIR_DOMAIN_RUNNING) return;
    this.machine = { ...this.machine, expectResume: reason };
    await mon.execute('cont');
    if (this.machine.state !== DomainState.VIR_DOMAIN_RUNNING) this.apply(M.onResume(this.machine));
  }

  /** Hard reset (virDomainReset). */
  async reset(): Promise<void> {
    await this.monitor.execute('system_reset');
  }

  /**
   * Finish a reboot that went through a guest shutdown (libvirt's fake reboot): QEMU, run with
   * `-no-shutdown`, stopped after the guest powered off; reset the machine and let it run again.
   */
  async fakeReboot(): Promise<void> {
    const mon = this.monitor;
    await mon.execute('system_reset');
    this.setMachine({
      ...this.machine,
      gotShutdown: false,
      state: DomainState.VIR_DOMAIN_PAUSED,
      reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER,
    });
    await mon.execute('cont');
    if (this.machine.state !== DomainState.VIR_DOMAIN_RUNNING) this.apply(M.onResume(this.machine));
    this.setMachine({ ...this.machine, state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED });
    await this.store.save();
  }

  /** ACPI power button (virDomainShutdown with the ACPI method). */
  async powerdown(): Promise<void> {
    await this.monitor.execute('system_powerdown');
  }

  /** QMP passthrough (virDomainQemuMonitorCommand). */
  async qmp<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    return this.monitor.execute<T>(command, args);
  }

  /** HMP passthrough (virDomainQemuMonitorCommand with VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP). */
  async hmp(commandLine: string): Promise<string> {
    return this.monitor.hmp(commandLine);
  }

  /** Resolves once the domain is shut off (after stop, crash or guest shutdown). */
  waitStopped(): Promise<void> {
    return this.stopped ?? Promise.resolve();
  }

  /** Stop following the process without touching it (driver close): QEMU keeps running. */
  async detach(): Promise<void> {
    const mon = this.mon;
    this.mon = undefined;
    if (mon) {
      mon.removeAllListeners('close');
      await mon.close();
    }
    await this.store.close();
    this.resolveStopped?.();
  }

  // ---- internals ----

  private attach(mon: QmpClient): void {
    this.mon = mon;
    this.stopped = new Promise((r) => (this.resolveStopped = r));
    mon.on('event', (e: QmpEvent) => {
      this.emit('qmp-event', e);
      this.apply(M.onQmpEvent(this.machine, e));
    });
    mon.once('close', () => void this.onMonitorClosed());
  }

  /** Carry out one step of the state machine. */
  private apply(step: M.Step): void {
    this.setMachine(step.next);
    for (const ev of step.events) this.lifecycle(ev);
    if (step.reboot) this.emit('reboot');
    if (step.save) void this.store.save().catch(() => undefined);
  }

  private setMachine(next: M.MachineState): void {
    const changed = next.state !== this.machine.state || next.reason !== this.machine.reason;
    this.machine = next;
    this.syncRecord();
    if (changed) this.emit('state', this.state);
  }

  /** Copy what the status record keeps of the machine into it. */
  private syncRecord(): void {
    const st = this.store.record;
    if (!st) return;
    st.state = this.machine.state;
    st.reason = this.machine.reason;
    st.gotShutdown = this.machine.gotShutdown;
  }

  /** Monitor EOF: QEMU exited (or closed the socket). libvirt's processMonitorEOFEvent. */
  private async onMonitorClosed(): Promise<void> {
    const st = this.store.record;
    if (!st || this.isStopping) return;
    // Give the process a moment to finish exiting; a live process with a dead monitor is killed.
    for (let i = 0; i < 50 && pidAlive(st.pid); i++) await sleep(10);
    if (this.isStopping || this.store.record !== st) return;
    if (pidAlive(st.pid)) await killPid(st.pid, true, this.host.opts.killWaitMs ?? 10_000);
    await this.finish(M.eofReason(this.machine));
  }

  private async finish(reason: number): Promise<void> {
    const step = M.stopped(reason);
    // Inactive from here on: the state must say so before the cleanup yields.
    const closing = this.store.close();
    this.setMachine(step.next);
    const mon = this.mon;
    this.mon = undefined;
    if (mon && !mon.closed) mon.destroy();
    const st = await closing;
    if (!st) return;
    await this.cleanup(st);
    await appendLog(this.logPath, `shutting down, reason=${shutoffReasonName(reason)}`);
    this.host.releaseId(st.id);
    for (const ev of step.events) this.lifecycle(ev);
    this.resolveStopped?.();
  }

  /** Kill the recorded QEMU at once and report the domain shut off (a re-attach refused it). */
  private async reap(
    base: { name: string; uuid: string; xml?: string },
    st: DomainStatus,
    reason: number,
    why: string,
  ): Promise<ReconnectResult> {
    await killNow(st.pid);
    await appendLog(this.logPath, `killed QEMU process ${st.pid} on reconnect: ${why}`);
    await this.cleanup(st);
    return this.ended(base, reason, why);
  }

  private ended(base: { name: string; uuid: string; xml?: string }, reason: number, error: string): ReconnectResult {
    this.machine = M.shutoff(reason);
    return { ...base, outcome: 'shutoff', state: this.state, error };
  }

  /** Remove what a run leaves behind: status record, pid file (once free), monitor socket, private dir. */
  private async cleanup(st: DomainStatus): Promise<void> {
    await removeStatus(this.host.paths.stateDir, st.name);
    await removePidFileIfFree(st.pidFile);
    await fs.promises.rm(st.monitorPath, { force: true });
    await fs.promises.rm(st.privateDir, { recursive: true, force: true });
  }

  private lifecycle(ev: LifecycleEvent): void {
    this.emit('lifecycle', ev);
    this.host.publish(this.name, this.uuid, ev);
  }
}

/** The private directory of a running domain (`domain-<id>-<name cut at 20 bytes>`), as the command line names it. */
export function domainPrivateDir(libDir: string, id: number, name: string): string {
  return path.join(libDir, `domain-${id}-${truncateBytes(name, 20)}`);
}

/** How long a stop waits, once QEMU is gone, for its monitor to deliver what QEMU wrote last. */
const MONITOR_DRAIN_MS = 500;

function notRunning(): VirError {
  return VirError.operationInvalid('domain is not running', QEMU);
}

function shutoffReasonName(r: number): string {
  const name = Object.entries(DomainShutoffReason).find(([, v]) => v === r)?.[0];
  return name?.replace('VIR_DOMAIN_SHUTOFF_', '').toLowerCase() ?? 'unknown';
}
