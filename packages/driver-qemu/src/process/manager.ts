/**
 * The QEMU processes of one driver state: a runtime per domain, domain ids, and the driver
 * open's pass over the state directory (qemuProcessReconnectAll) that re-attaches to every
 * QEMU a status record names — or reaps it — and kills the QEMUs that hold a domain's pid file
 * with no record at all.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QemuDomainRuntime, type QemuRuntimeOptions, type ReconnectResult, type RuntimeHost } from './domain-runtime';
import type { LifecycleEvent } from './lifecycle';
import type { QemuPaths } from '../paths';
import { reapPidFileHolders } from './pidfile';
import { appendLog } from './spawn';
import { DRIVER_LOCK_FILE } from '../driver-lock';
import { LoadReport } from '../state/state-dir';
import { pidFilePath, readAllStatus } from './status';

/** Emits `lifecycle` ({name, uuid, event, detail}) for every domain. */
export class QemuProcessManager extends EventEmitter implements RuntimeHost {
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

  publish(name: string, uuid: string, ev: LifecycleEvent): void {
    this.emit('lifecycle', { name, uuid, ...ev });
  }

  /**
   * Driver open: re-attach to (or reap) every domain with a status record, then kill the QEMUs
   * holding the pid file of a domain that has none (qemuProcessReconnectAll). A QEMU whose monitor
   * stays silent for `timeoutMs` is killed; libvirt sets no deadline at all, and a loaded host can
   * keep a healthy QEMU from answering for seconds (5 s killed one in a full test run), so the
   * default waits 30 s.
   */
  async reconnectAll(timeoutMs = 30_000, report = new LoadReport()): Promise<ReconnectResult[]> {
    const entries = await readAllStatus(this.paths.stateDir, report);
    const recorded = new Set<string>();
    const results = await Promise.all(
      entries.map(async ({ value: st }) => {
        recorded.add(path.basename(pidFilePath(this.paths.stateDir, st.name)));
        this.usedIds.add(st.id);
        this.nextId = Math.max(this.nextId, st.id + 1);
        const dom = this.domain(st.name, st.uuid);
        const r = await dom.reconnect(st, timeoutMs);
        if (r.outcome === 'shutoff') this.releaseId(st.id);
        return r;
      }),
    );
    await this.reapUnrecorded(recorded);
    return results;
  }

  /** Stop following every domain (QEMU processes keep running). */
  async detachAll(): Promise<void> {
    await Promise.all([...this.domains.values()].map((d) => d.detach()));
  }

  /** Kill the holder of every domain pid file (named as in `recorded`) that no status record accounts for. */
  private async reapUnrecorded(recorded: Set<string>): Promise<void> {
    let files: string[];
    try {
      files = await fs.promises.readdir(this.paths.stateDir);
    } catch {
      return;
    }
    for (const f of files) {
      if (!f.endsWith('.pid') || f === DRIVER_LOCK_FILE || recorded.has(f)) continue;
      // A domain's log file name is its pid file name with the other suffix (fileNameFor).
      const logPath = path.join(this.paths.logDir, `${f.slice(0, -'.pid'.length)}.log`);
      await reapPidFileHolders(path.join(this.paths.stateDir, f), (pid) =>
        appendLog(logPath, `killed QEMU process ${pid} that no status record tracked (on driver open)`),
      );
    }
  }
}
