/**
 * virDomainGetControlInfo on QEMU (libvirt's qemuDomainGetControlInfo): whether the driver can
 * talk to the domain's QEMU now. ERROR once the monitor is gone; JOB while one of libvirt's
 * asynchronous jobs (a save, a dump) runs; OCCUPIED while a job waits for a monitor command;
 * OK otherwise. stateTime is how long the job or the command has lasted, in milliseconds.
 */
import { DomainControlErrorReason, DomainControlState, type DomainControlInfo, type DomainRef } from '@virtkit/core';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

const OK: DomainControlInfo = { state: DomainControlState.VIR_DOMAIN_CONTROL_OK, details: 0, stateTime: 0 };

/** Since when the domain's monitor waits for QEMU's reply, or null when the monitor is gone. */
function monitorBusySince(obj: QemuDomainObj): number | undefined | null {
  try {
    return obj.monitor().busySince;
  } catch {
    return null;
  }
}

export function getControlInfo(driver: QemuDriver, ref: DomainRef, flags: number): DomainControlInfo {
  checkFlags(flags, 0, 'qemuDomainGetControlInfo');
  const obj = driver.domains.get(ref);
  if (!obj.active) throw notRunning();
  const busy = monitorBusySince(obj);
  if (busy === null) {
    return {
      state: DomainControlState.VIR_DOMAIN_CONTROL_ERROR,
      details: DomainControlErrorReason.VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR,
      stateTime: 0,
    };
  }
  const job = driver.jobs.active(obj.uuid);
  if (!job) return OK;
  const now = Date.now();
  if (job.asyncJob) return { state: DomainControlState.VIR_DOMAIN_CONTROL_JOB, details: 0, stateTime: now - job.startedAt };
  // A job that has not reached the monitor yet (or is between two commands) leaves it free.
  if (busy === undefined) return OK;
  return { state: DomainControlState.VIR_DOMAIN_CONTROL_OCCUPIED, details: 0, stateTime: now - busy };
}
