/**
 * virtkit's round through the public API on `qemu:///embed?root=DIR`, the same calls the
 * libvirt round makes: define + create, `backupBegin(xml, checkpointXml)` timed until the
 * VIR_DOMAIN_EVENT_ID_JOB_COMPLETED event, guest writes through HMP `qemu-io`
 * (qemuMonitorCommand), then destroy + undefine with the checkpoint metadata.
 */
import * as path from 'node:path';
import {
  DomainEventID,
  DomainQemuMonitorCommandFlags,
  DomainUndefineFlags,
  open,
  type Connect,
  type Domain,
  type DomainEvent,
} from '@virtkit/core';
import { embedUri } from '../qemu-compare/ours';
import { checkpointXml, domainXml, GUEST_WRITES, pushXml } from './disk';
import type { BackupRound } from './result';

const TIMEOUT_MS = 300_000;

/** Resolves the next JOB_COMPLETED event of the connection. */
class JobCompletions {
  private waiter: ((e: DomainEvent) => void) | undefined;

  static async on(conn: Connect): Promise<JobCompletions> {
    const c = new JobCompletions();
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, (_c, _d, e: DomainEvent) => {
      const w = c.waiter;
      c.waiter = undefined;
      w?.(e);
    });
    return c;
  }

  next(): Promise<DomainEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no JOB_COMPLETED event')), TIMEOUT_MS);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }
}

export class OursContender {
  private constructor(
    private readonly conn: Connect,
    private readonly completions: JobCompletions,
  ) {}

  static async open(root: string): Promise<OursContender> {
    const conn = await open(embedUri(root));
    return new OursContender(conn, await JobCompletions.on(conn));
  }

  private async backup(dom: Domain, target: string, incremental?: string, checkpoint?: string): Promise<number> {
    const t0 = process.hrtime.bigint();
    const completed = this.completions.next();
    await dom.backupBegin(pushXml(target, incremental), checkpoint ? checkpointXml(checkpoint) : null);
    const event = await completed;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const params = (event as { params?: Record<string, unknown> }).params ?? {};
    if (params.success !== true) throw new Error(`our backup to ${target} failed: ${String(params.errmsg)}`);
    return s;
  }

  async round(name: string, disk: string, targetDir: string): Promise<BackupRound> {
    const dom = await this.conn.defineXML(domainXml(name, disk));
    const t = (n: string) => path.join(targetDir, `${n}.qcow2`);
    try {
      await dom.create();
      const fullS = await this.backup(dom, t('full'), undefined, 'c1');
      for (const cmd of GUEST_WRITES) await dom.qemuMonitorCommand(cmd, DomainQemuMonitorCommandFlags.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
      const incS = await this.backup(dom, t('inc'), 'c1', 'c2');
      const idleS = await this.backup(dom, t('idle'), 'c2');
      return { fullS, incS, idleS, full: t('full'), inc: t('inc'), idle: t('idle') };
    } finally {
      if (await dom.isActive()) await dom.destroy();
      await dom.undefineFlags(DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA);
    }
  }

  close(): Promise<void> {
    return this.conn.close().then(() => undefined);
  }
}
