/**
 * The test driver's memory and vCPU setters (testDomainSetMemoryFlags, testDomainSetVcpusFlags)
 * with the argument checks libvirt's public API makes before them, testDomainGetControlInfo and
 * the fair scheduler's parameters.
 */
import {
  typedParams,
  TypedParameterType,
  DomainControlState,
  DomainModificationImpact,
  DomainVcpuFlags,
  ErrorDomain,
  modificationImpact,
  type DomainControlInfo,
  type DomainRef,
  type SchedulerType,
  type TypedParams,
} from '@virtkit/core';
import { setMaximumVcpus, setOnlineVcpus } from '@virtkit/xml';
import type { TestState } from './state';
import { checkFlags, FROM_DOMAIN, invalidArg, notRunning, rawInvalidArg } from './errors';
import { MAX_VCPUS } from './constants';
import { setMemoryFlags as setMemory } from './domain-info';

const LIVE = DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE;
const CONFIG = DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG;

/** virCheckNonZeroArgGoto, as the public call `fn` words it. */
function nonZero(value: number | bigint, arg: string, fn: string): void {
  if (value === 0 || value === 0n) throw rawInvalidArg(`${arg} in ${fn} must not be zero`, FROM_DOMAIN);
}

/** virDomainSetMemoryFlags: a non-zero size, then the driver. */
export function setMemoryFlags(
  state: TestState,
  ref: DomainRef,
  memory: number | bigint,
  flags: number,
  fn = 'virDomainSetMemoryFlags',
): void {
  nonZero(memory, 'memory', fn);
  setMemory(state, ref, Number(memory), flags);
}

/** virDomainSetVcpusFlags (or virDomainSetVcpus, `fn`) and testDomainSetVcpusFlags. */
export function setVcpusFlags(state: TestState, ref: DomainRef, n: number, flags: number, fn = 'virDomainSetVcpusFlags'): void {
  const MAXIMUM = DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM;
  if (flags & MAXIMUM && !(flags & CONFIG)) {
    throw rawInvalidArg("Flag 'VIR_DOMAIN_AFFECT_CONFIG' is required by flag 'VIR_DOMAIN_VCPU_MAXIMUM'", FROM_DOMAIN);
  }
  if (flags & DomainVcpuFlags.VIR_DOMAIN_VCPU_GUEST && flags & CONFIG) {
    throw rawInvalidArg("Flags 'VIR_DOMAIN_VCPU_GUEST' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", FROM_DOMAIN);
  }
  nonZero(n, 'nvcpus', fn);
  checkFlags(flags, LIVE | CONFIG | MAXIMUM, 'testDomainSetVcpusFlags');
  if (n > MAX_VCPUS) throw invalidArg(`requested cpu amount exceeds maximum supported amount (${n} > ${MAX_VCPUS})`);
  const d = state.domObj(ref);
  const impact = modificationImpact(d, flags);
  const live = impact.live ? d.def : null;
  const persistent = impact.config ? d.persistentDef() : null;
  if (live && live.vcpu < n) throw invalidArg(`requested cpu amount exceeds maximum (${n} > ${live.vcpu})`);
  if (persistent && !(flags & MAXIMUM) && persistent.vcpu < n) {
    throw invalidArg(`requested cpu amount exceeds maximum (${n} > ${persistent.vcpu})`);
  }
  if (live) setOnlineVcpus(live, n);
  if (persistent) {
    if (flags & MAXIMUM) setMaximumVcpus(persistent, n);
    else setOnlineVcpus(persistent, n);
  }
}

/** testDomainGetControlInfo: a running test domain is always ready for commands. */
export function getControlInfo(state: TestState, ref: DomainRef, flags: number): DomainControlInfo {
  checkFlags(flags, 0, 'testDomainGetControlInfo');
  if (!state.domObj(ref).active) throw notRunning();
  return { state: DomainControlState.VIR_DOMAIN_CONTROL_OK, details: 0, stateTime: 0 };
}

/** VIR_DOMAIN_SCHEDULER_WEIGHT: the one parameter of the test driver's "fair" scheduler. */
const WEIGHT = 'weight';

/** testDomainGetSchedulerType: every domain has the fair scheduler with one parameter. */
export function schedulerType(): SchedulerType {
  return { type: 'fair', nparams: 1 };
}

/** VIR_TYPED_PARAM_STRING_OKAY: virDomainGetSchedulerParametersFlags adds it for drivers that take string parameters. */
const STRING_OKAY = 1 << 2;

/**
 * virDomainGetSchedulerParametersFlags (the flags variant only, `withFlags`) and
 * testDomainGetSchedulerParametersFlags: a fixed weight of 50. The flag the public call adds is
 * one the test driver's check refuses, so only the call without flags succeeds there.
 */
export function getSchedulerParameters(state: TestState, ref: DomainRef, flags: number, withFlags: boolean): TypedParams {
  if (withFlags) {
    flags |= STRING_OKAY;
    if (flags & LIVE && flags & CONFIG) {
      throw rawInvalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", FROM_DOMAIN);
    }
  }
  checkFlags(flags, 0, 'testDomainGetSchedulerParametersFlags');
  state.domObj(ref);
  return typedParams([{ field: WEIGHT, type: TypedParameterType.VIR_TYPED_PARAM_UINT, value: 50 }]);
}

/** testDomainSetSchedulerParametersFlags: only the weight is known, and the test driver keeps none. */
export function setSchedulerParameters(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, 0, 'testDomainSetSchedulerParametersFlags');
  for (const [field, value] of Object.entries(params)) {
    if (field !== WEIGHT) throw invalidArg(`parameter '${field}' not supported`, ErrorDomain.VIR_FROM_NONE);
    if (typeof value !== 'number')
      throw invalidArg(`invalid type '${typeof value}' for parameter '${field}', expected 'uint'`, ErrorDomain.VIR_FROM_NONE);
  }
  state.domObj(ref);
}
