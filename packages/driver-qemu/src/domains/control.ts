/**
 * Controlling a running domain: destroy, shutdown, reboot, reset, suspend, resume.
 *
 * Shutdown and reboot without a guest agent press the ACPI power button (`system_powerdown`);
 * QEMU runs with `-no-shutdown`, so when the guest powers off it only stops, and the driver then
 * either ends the process (shutdown) or resets and resumes the machine (reboot: libvirt's "fake
 * reboot"). A guest that ignores the button keeps running, as with libvirt.
 *
 * With the guest agent method (asked for, or the default while an agent is connected) the agent
 * runs the guest's shutdown command; the driver waits for the guest to go down (QMP SHUTDOWN, or
 * RESET for a reboot) and falls back to the power button unless only the agent was asked for.
 */
import {
  DomainDestroyFlags as D,
  DomainPausedReason,
  DomainRebootFlags as R,
  DomainShutdownFlags as S,
  DomainShutoffReason,
  DomainState,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import * as fs from 'node:fs';
import type { DomainJobKind } from '../jobs';
import type { QemuDriver } from '../qemu-driver';
import { agentConnected, availableAgent } from '../agent/channel';
import { agentUnresponsive } from '../agent/client';
import { agentShutdown } from '../agent/commands';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

/** The domain behind `ref`, which must be running. */
function running(driver: QemuDriver, ref: DomainRef): QemuDomainObj {
  const obj = driver.domains.get(ref);
  if (!obj.active) throw notRunning();
  return obj;
}

/** Run `fn` on a running domain inside its job, re-checking it is still running once the job is ours. */
async function inJob(
  driver: QemuDriver,
  ref: DomainRef,
  owner: string,
  fn: (obj: QemuDomainObj) => Promise<void>,
  kind: DomainJobKind = 'modify',
): Promise<void> {
  const obj = running(driver, ref);
  await driver.withJob(obj, kind, owner, async () => {
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

/** libvirt's VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN: how long the guest may take to go down. */
const AGENT_SHUTDOWN_WAIT_MS = 60_000;

/** Ask the agent to power the guest off (or reboot it) and wait until QEMU sees it happen. */
async function agentShutdownGuest(obj: QemuDomainObj, isReboot: boolean, reportError: boolean): Promise<boolean> {
  if (!obj.active) throw notRunning();
  let agent;
  try {
    agent = availableAgent(obj);
  } catch (e) {
    if (reportError) throw e;
    return false;
  }
  const mon = obj.monitor();
  const down = mon.waitEvent(isReboot ? 'RESET' : 'SHUTDOWN', AGENT_SHUTDOWN_WAIT_MS);
  down.catch(() => undefined);
  try {
    await Promise.race([down, agentShutdown(agent, isReboot).then(() => down)]);
    return true;
  } catch (e) {
    if (!obj.active) return true;
    if (reportError) throw e instanceof VirError ? e : agentUnresponsive('Guest agent not available for now');
    return false;
  }
}

/** qemuDomainShutdownFlags / qemuDomainReboot: the agent first when asked or connected, the power button otherwise or after it. */
async function shutdownOrReboot(
  driver: QemuDriver,
  ref: DomainRef,
  flags: number,
  isReboot: boolean,
  agentFlag: number,
  acpiFlag: number,
): Promise<void> {
  const agentRequested = (flags & agentFlag) !== 0;
  const acpiRequested = (flags & acpiFlag) !== 0;
  const obj = running(driver, ref);
  const useAgent = agentRequested || (flags === 0 && agentConnected(obj));
  if (useAgent) {
    obj.fakeReboot = false;
    const done = await agentShutdownGuest(obj, isReboot, agentRequested && !acpiRequested);
    if (done || (agentRequested && !acpiRequested)) return;
    if (!obj.active) return;
  }
  await inJob(driver, ref, isReboot ? 'virDomainReboot' : 'virDomainShutdownFlags', async (o) => {
    o.fakeReboot = isReboot;
    await o.runtime.powerdown();
  });
}

export async function shutdown(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, S.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | S.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT, 'qemuDomainShutdownFlags');
  await shutdownOrReboot(driver, ref, flags, false, S.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT, S.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN);
}

export async function reboot(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, R.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | R.VIR_DOMAIN_REBOOT_GUEST_AGENT, 'qemuDomainReboot');
  await shutdownOrReboot(driver, ref, flags, true, R.VIR_DOMAIN_REBOOT_GUEST_AGENT, R.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN);
}

export async function reset(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'qemuDomainReset');
  await inJob(driver, ref, 'virDomainReset', (obj) => obj.runtime.reset());
}

/** qemuDomainSuspend and qemuDomainResume leave a guest that put itself to sleep alone (PMWakeup wakes it). */
function checkNotPMSuspended(obj: QemuDomainObj): void {
  if (obj.state.state === DomainState.VIR_DOMAIN_PMSUSPENDED) throw VirError.operationInvalid('domain is pmsuspended', FROM_QEMU);
}

export async function suspend(driver: QemuDriver, ref: DomainRef): Promise<void> {
  await inJob(
    driver,
    ref,
    'virDomainSuspend',
    async (obj) => {
      checkNotPMSuspended(obj);
      // Suspended during an outgoing move (the only job a suspend runs beside): libvirt's reason.
      const migrating = driver.jobs.active(obj.uuid)?.kind === 'migration-op';
      await obj.runtime.suspend(migrating ? DomainPausedReason.VIR_DOMAIN_PAUSED_MIGRATION : DomainPausedReason.VIR_DOMAIN_PAUSED_USER);
    },
    'suspend',
  );
}

export async function resume(driver: QemuDriver, ref: DomainRef): Promise<void> {
  await inJob(driver, ref, 'virDomainResume', async (obj) => {
    checkNotPMSuspended(obj);
    await obj.runtime.resume();
  });
}
