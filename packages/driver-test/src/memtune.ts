/**
 * Memory limits, NUMA memory policy and perf events of the test driver
 * (testDomainGet/SetMemoryParameters, testDomainGet/SetNumaParameters, testDomainGet/SetPerfEvents):
 * kept in the definition's `<memtune>`, `<numatune>` and `<perf>` as libvirt writes them.
 */
import {
  DomainModificationImpact as M,
  ErrorDomain,
  ErrorNumber,
  TypedParameterFlags,
  TypedParameterType as T,
  typedParams,
  validateTypedParams,
  type DomainRef,
  type TypedParams,
} from '@virtkit/core';
import { numaParameters, numaParamsRequest, numatuneMemory, setNumatuneMemory, XmlElement } from '@virtkit/xml';
import type { DomainDef } from './domain-xml';
import { defsOf, oneDefState } from './domain-info';
import { checkFlags, err, invalidArg, FROM_DOMAIN } from './errors';
import type { TestState } from './state';

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: no limit. */
const UNLIMITED = 9007199254740991;
const MEM_FIELDS = ['hard_limit', 'soft_limit', 'swap_hard_limit'];
/** virPerfEvent, in libvirt's order. */
const PERF_EVENTS = [
  'cmt',
  'mbmt',
  'mbml',
  'cpu_cycles',
  'instructions',
  'cache_references',
  'cache_misses',
  'branch_instructions',
  'branch_misses',
  'bus_cycles',
  'stalled_cycles_frontend',
  'stalled_cycles_backend',
  'ref_cpu_cycles',
  'cpu_clock',
  'task_clock',
  'page_faults',
  'context_switches',
  'cpu_migrations',
  'page_faults_min',
  'page_faults_maj',
  'alignment_faults',
  'emulation_faults',
];
const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;
/** The getters also take the flag libvirt's public calls add for a driver that takes string parameters. */
const GET_FLAGS = IMPACT | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY;

const element = (name: string, attrs: Record<string, string> = {}, text?: string): XmlElement => {
  const el = new XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.attrs.set(k, v);
  if (text !== undefined) el.children.push({ kind: 'text', text });
  return el;
};

function setPreserved(def: DomainDef, name: string, el: XmlElement): void {
  if (el.children.length) def.preserved.set(name, [el]);
  else def.preserved.delete(name);
}

const memLimit = (def: DomainDef, field: string) => {
  const t = def.preserved.get('memtune')?.[0]?.childText(field);
  return t === undefined ? UNLIMITED : Number(t);
};

export function getMemory(state: TestState, ref: DomainRef, flags: number): TypedParams {
  checkFlags(flags, GET_FLAGS, 'testDomainGetMemoryParameters');
  const { def } = oneDefState(state.domObj(ref), flags);
  return typedParams(MEM_FIELDS.map((field) => ({ field, type: T.VIR_TYPED_PARAM_ULLONG, value: memLimit(def, field) })));
}

export function setMemory(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainSetMemoryParameters');
  validateTypedParams(params, Object.fromEntries(MEM_FIELDS.map((f) => [f, T.VIR_TYPED_PARAM_ULLONG])));
  for (const def of defsOf(state.domObj(ref), flags)) {
    const limits = new Map(MEM_FIELDS.map((f) => [f, memLimit(def, f)]));
    for (const [field, value] of Object.entries(params)) limits.set(field, Math.min(Number(value), UNLIMITED));
    if (limits.get('swap_hard_limit')! < UNLIMITED && limits.get('hard_limit')! > limits.get('swap_hard_limit')!)
      throw invalidArg('memory hard_limit tunable value must be lower than or equal to swap_hard_limit', FROM_DOMAIN);
    const el = new XmlElement('memtune');
    for (const f of MEM_FIELDS) if (limits.get(f)! < UNLIMITED) el.children.push(element(f, { unit: 'KiB' }, String(limits.get(f))));
    setPreserved(def, 'memtune', el);
  }
}

export function getNuma(state: TestState, ref: DomainRef, flags: number): TypedParams {
  checkFlags(flags, GET_FLAGS, 'testDomainGetNumaParameters');
  return numaParameters(oneDefState(state.domObj(ref), flags).def);
}

export function setNuma(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainSetNumaParameters');
  const { mode, nodeset } = numaParamsRequest(params, ErrorDomain.VIR_FROM_TEST);
  const { def, live } = oneDefState(state.domObj(ref), flags);
  if (live && mode !== undefined && mode !== (numatuneMemory(def)?.mode ?? mode))
    throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, "can't change numatune mode for running domain");
  setNumatuneMemory(def, mode, nodeset);
}

const perfState = (def: DomainDef) =>
  new Map((def.preserved.get('perf')?.[0]?.elements('event') ?? []).map((e) => [e.attr('name') ?? '', e.attr('enabled') === 'yes']));

export function getPerf(state: TestState, ref: DomainRef, flags: number): TypedParams {
  checkFlags(flags, IMPACT, 'testDomainGetPerfEvents');
  const on = perfState(oneDefState(state.domObj(ref), flags).def);
  return typedParams(PERF_EVENTS.map((field) => ({ field, type: T.VIR_TYPED_PARAM_BOOLEAN, value: on.get(field) === true })));
}

export function setPerf(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainSetPerfEvents');
  validateTypedParams(params, Object.fromEntries(PERF_EVENTS.map((e) => [e, T.VIR_TYPED_PARAM_BOOLEAN])));
  for (const def of defsOf(state.domObj(ref), flags)) {
    const events = perfState(def);
    for (const [field, value] of Object.entries(params)) events.set(field, value === true);
    const el = new XmlElement('perf');
    for (const e of PERF_EVENTS) if (events.has(e)) el.children.push(element('event', { name: e, enabled: events.get(e) ? 'yes' : 'no' }));
    setPreserved(def, 'perf', el);
  }
}
