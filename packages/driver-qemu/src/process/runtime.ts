/**
 * QEMU process management (libvirt's qemu_process.c, reduced): start a QEMU process paused
 * with a QMP monitor, log file and pid file; keep a JSON status file per running domain; follow
 * the QMP event stream into domain state + lifecycle events; detect QEMU death; stop it; and
 * re-attach to still-running QEMU processes when the driver opens again.
 *
 * QEMU is spawned detached (own session, stdio to the log file, unref'd) so it outlives the
 * process that started it, as libvirt's daemonized QEMU outlives libvirtd.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  DomainEventResumedDetailType, DomainEventShutdownDetailType, DomainEventStartedDetailType,
  DomainEventStoppedDetailType, DomainEventSuspendedDetailType, DomainEventType, DomainPausedReason,
  DomainRunningReason, DomainShutdownReason, DomainShutoffReason, DomainState, ErrorDomain, ErrorNumber, VirError,
} from '@virtkit/core';
import { truncateBytes } from '../command/builder';
import { pidAlive, pidStartTicks, sleep, writeFileAtomic } from '../fsutil';
import type { QemuPaths } from '../paths';
import { QmpClient, type QmpEvent } from '../qmp/client';
import { type DomainStateInfo, type LifecycleEvent } from './lifecycle';
import { readAllStatus, removeStatus, writeStatus, type DomainStatus } from './status';

const QEMU = ErrorDomain.VIR_FROM_QEMU;

export interface StartOptions {
  /** Domain id to assign (the manager picks the next free one when omitted). */
  id?: number;
  /** Live domain XML recorded in the status file. */
  xml: string;
  /**
   * The command line, argv[0] being the emulator (e.g. `buildCommandLine(...).argv`). The
   * runtime makes sure it has `-S`, a QMP monitor and a pid file: the `charmonitor` chardev is
   * pointed at the monitor socket the runtime binds and passes as fd 3, missing ones are added.
   */
  argv: string[];
  env?: Array<[string, string]>;
  /** Leave the domain paused after start (VIR_DOMAIN_START_PAUSED). */
  paused?: boolean;
  /** Files to create (mode 0600) in the private directory before QEMU starts, e.g. `master-key.aes`. */
  privateFiles?: Record<string, Uint8Array>;
  /** How long to wait for the monitor (ms). Default 30 000. */
  monitorTimeoutMs?: number;
}

export type StopMode = 'graceful' | 'force';

/** Result of re-attaching to one status file on driver open. */
export interface ReconnectResult {
  name: string;
  uuid: string;
  /** `running`: monitoring resumed; `shutoff`: cleaned up. */
  outcome: 'running' | 'shutoff';
  state: DomainStateInfo;
  error?: string;
}

export interface QemuRuntimeOptions {
  /** Per-domain job wait bound etc. are handled by DomainJobs; this is for process kills. */
  killWaitMs?: number;
  /** QMP command timeout (ms). */
  commandTimeoutMs?: number;
}

/** Events of a domain runtime: `lifecycle` (LifecycleEvent), `reboot`, `qmp-event` (QmpEvent), `state`. */
export class QemuDomainRuntime extends EventEmitter {
  private _state: DomainStateInfo = { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN };
  private mon: QmpClient | undefined;
  private status: DomainStatus | undefined;
  /** Set while we stop the process ourselves: the EOF is then not a crash. */
  private stopping: { reason: number; detail: number } | undefined;
  private stopped: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;
  private childExited = false;

  constructor(
    readonly manager: QemuProcessManager,
    readonly name: string,
    readonly uuid: string,
  ) {
    super();
  }

  get state(): DomainStateInfo {
    return { ...this._state };
  }

  get active(): boolean {
    return this.status !== undefined;
  }

  /** The driver is stopping the process (a SHUTDOWN or EOF now is its own doing). */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  get pid(): number | undefined {
    return this.status?.pid;
  }

  get id(): number {
    return this.status?.id ?? -1;
  }

  get monitorPath(): string | undefined {
    return this.status?.monitorPath;
  }

  get logPath(): string {
    return path.join(this.manager.paths.logDir, `${this.name}.log`);
  }

  get liveXml(): string | undefined {
    return this.status?.xml;
  }

  get startTime(): number | undefined {
    return this.status?.startTime;
  }

  /** The QMP connection (for callers that need the raw client). */
  get monitor(): QmpClient {
    if (!this.mon || this.mon.closed) throw notRunning();
    return this.mon;
  }

