/**
 * IOThreads of the test driver (testDomainGetIOThreadInfo, testDomainPinIOThread, Add/Del,
 * SetIOThreadParams and the iothread stats group): ids from `<iothreadids>` and the
 * `<iothreads>` count, pins in `<cputune><iothreadpin>`, and the polling parameters, which libvirt
 * keeps with the running thread and never writes into the XML.
 */
import {
  DomainModificationImpact as M,
  ErrorNumber,
  TypedParameterType as T,
  type DomainRef,
  type IOThreadInfo,
  type TypedParam,
  type TypedParams,
} from '@virtkit/core';
import type { DomainObj } from './domain-obj';
import type { DomainDef } from './domain-xml';
import { defsOf, oneDefState } from './domain-info';
import { checkFlags, err, invalidArg } from './errors';
import { cpusetOf, iothreadIds, iothreadPin as pinOf, mapOf, setIothreadIds as setIds, setIothreadPin as setPin } from '@virtkit/xml';
import type { TestState } from './state';

interface PollParams {
  maxNs: number;
  grow: number;
  shrink: number;
}

/** Polling parameters per live definition and IOThread id (QEMU's defaults until set). */
const POLL = new WeakMap<DomainDef, Map<number, PollParams>>();
const DEFAULT_POLL: PollParams = { maxNs: 32768, grow: 0, shrink: 0 };

const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;

/** testDomainGetIOThreadInfo: an unpinned thread may run on the domain's vCPU count of CPUs. */
export function getInfo(state: TestState, ref: DomainRef, flags: number): IOThreadInfo[] {
  checkFlags(flags, IMPACT, 'testDomainGetIOThreadInfo');
  const { def } = oneDefState(state.domObj(ref), flags);
  const all = def.vcpu > 0 ? `0-${def.vcpu - 1}` : '';
  return iothreadIds(def).map((id) => {
    const cpuset = pinOf(def, id) ?? def.vcpuCpuset ?? all;
    const last = Math.max(0, ...cpuset.split(/[,-]/).map(Number));
    return { iothread_id: id, cpumap: mapOf(cpuset, (last >> 3) + 1) };
  });
}

export function pin(state: TestState, ref: DomainRef, id: number, cpumap: Uint8Array, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainPinIOThread');
  const defs = defsOf(state.domObj(ref), flags);
  for (const def of defs) if (!iothreadIds(def).includes(id)) throw invalidArg(`iothreadid ${id} not found`);
  for (const def of defs) setPin(def, id, cpusetOf(cpumap));
}

export function add(state: TestState, ref: DomainRef, id: number, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainAddIOThread');
  if (id === 0) throw invalidArg('invalid iothread id: 0');
  const defs = defsOf(state.domObj(ref), flags);
  for (const def of defs) if (iothreadIds(def).includes(id)) throw invalidArg(`an IOThread is already using iothread_id '${id}'`);
  for (const def of defs) setIds(def, [...iothreadIds(def), id]);
}

export function del(state: TestState, ref: DomainRef, id: number, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainDelIOThread');
  const defs = defsOf(state.domObj(ref), flags);
  for (const def of defs) if (!iothreadIds(def).includes(id)) throw invalidArg(`cannot find IOThread '${id}' in iothreadids list`);
  for (const def of defs) {
    setIds(
      def,
      iothreadIds(def).filter((t) => t !== id),
    );
    const tune = def.preserved.get('cputune')?.[0];
    if (tune)
      tune.children.splice(
        0,
        tune.children.length,
        ...tune.children.filter((k) => !(k.kind === 'element' && k.name === 'iothreadpin' && Number(k.attr('iothread')) === id)),
      );
  }
}

const POLL_FIELDS: Record<string, keyof PollParams> = { poll_max_ns: 'maxNs', poll_grow: 'grow', poll_shrink: 'shrink' };

/** testDomainSetIOThreadParams: the polling parameters of a running domain's thread. */
export function setParams(state: TestState, ref: DomainRef, id: number, params: TypedParams, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainSetIOThreadParams');
  const d = state.domObj(ref);
  const [def] = defsOf(d, flags);
  if (!iothreadIds(def).includes(id)) throw invalidArg(`cannot find IOThread '${id}' in iothreadids`);
  let table = POLL.get(def);
  if (!table) POLL.set(def, (table = new Map()));
  const cur = { ...(table.get(id) ?? DEFAULT_POLL) };
  for (const [field, value] of Object.entries(params)) {
    const key = POLL_FIELDS[field];
    if (!key) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `parameter '${field}' not supported`);
    cur[key] = Number(value);
  }
  table.set(id, cur);
}

/** The iothread stats group of a running domain. */
export function stats(d: DomainObj): TypedParam[] {
  if (!d.active) return [];
  const ids = iothreadIds(d.def);
  if (ids.length === 0) return [];
  const out: TypedParam[] = [{ field: 'iothread.count', type: T.VIR_TYPED_PARAM_UINT, value: ids.length }];
  for (const id of ids) {
    const p = POLL.get(d.def)?.get(id) ?? DEFAULT_POLL;
    out.push({ field: `iothread.${id}.poll-max-ns`, type: T.VIR_TYPED_PARAM_ULLONG, value: p.maxNs });
    out.push({ field: `iothread.${id}.poll-grow`, type: T.VIR_TYPED_PARAM_UINT, value: p.grow });
    out.push({ field: `iothread.${id}.poll-shrink`, type: T.VIR_TYPED_PARAM_UINT, value: p.shrink });
  }
  return out;
}
