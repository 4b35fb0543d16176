/**
 * getControlInfo's choice between libvirt's control states, from the facts it reads: whether
 * the monitor is there, the job running and the command in flight (the real-QEMU side is in
 * test/daemon/guest-agent-pm.test.ts: ok, occupied and a save's background job).
 */
import { DomainControlErrorReason, DomainControlState, ErrorNumber, isVirError } from '@virtkit/core';
import { getControlInfo } from '../src/domains/control-info';
import { DomainJobs } from '../src/jobs';
import type { QemuDriver } from '../src/qemu-driver';

const REF = { name: 'vm', uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809', id: 1 };

/** A driver with one domain whose monitor is gone (null), idle (undefined) or busy since a time. */
function driverWith(active: boolean, busySince: number | undefined | null): { driver: QemuDriver; jobs: DomainJobs } {
  const jobs = new DomainJobs();
  const obj = {
    uuid: REF.uuid,
    active,
    monitor: () => {
      if (busySince === null) throw new Error('monitor closed');
      return { busySince };
    },
  };
  return { driver: { domains: { get: () => obj }, jobs } as unknown as QemuDriver, jobs };
}

test('ERROR (monitor) once the monitor is gone; OK with no job or a job between commands', async () => {
  expect(getControlInfo(driverWith(true, null).driver, REF, 0)).toEqual({
    state: DomainControlState.VIR_DOMAIN_CONTROL_ERROR,
    details: DomainControlErrorReason.VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR,
    stateTime: 0,
  });
  const idle = driverWith(true, undefined);
  expect(getControlInfo(idle.driver, REF, 0)).toEqual({ state: DomainControlState.VIR_DOMAIN_CONTROL_OK, details: 0, stateTime: 0 });
  const release = await idle.jobs.begin(REF.uuid, 'modify', 'virDomainSetTime');
  expect(getControlInfo(idle.driver, REF, 0).state).toBe(DomainControlState.VIR_DOMAIN_CONTROL_OK);
  release();
});

test('OCCUPIED while a job waits for QEMU, JOB during an asynchronous job, each timed from its start', async () => {
  const busy = driverWith(true, Date.now() - 1500);
  const release = await busy.jobs.begin(REF.uuid, 'query', 'virDomainScreenshot');
  const occupied = getControlInfo(busy.driver, REF, 0);
  expect(occupied.state).toBe(DomainControlState.VIR_DOMAIN_CONTROL_OCCUPIED);
  expect(Number(occupied.stateTime)).toBeGreaterThanOrEqual(1500);
  release();
  // A monitor command outside any job (libvirt has none) leaves the state OK.
  expect(getControlInfo(busy.driver, REF, 0).state).toBe(DomainControlState.VIR_DOMAIN_CONTROL_OK);

  const save = driverWith(true, undefined);
  const end = await save.jobs.begin(REF.uuid, 'modify', 'virDomainSaveFlags', undefined, 'save');
  await new Promise((r) => setTimeout(r, 20));
  const job = getControlInfo(save.driver, REF, 0);
  expect(job.state).toBe(DomainControlState.VIR_DOMAIN_CONTROL_JOB);
  expect(Number(job.stateTime)).toBeGreaterThanOrEqual(20);
  end();
});

test('a domain that is not running, and unknown flags, fail as libvirt does', () => {
  const off = driverWith(false, undefined).driver;
  const err = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return isVirError(e) ? [e.code, e.message] : e;
    }
    return undefined;
  };
  expect(err(() => getControlInfo(off, REF, 0))).toEqual([
    ErrorNumber.VIR_ERR_OPERATION_INVALID,
    'Requested operation is not valid: domain is not running',
  ]);
  expect(err(() => getControlInfo(off, REF, 1))).toEqual([
    ErrorNumber.VIR_ERR_INVALID_ARG,
    'unsupported flags (0x1) in function qemuDomainGetControlInfo',
  ]);
});