  /** Start QEMU and (unless `paused`) let the vCPUs run. */
  async start(opts: StartOptions): Promise<void> {
    if (this.status) throw VirError.operationInvalid('domain is already running', QEMU);
    const paths = this.manager.paths;
    const id = opts.id ?? this.manager.allocateId();
    const privateDir = domainPrivateDir(paths.libDir, id, this.name);
    const monitorPath = path.join(privateDir, 'monitor.sock');
    const pidFile = path.join(paths.stateDir, `${this.name}.pid`);
    await Promise.all(
      [paths.stateDir, paths.logDir, paths.libDir].map((d) => fs.promises.mkdir(d, { recursive: true, mode: 0o700 })),
    );
    await fs.promises.mkdir(privateDir, { recursive: true, mode: 0o750 });
    for (const [file, data] of Object.entries(opts.privateFiles ?? {})) {
      await writeFileAtomic(path.join(privateDir, file), data, 0o600, { durable: false });
    }
    await fs.promises.rm(monitorPath, { force: true });
    await fs.promises.rm(pidFile, { force: true });
    const argv = prepareArgv(opts.argv, pidFile);
    // As libvirt does: bind the monitor socket ourselves and hand it to QEMU, so our connect is
    // queued at once and answered the moment QEMU is ready, with no polling for the socket file.
    const monitor = await bindMonitorSocket(monitorPath);
    const logFd = fs.openSync(this.logPath, 'a', 0o600);
    const started = new Date();
    const envText = (opts.env ?? []).map(([k, v]) => `${k}=${v}`).join(' ');
    fs.writeSync(
      logFd,
      `${started.toISOString()}: starting up virtkit version ${this.manager.version}\n` +
        `${envText ? `${envText} \\\n` : ''}${argv.map(shellQuote).join(' \\\n')}\n`,
    );
    const logOffset = fs.fstatSync(logFd).size;
    let child;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        detached: true,
        stdio: ['ignore', logFd, logFd, monitor.fd],
        env: opts.env ? Object.fromEntries(opts.env) : { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
    } finally {
      fs.closeSync(logFd);
      await monitor.release();
    }
    this.childExited = false;
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    child.once('exit', () => {
      this.childExited = true;
    });
    child.unref();
    const pid = child.pid;
    const failStart = async (why: string): Promise<never> => {
      if (pid && pidAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      await fs.promises.rm(privateDir, { recursive: true, force: true });
      await fs.promises.rm(pidFile, { force: true });
      throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, QEMU, why);
    };
    if (!pid) {
      const e = await Promise.race([spawnError, sleep(100).then(() => new Error('spawn failed'))]);
      return failStart(`Unable to start QEMU binary ${argv[0]}: ${e.message}`);
    }
    let mon: QmpClient;
    try {
      mon = await QmpClient.connect(monitorPath, {
        connectTimeoutMs: opts.monitorTimeoutMs ?? 30_000,
        commandTimeoutMs: this.manager.opts.commandTimeoutMs,
        shouldRetry: () => !this.childExited && pidAlive(pid),
        vmName: this.name,
      });
    } catch {
      await sleep(20);
      const tail = readLogTail(this.logPath, logOffset);
      return failStart(`QEMU unexpectedly closed the monitor (vm='${this.name}'): ${tail}`);
    }
    this.status = {
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
      emulator: argv[0]!,
      argv,
      xml: opts.xml,
      startTime: started.getTime(),
      state: DomainState.VIR_DOMAIN_PAUSED,
      reason: DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP,
    };
    this.attach(mon);
    this.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP);
    const [state, reason] = opts.paused
      ? [DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER]
      : [DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED];
    // The only status write of a start, made before `cont` so that a crash after the spawn is
    // recoverable, and recording the state the start ends in: a reconnect trusts a recorded
    // state only when QEMU's query-status agrees (a `cont` that never happened shows paused).
    await this.saveStatus({ state, reason });
    try {
      if (!opts.paused) await mon.execute('cont');
      this.setState(state, reason);
    } catch (e) {
      await this.stop('force').catch(() => undefined);
      throw e;
    }
    this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (opts.paused) this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  }

  /**
   * Re-attach to a running QEMU from its status file. Resolves with `running` when the
   * monitor answered, else cleans up (killing a live but unresponsive QEMU) and reports the
   * domain shut off: reason `crashed` when the process is gone, `unknown` when we killed it.
   */
  async reconnect(st: DomainStatus, timeoutMs = 5_000): Promise<ReconnectResult> {
    const base = { name: st.name, uuid: st.uuid };
    const sameProcess =
      pidAlive(st.pid) && (st.pidStartTicks === undefined || pidStartTicks(st.pid) === st.pidStartTicks);
    if (sameProcess) {
      try {
        const mon = await QmpClient.connect(st.monitorPath, {
          connectTimeoutMs: timeoutMs,
          commandTimeoutMs: this.manager.opts.commandTimeoutMs,
          shouldRetry: () => pidAlive(st.pid),
          vmName: st.name,
        });
        const qs = await mon.execute<{ running: boolean; status: string }>('query-status', undefined, { timeoutMs });
        this.status = st;
        this.attach(mon);
        if (qs.running) {
          this.setState(DomainState.VIR_DOMAIN_RUNNING, st.state === DomainState.VIR_DOMAIN_RUNNING ? st.reason : DomainRunningReason.VIR_DOMAIN_RUNNING_UNKNOWN);
        } else if (qs.status === 'shutdown') {
          this.setState(DomainState.VIR_DOMAIN_SHUTDOWN, DomainShutdownReason.VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        } else {
          this.setState(DomainState.VIR_DOMAIN_PAUSED, st.state === DomainState.VIR_DOMAIN_PAUSED ? st.reason : pausedReasonOf(qs.status));
        }
        await this.saveStatus();
        return { ...base, outcome: 'running', state: this.state };
      } catch (e) {
        // Alive but not answering: kill it so it cannot end up running twice.
        await killPid(st.pid, true, this.manager.opts.killWaitMs ?? 10_000);
        await cleanupFiles(this.manager.paths.stateDir, st);
        this.status = undefined;
        this._state = { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN };
        return { ...base, outcome: 'shutoff', state: this.state, error: (e as Error).message };
      }
    }
    await cleanupFiles(this.manager.paths.stateDir, st);
    this._state = { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED };
    return { ...base, outcome: 'shutoff', state: this.state, error: 'QEMU process is gone' };
  }

  /**
   * Stop QEMU (virDomainDestroy): SIGTERM, then — `force` — SIGKILL when it has not exited
   * within the wait. `graceful` fails with VIR_ERR_OPERATION_FAILED when SIGTERM was not enough.
   */
  async stop(mode: StopMode = 'force', reason: number = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED): Promise<void> {
    const st = this.status;
    if (!st) throw notRunning();
    if (this.stopping) return this.waitStopped();
    const detail = reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN
      : reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT
      : DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    this.stopping = { reason, detail };
    const mon = this.mon;
    const monitorClosed = mon && !mon.closed ? new Promise<void>((r) => mon.once('close', () => r())) : undefined;
    const gone = await killPid(st.pid, mode === 'force', this.manager.opts.killWaitMs ?? 10_000, monitorClosed);
    if (!gone) {
      this.stopping = undefined;
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        QEMU,
        `Failed to terminate process ${st.pid} with SIG${mode === 'force' ? 'KILL' : 'TERM'}`,
      );
    }
    // What QEMU wrote before it exited (its SHUTDOWN event) is read before the monitor closes.
    if (monitorClosed) await Promise.race([monitorClosed, sleep(MONITOR_DRAIN_MS)]);
    await this.finish(reason, detail);
  }

  /** What the extension module `key` recorded with this run of the domain (see saveExtensionState). */
  extensionState<T>(key: string): T | undefined {
    return this.status?.extensions?.[key] as T | undefined;
  }

  /** Record an extension module's state in the status file, for a driver that re-attaches later. */
  async saveExtensionState(key: string, value: unknown): Promise<void> {
    if (!this.status) return;
    (this.status.extensions ??= {})[key] = value;
    await this.saveStatus();
  }

  /** Record a changed live definition (after hotplug, block jobs, ...) in the status file. */
  async updateLiveXml(xml: string): Promise<void> {
    if (!this.status) throw notRunning();
    this.status.xml = xml;
    await this.saveStatus();
  }

  /** Pause the vCPUs (virDomainSuspend; a snapshot revert passes its own reason). */
  async suspend(reason: number = DomainPausedReason.VIR_DOMAIN_PAUSED_USER): Promise<void> {
    const mon = this.monitor;
    if (this._state.state === DomainState.VIR_DOMAIN_PAUSED) return;
    this.expectPause = reason;
    await mon.execute('stop');
    if (this._state.state !== DomainState.VIR_DOMAIN_PAUSED) this.onStop();
  }

  /** Resume the vCPUs (virDomainResume; a snapshot revert passes its own reason). */
  async resume(reason: number = DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED): Promise<void> {
    const mon = this.monitor;
    if (this._state.state === DomainState.VIR_DOMAIN_RUNNING) return;
    this.expectResume = reason;
    await mon.execute('cont');
    if (this._state.state !== DomainState.VIR_DOMAIN_RUNNING) this.onResume();
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
    if (this.status) this.status.gotShutdown = false;
    this.setState(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
    await mon.execute('cont');
    if (this._state.state !== DomainState.VIR_DOMAIN_RUNNING) this.onResume();
    this.setState(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
    await this.saveStatus();
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
    this.status = undefined;
    this.resolveStopped?.();
  }

  // ---- internals ----

  private expectPause: number | undefined;
  private expectResume: number | undefined;

  private attach(mon: QmpClient): void {
    this.mon = mon;
    this.stopped = new Promise((r) => (this.resolveStopped = r));
    mon.on('event', (e: QmpEvent) => this.onEvent(e));
    mon.once('close', () => void this.onMonitorClosed());
  }

  private onEvent(e: QmpEvent): void {
    this.emit('qmp-event', e);
    switch (e.event) {
      case 'STOP':
        this.onStop();
        break;
      case 'RESUME':
        this.onResume();
        break;
      case 'RESET':
        this.emit('reboot');
        break;
      case 'SHUTDOWN':
        if (this.stopping) {
          // QEMU's answer to the SIGTERM of a destroy: libvirtd reports it as "Shutdown Finished
          // after host request" before "Stopped Destroyed".
          if (this.stopping.reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED) this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
        } else if (this.status) {
          this.status.gotShutdown = true;
          const guest = e.data.guest === true;
          this.setState(DomainState.VIR_DOMAIN_SHUTDOWN, DomainShutdownReason.VIR_DOMAIN_SHUTDOWN_UNKNOWN);
          this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, guest ? DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
          void this.saveStatus();
        }
        break;
      case 'BLOCK_IO_ERROR':
        if (e.data.action === 'stop') this.expectPause = DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR;
        break;
    }
  }

  private onStop(): void {
    if (this._state.state === DomainState.VIR_DOMAIN_PAUSED || this._state.state === DomainState.VIR_DOMAIN_SHUTDOWN) return;
    if (this.status?.gotShutdown) return;
    const reason = this.expectPause ?? DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN;
    this.expectPause = undefined;
    this.setState(DomainState.VIR_DOMAIN_PAUSED, reason);
    this.lifecycle(
      DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED,
      reason === DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR ? DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_IOERROR
        : reason === DomainPausedReason.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT ? DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT
        : DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
    );
    void this.saveStatus();
  }

  private onResume(): void {
    if (this._state.state === DomainState.VIR_DOMAIN_RUNNING) return;
    if (this._state.state === DomainState.VIR_DOMAIN_PAUSED && this._state.reason === DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP) {
      // The `cont` of a start: libvirtd reports it as "Resumed Unpaused" before "Started Booted";
      // the start itself sets the running state.
      this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
      return;
    }
    const reason = this.expectResume ?? DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED;
    this.expectResume = undefined;
    this.setState(DomainState.VIR_DOMAIN_RUNNING, reason);
    this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_RESUMED, reason === DomainRunningReason.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT ? DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT : DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    void this.saveStatus();
  }

  /** Monitor EOF: QEMU exited (or closed the socket). libvirt's processMonitorEOFEvent. */
  private async onMonitorClosed(): Promise<void> {
    const st = this.status;
    if (!st || this.stopping) return;
    // Give the process a moment to finish exiting; a live process with a dead monitor is killed.
    for (let i = 0; i < 50 && pidAlive(st.pid); i++) await sleep(10);
    if (this.stopping || this.status !== st) return;
    if (pidAlive(st.pid)) await killPid(st.pid, true, this.manager.opts.killWaitMs ?? 10_000);
    if (st.gotShutdown) await this.finish(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    // libvirt: no SHUTDOWN event before EOF → shutoff reason CRASHED, event STOPPED_FAILED.
    else await this.finish(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED);
  }

  private async finish(reason: number, detail: number): Promise<void> {
    const st = this.status;
    if (!st) return;
    this.status = undefined;
    // Inactive from here on: the state must say so before the cleanup yields.
    this.setState(DomainState.VIR_DOMAIN_SHUTOFF, reason);
    const mon = this.mon;
    this.mon = undefined;
    if (mon && !mon.closed) mon.destroy();
    await this.statusWrites;
    await cleanupFiles(this.manager.paths.stateDir, st);
    this.stopping = undefined;
    fs.appendFileSync(this.logPath, `${new Date().toISOString()}: shutting down, reason=${shutoffReasonName(reason)}\n`);
    this.manager.releaseId(st.id);
    this.lifecycle(DomainEventType.VIR_DOMAIN_EVENT_STOPPED, detail);
    this.resolveStopped?.();
  }

  private setState(state: number, reason: number): void {
    this._state = { state, reason };
    if (this.status) {
      this.status.state = state;
      this.status.reason = reason;
    }
    this.emit('state', this.state);
  }

  private lifecycle(event: number, detail: number): void {
    const ev: LifecycleEvent = { event, detail };
    this.emit('lifecycle', ev);
    this.manager.emit('lifecycle', { name: this.name, uuid: this.uuid, ...ev });
  }

  /** Status writes run one after the other, and none lands after the domain stopped. */
  private statusWrites: Promise<void> = Promise.resolve();

  /** Queue a write of the status file; `as` overrides the recorded state and reason. */
  private saveStatus(as?: Pick<DomainStatus, 'state' | 'reason'>): Promise<void> {
    const st = this.status;
    const write = this.statusWrites.then(async () => {
      if (st && this.status === st) await writeStatus(this.manager.paths.stateDir, as ? { ...st, ...as } : st);
    });
    this.statusWrites = write.catch(() => undefined);
    return write;
  }
}

/** The private directory of a running domain (`domain-<id>-<name cut at 20 bytes>`), as the command line names it. */
export function domainPrivateDir(libDir: string, id: number, name: string): string {
  return path.join(libDir, `domain-${id}-${truncateBytes(name, 20)}`);
}

/** The runtimes of one driver connection: ids, reconnect on open, lifecycle events for all domains. */
export class QemuProcessManager extends EventEmitter {
  readonly domains = new Map<string, QemuDomainRuntime>();
  private readonly usedIds = new Set<number>();
  private nextId = 1;

  constructor(
    readonly paths: QemuPaths,
    readonly opts: QemuRuntimeOptions = {},
    readonly version = '0.1.0',
  ) {
    super();
  }

  /** The runtime of a domain (created on first use). */
  domain(name: string, uuid: string): QemuDomainRuntime {
    let d = this.domains.get(name);
    if (!d) {
      d = new QemuDomainRuntime(this, name, uuid);
      this.domains.set(name, d);
    }
    return d;
  }

  /** Drop the runtime of a domain that is gone (undefined while inactive, or transient and stopped). */
  forget(name: string): void {
    const d = this.domains.get(name);
    if (d && !d.active) {
      d.removeAllListeners();
      this.domains.delete(name);
    }
  }

  allocateId(): number {
    while (this.usedIds.has(this.nextId)) this.nextId++;
    const id = this.nextId++;
    this.usedIds.add(id);
    return id;
  }

  releaseId(id: number): void {
    this.usedIds.delete(id);
  }

  /** Driver open: re-attach to every domain with a status file (qemuProcessReconnectAll). */
  async reconnectAll(timeoutMs = 5_000): Promise<ReconnectResult[]> {
    const entries = await readAllStatus(this.paths.stateDir);
    const results = await Promise.all(
      entries.map(async (e) => {
        if (!e.status) {
          await fs.promises.rm(e.file, { force: true });
          return undefined;
        }
        const st = e.status;
        this.usedIds.add(st.id);
        this.nextId = Math.max(this.nextId, st.id + 1);
        const dom = this.domain(st.name, st.uuid);
        const r = await dom.reconnect(st, timeoutMs);
        if (r.outcome === 'shutoff') this.releaseId(st.id);
        return r;
      }),
    );
    return results.filter((r): r is ReconnectResult => r !== undefined);
  }

  /** Stop following every domain (QEMU processes keep running). */
  async detachAll(): Promise<void> {
    await Promise.all([...this.domains.values()].map((d) => d.detach()));
  }
}

// ---- helpers ----

function notRunning(): VirError {
  return VirError.operationInvalid('domain is not running', QEMU);
}

function pausedReasonOf(status: string): number {
  switch (status) {
    case 'io-error':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR;
    case 'watchdog':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_WATCHDOG;
    case 'inmigrate':
    case 'postmigrate':
    case 'finish-migrate':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_MIGRATION;
    case 'save-vm':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_SAVE;
    case 'prelaunch':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP;
    case 'internal-error':
    case 'guest-panicked':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_CRASHED;
    case 'paused':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_USER;
    default:
      return DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN;
  }
}

function shutoffReasonName(r: number): string {
  return DomainShutoffReason[r]?.replace('VIR_DOMAIN_SHUTOFF_', '').toLowerCase() ?? 'unknown';
}

/** How long a stop waits, once QEMU is gone, for its monitor to deliver what QEMU wrote last. */
const MONITOR_DRAIN_MS = 500;

/** The descriptor QEMU finds its pre-bound monitor socket on (the first after stdio). */
const MONITOR_FD = 3;

/**
 * Ensure the argv has `-S`, a QMP monitor on the pre-bound socket at fd 3 and `-pidfile`. A
 * `charmonitor` chardev the builder wrote (with its own placeholder fd) is pointed at fd 3.
 */
export function prepareArgv(argv: string[], pidFile: string): string[] {
  const monitor = `socket,id=charmonitor,fd=${MONITOR_FD},server=on,wait=off`;
  const out = [...argv];
  let hasMonitor = false;
  for (let i = 1; i < out.length; i++) {
    const a = out[i]!;
    if (a === '-chardev' && /(^|,)id=charmonitor(,|$)/.test(out[i + 1] ?? '')) {
      out[i + 1] = monitor;
      hasMonitor = true;
    } else if (a === '-qmp' || a === '-pidfile' || a === '-daemonize') {
      // Our own monitor / pid file replace the caller's; -daemonize would defeat pid tracking.
      out.splice(i, a === '-daemonize' ? 1 : 2);
      i--;
    }
  }
  if (!out.includes('-S')) out.splice(1, 0, '-S');
  if (!hasMonitor) {
    out.push(
      '-chardev',
      monitor,
      '-mon',
      'chardev=charmonitor,id=monitor,mode=control',
    );
  }
  out.push('-pidfile', pidFile);
  return out;
}

/**
 * A listening UNIX socket at `file` whose descriptor a child can inherit. It is bound under a
 * temporary name and renamed into place on release, because closing our copy (which QEMU keeps
 * through its own) makes libuv unlink the name it bound.
 */
async function bindMonitorSocket(file: string): Promise<{ fd: number; release(): Promise<void> }> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.rm(tmp, { force: true });
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tmp, () => resolve());
  });
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return {
    fd,
    async release() {
      await fs.promises.rename(tmp, file);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-+=.,:/@%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function readLogTail(file: string, offset: number): string {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(Math.max(offset, buf.length - 4096)).toString('utf8').trim();
  } catch {
    return '';
  }
}

/**
 * libvirt's virProcessKillPainfully: SIGTERM, wait; with `force` SIGKILL and wait again.
 * `exiting` resolves when the process is seen leaving (its monitor closed): from then on the
 * wait polls every millisecond instead of every ten.
 */
async function killPid(pid: number, force: boolean, waitMs: number, exiting?: Promise<void>): Promise<boolean> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  let exited = false;
  void exiting?.then(() => (exited = true));
  const tick = () => (exited ? sleep(1) : exiting ? Promise.race([sleep(10), exiting]) : sleep(10));
  const waitGone = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (!pidAlive(pid)) return true;
      await tick();
    }
    return !pidAlive(pid);
  };
  if (!pidAlive(pid)) return true;
  signal('SIGTERM');
  if (await waitGone(force ? Math.min(waitMs, 3_000) : waitMs)) return true;
  if (!force) return false;
  signal('SIGKILL');
  return waitGone(5_000);
}

async function cleanupFiles(stateDir: string, st: DomainStatus): Promise<void> {
  await removeStatus(stateDir, st.name);
  await fs.promises.rm(st.pidFile, { force: true });
  await fs.promises.rm(st.monitorPath, { force: true });
  await fs.promises.rm(st.privateDir, { recursive: true, force: true });
}
