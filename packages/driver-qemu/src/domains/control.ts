/**
 * Controlling a running domain: destroy, shutdown, reboot, reset, suspend, resume.
 *
 * Shutdown and reboot without a guest agent press the ACPI power button (`system_powerdown`);
 * QEMU runs with `-no-shutdown`, so when the guest powers off it only stops, and the driver then
 * either ends the process (shutdown) or resets and resumes the machine (reboot: libvirt's "fake
 * reboot"). A guest that ignores the button keeps running, as with libvirt.
 */
import {
  DomainDestroyFlags as D,
  DomainRebootFlags as R,
  DomainShutdownFlags as S,
  DomainShutoffReason,
  ErrorNumber,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import * as fs from 'node:fs';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

/** The domain behind `ref`, which must be running. */
function running(driver: QemuDriver, ref: DomainRef): QemuDomainObj {
  const obj = driver.domains.get(ref);
  if (!obj.active) throw notRunning();
  return obj;
}

/** Run `fn` on a running domain inside its job, re-checking it is still running once the job is ours. */
async function inJob(driver: QemuDriver, ref: DomainRef, owner: string, fn: (obj: QemuDomainObj) => Promise<void>): Promise<void> {
  const obj = running(driver, ref);
  await driver.withJob(obj, 'modify', owner, async () => {
    if (!obj.active) throw notRunning();
    await fn(obj);
  });
}

export async function destroy(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, D.VIR_DOMAIN_DESTROY_GRACEFUL | D.VIR_DOMAIN_DESTROY_REMOVE_LOGS, 'qemuDomainDestroyFlags');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'destroy', 'virDomainDestroyFlags', async () => {
    if (!obj.active) {
      // The domain is shut off; a QEMU still holding its pid file (left by a start that was
      // interrupted) is not a run of it and must not outlive a destroy.
      await obj.runtime.reapUntracked('on destroy');
      throw notRunning();
    }
    const log = obj.runtime.logPath;
    await obj.runtime.stop(flags & D.VIR_DOMAIN_DESTROY_GRACEFUL ? 'graceful' : 'force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED);
    if (flags & D.VIR_DOMAIN_DESTROY_REMOVE_LOGS) await fs.promises.rm(log, { force: true });
  });
}

/** Which way to ask the guest: only the power button exists here (no guest agent yet). */
function checkMethod(flags: number, agentFlag: number): void {
  if (flags === agentFlag) {
    throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, FROM_QEMU, 'QEMU guest agent is not configured');
  }
}

export async function shutdown(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, S.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | S.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT, 'qemuDomainShutdownFlags');
  checkMethod(flags, S.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT);
  await inJob(driver, ref, 'virDomainShutdownFlags', async (obj) => {
    obj.fakeReboot = false;
    await obj.runtime.powerdown();
  });
}

export async function reboot(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, R.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | R.VIR_DOMAIN_REBOOT_GUEST_AGENT, 'qemuDomainReboot');
  checkMethod(flags, R.VIR_DOMAIN_REBOOT_GUEST_AGENT);
  await inJob(driver, ref, 'virDomainReboot', async (obj) => {
    obj.fakeReboot = true;
    await obj.runtime.powerdown();
  });
}

export async function reset(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'qemuDomainReset');
  await inJob(driver, ref, 'virDomainReset', (obj) => obj.runtime.reset());
}

export async function suspend(driver: QemuDriver, ref: DomainRef): Promise<void> {
  await inJob(driver, ref, 'virDomainSuspend', (obj) => obj.runtime.suspend());
}

export async function resume(driver: QemuDriver, ref: DomainRef): Promise<void> {
  await inJob(driver, ref, 'virDomainResume', (obj) => obj.runtime.resume());
}
