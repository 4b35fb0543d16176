/**
 * vCPU and emulator pinning of the test driver (testDomainPinVcpuFlags, testDomainPinEmulator and
 * the pin-info getters): pins live in the definition's `<cputune>`; a vCPU or emulator without one
 * may run on every host CPU.
 */
import { DomainModificationImpact as M, ErrorNumber, type DomainRef } from '@virtkit/core';
import { cpusetOf, emulatorPin, mapOf, setEmulatorPin, setVcpuPin, vcpuPin } from '@virtkit/xml';
import { vcpus } from './domain-xml';
import { oneDefState } from './domain-info';
import { checkFlags, err, FROM_DOMAIN, invalidArg } from './errors';
import type { TestState } from './state';
import { hostCpus } from './stats';

const allCpus = (state: TestState) => `0-${hostCpus(state) - 1}`;

/** testDomainPinVcpuFlags: no flag is accepted; the running domain's vCPU gets the map. */
export function pinVcpuFlags(state: TestState, ref: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): void {
  checkFlags(flags, 0, 'testDomainPinVcpuFlags');
  const d = state.domObj(ref);
  if (!d.active) throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot pin vcpus on an inactive domain');
  if (vcpu >= vcpus(d.def)) throw invalidArg(`requested vcpu '${vcpu}' is not present in the domain`);
  setVcpuPin(d.def, vcpu, cpusetOf(cpumap));
}

/** testDomainGetVcpuPinInfo: each vCPU's pin, else every host CPU. */
export function getVcpuPinInfo(state: TestState, ref: DomainRef, ncpumaps: number, maplen: number, flags: number) {
  const { def } = oneDefState(state.domObj(ref), flags);
  const n = Math.min(ncpumaps, def.vcpu);
  const cpumaps = new Uint8Array(n * maplen);
  for (let i = 0; i < n; i++) cpumaps.set(mapOf(vcpuPin(def, i) ?? allCpus(state), maplen), i * maplen);
  return { cpumaps, num: n };
}

/** testDomainPinEmulator: the live and/or persistent definition the flags name. */
export function pinEmulator(state: TestState, ref: DomainRef, cpumap: Uint8Array, flags: number): void {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG, 'testDomainPinEmulator');
  const d = state.domObj(ref);
  const cpuset = cpusetOf(cpumap);
  if (!cpuset) throw invalidArg('Empty cpu list for pinning', FROM_DOMAIN);
  if (flags & M.VIR_DOMAIN_AFFECT_LIVE && flags & M.VIR_DOMAIN_AFFECT_CONFIG) {
    setEmulatorPin(oneDefState(d, M.VIR_DOMAIN_AFFECT_LIVE).def, cpuset);
    setEmulatorPin(oneDefState(d, M.VIR_DOMAIN_AFFECT_CONFIG).def, cpuset);
    return;
  }
  setEmulatorPin(oneDefState(d, flags).def, cpuset);
}

/** testDomainGetEmulatorPinInfo: the emulator's pin, else every host CPU. */
export function getEmulatorPinInfo(state: TestState, ref: DomainRef, maplen: number, flags: number) {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG, 'testDomainGetEmulatorPinInfo');
  const { def } = oneDefState(state.domObj(ref), flags);
  const pin = emulatorPin(def);
  return { cpumaps: mapOf(pin ?? allCpus(state), maplen), ret: 1 };
}
