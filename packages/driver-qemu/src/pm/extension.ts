/**
 * Guest power management on QEMU (libvirt's qemuDomainPMSuspendForDuration and
 * qemuDomainPMWakeup, and the SUSPEND / SUSPEND_DISK / WAKEUP handlers of qemu_process.c).
 *
 * The guest agent asks the guest to sleep (guest-suspend-ram/disk/hybrid); the agent sends no
 * reply when that works, so the call ends when QEMU reports SUSPEND. The state change and the
 * PMSUSPENDED / STARTED_WAKEUP lifecycle events come from the runtime's state machine; the
 * PMSUSPEND, PMSUSPEND_DISK and PMWAKEUP events are published here, before them, as libvirt does.
 */
import { DomainEventID, DomainState, ErrorNumber, NodeSuspendTarget as T, VirError, type DriverConnection } from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { availableAgent } from '../agent/channel';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';

type PMMethods = Pick<Required<DriverConnection>, 'domainPMSuspendForDuration' | 'domainPMWakeup'>;

/** The agent commands of the suspend targets (qemuAgentSuspendModeTypeToString). */
const AGENT_COMMAND: Record<number, string> = {
  [T.VIR_NODE_SUSPEND_TARGET_MEM]: 'guest-suspend-ram',
  [T.VIR_NODE_SUSPEND_TARGET_DISK]: 'guest-suspend-disk',
  [T.VIR_NODE_SUSPEND_TARGET_HYBRID]: 'guest-suspend-hybrid',
};

/** Calls waiting for the domain's next SUSPEND or SUSPEND_DISK event. */
function suspendWaiters(obj: QemuDomainObj): Set<() => void> {
  return obj.extension('pm-suspend-waiters', () => new Set<() => void>());
}

function nextSuspend(obj: QemuDomainObj): { done: Promise<void>; cancel: () => void } {
  const waiters = suspendWaiters(obj);
  let fire: () => void = () => undefined;
  const done = new Promise<void>((r) => (fire = r));
  const waiter = () => {
    waiters.delete(waiter);
    fire();
  };
  waiters.add(waiter);
  return { done, cancel: () => waiters.delete(waiter) };
}

export const pmHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, ev) => {
      const running = obj.state.state === DomainState.VIR_DOMAIN_RUNNING;
      if (ev.event === 'SUSPEND' || ev.event === 'SUSPEND_DISK') {
        if (running) {
          const id =
            ev.event === 'SUSPEND' ? DomainEventID.VIR_DOMAIN_EVENT_ID_PMSUSPEND : DomainEventID.VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK;
          driver.emit(id, obj.ref(), { reason: 0 });
        }
        for (const w of [...suspendWaiters(obj)]) w();
      } else if (ev.event === 'WAKEUP') {
        driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_PMWAKEUP, obj.ref(), { reason: 0 });
      }
    },
  });
};

/** qemuDomainPMSuspendForDuration's check of the domain's <pm> element. */
function checkPmEnabled(obj: QemuDomainObj, target: number): void {
  const pm = obj.def.preserved.get('pm')?.[0];
  const disabled = (what: string) => pm?.element(what)?.attr('enabled') === 'no';
  if (disabled('suspend-to-mem') && target !== T.VIR_NODE_SUSPEND_TARGET_DISK) {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'S3 state is disabled for this domain');
  }
  if (disabled('suspend-to-disk') && target === T.VIR_NODE_SUSPEND_TARGET_DISK) {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'S4 state is disabled for this domain');
  }
}

export const pmMethods: QemuConnectionExtension = (driver): PMMethods => ({
  async domainPMSuspendForDuration(dom, target, duration, flags) {
    checkFlags(flags, 0, 'qemuDomainPMSuspendForDuration');
    if (BigInt(duration) !== 0n) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, 'Duration not supported. Use 0 for now');
    const command = AGENT_COMMAND[target];
    if (!command) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `Unknown suspend target: ${target}`);
    const obj = driver.domains.get(dom);
    if (!obj.active) throw notRunning();
    const agent = availableAgent(obj);
    const machine = await obj.monitor().execute<{ 'wakeup-suspend-support'?: boolean }>('query-current-machine');
    if (!machine['wakeup-suspend-support']) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'Domain does not have suspend support');
    }
    checkPmEnabled(obj, target);
    const suspended = nextSuspend(obj);
    try {
      await agent.commandAnsweredBy({ execute: command }, suspended.done);
    } finally {
      suspended.cancel();
    }
  },

  async domainPMWakeup(dom, flags) {
    checkFlags(flags, 0, 'qemuDomainPMWakeup');
    const obj = driver.domains.get(dom);
    await driver.withJob(obj, 'modify', 'virDomainPMWakeup', async () => {
      if (!obj.active) throw notRunning();
      if (obj.state.state !== DomainState.VIR_DOMAIN_PMSUSPENDED) {
        throw VirError.operationInvalid('Unable to wake up domain which is not suspended', FROM_QEMU);
      }
      await obj.monitor().execute('system_wakeup');
    });
  },
});
