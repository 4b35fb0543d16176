/**
 * The guest agent calls libvirt's test driver answers without a guest (testDomainGetTime,
 * SetTime, FSFreeze, FSThaw, GetFSInfo, SetUserPassword): a fixed clock, two file systems on the
 * first disk (`/` and `/boot`) whose frozen state is kept per domain.
 */
import { DomainSetTimeFlags, DomainSetUserPasswordFlags, type DomainFSInfo, type DomainRef, type DomainTime } from '@virtkit/core';
import type { DomainObj } from './domain-obj';
import { checkFlags, notRunning, opInvalid } from './errors';
import type { TestState } from './state';

/** The test driver's guest clock: 1989-11-17 15:32:00 UTC. */
const GUEST_TIME = 627319920;

const MOUNTPOINTS = ['/', '/boot'];

/** Which of the two file systems are frozen, by domain. */
const frozen = new WeakMap<DomainObj, boolean[]>();

function running(state: TestState, ref: DomainRef): DomainObj {
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  return d;
}

export function getTime(state: TestState, ref: DomainRef, flags: number): DomainTime {
  checkFlags(flags, 0, 'testDomainGetTime');
  running(state, ref);
  return { seconds: GUEST_TIME, nseconds: 0 };
}

export function setTime(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, DomainSetTimeFlags.VIR_DOMAIN_TIME_SYNC, 'testDomainSetTime');
  running(state, ref);
}

export function setUserPassword(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, DomainSetUserPasswordFlags.VIR_DOMAIN_PASSWORD_ENCRYPTED, 'testDomainSetUserPassword');
  running(state, ref);
}

/** Freeze (or thaw) the named file systems, all without names; how many changed. */
function setFrozen(state: TestState, ref: DomainRef, mountpoints: string[], flags: number, freeze: boolean): number {
  checkFlags(flags, 0, freeze ? 'testDomainFSFreeze' : 'testDomainFSThaw');
  const d = running(state, ref);
  const wanted = mountpoints.length ? [false, false] : [true, true];
  for (const m of mountpoints) {
    const at = MOUNTPOINTS.indexOf(m);
    if (at < 0) throw opInvalid(`mount point not found: ${m}`);
    wanted[at] = true;
  }
  const state2 = frozen.get(d) ?? [false, false];
  let changed = 0;
  wanted.forEach((w, i) => {
    if (w && state2[i] !== freeze) {
      state2[i] = freeze;
      changed++;
    }
  });
  frozen.set(d, state2);
  return changed;
}

export const fsFreeze = (state: TestState, ref: DomainRef, mountpoints: string[], flags: number) =>
  setFrozen(state, ref, mountpoints, flags, true);
export const fsThaw = (state: TestState, ref: DomainRef, mountpoints: string[], flags: number) =>
  setFrozen(state, ref, mountpoints, flags, false);

/** Two ext4 file systems on the first disk, none without a disk. */
export function getFSInfo(state: TestState, ref: DomainRef, flags: number): DomainFSInfo[] {
  checkFlags(flags, 0, 'testDomainGetFSInfo');
  const d = running(state, ref);
  const disk = d.def.devices.find((x) => x.disk && x.disk.device === 'disk')?.disk?.targetDev;
  if (!disk) return [];
  return MOUNTPOINTS.map((mountpoint, i) => ({ mountpoint, name: `${disk}${i + 1}`, fstype: 'ext4', dev_aliases: [disk] }));
}
