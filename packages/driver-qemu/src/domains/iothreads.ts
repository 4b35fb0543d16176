/**
 * IOThreads of QEMU domains (qemuDomainGetIOThreadInfo, PinIOThread, AddIOThread, DelIOThread):
 * a running domain's threads come from query-iothreads and change by object-add/object-del of
 * `iothread<N>` objects, their affinity is the thread's own (sched_getaffinity / taskset), and the
 * ids and pins are kept in the live and/or persistent definition as the flags say.
 */
import * as fs from 'node:fs';
import {
  DomainModificationImpact as M,
  ErrorNumber,
  modificationImpact,
  oneDefIsLive,
  VirError,
  type DomainRef,
  type IOThreadInfo,
  type TypedParams,
} from '@virtkit/core';
import { cpusetOf, iothreadIds, iothreadPin, mapOf, setIothreadIds, setIothreadPin, type DomainDef } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import type { QemuDomainObj } from './obj';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import { copyDef } from './parse';
import { iothreadNumber, type QmpIOThread } from './stats';
import { setAffinity } from './pinning';

const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;

async function liveThreads(obj: QemuDomainObj): Promise<Array<{ id: number; tid: number }>> {
  const all = await obj.monitor().execute<QmpIOThread[]>('query-iothreads');
  return all.flatMap((t) => {
    const id = iothreadNumber(t);
    return id === null ? [] : [{ id, tid: t['thread-id'] }];
  });
}

/** The CPU list a thread may run on now (sched_getaffinity, as /proc reports it). */
function threadCpus(pid: number | undefined, tid: number): string {
  if (pid === undefined) return '';
  const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1] ?? '';
}

const maplenOf = (cpuset: string) => (Math.max(0, ...cpuset.split(/[,-]/).map(Number)) >> 3) + 1;

export async function getInfo(driver: QemuDriver, ref: DomainRef, flags: number): Promise<IOThreadInfo[]> {
  checkFlags(flags, IMPACT, 'qemuDomainGetIOThreadInfo');
  const obj = driver.domains.get(ref);
  if (oneDefIsLive(obj, flags)) {
    const pid = obj.runtime.pid;
    if (pid === undefined) throw notRunning();
    return driver.withJob(obj, 'query', 'virDomainGetIOThreadInfo', async () =>
      (await liveThreads(obj)).map(({ id, tid }) => {
        const cpus = threadCpus(pid, tid);
        return { iothread_id: id, cpumap: mapOf(cpus, maplenOf(cpus)) };
      }),
    );
  }
  const def = obj.persistentDef!;
  const all = def.vcpu > 0 ? `0-${def.vcpu - 1}` : '';
  return iothreadIds(def).map((id) => {
    const cpus = iothreadPin(def, id) ?? def.vcpuCpuset ?? all;
    return { iothread_id: id, cpumap: mapOf(cpus, maplenOf(cpus)) };
  });
}

/** Change a copy of the live and/or persistent definition and store it. */
async function updateDefs(
  driver: QemuDriver,
  obj: QemuDomainObj,
  which: { live: boolean; config: boolean },
  change: (d: DomainDef) => void,
) {
  if (which.live) {
    const def = copyDef(obj.liveDef!);
    change(def);
    obj.liveDef = def;
    await driver.saveDef(obj, def);
  }
  if (which.config) {
    const def = copyDef(obj.persistentDef!);
    change(def);
    await driver.saveDef(obj, def);
  }
}

function defsOf(obj: QemuDomainObj, which: { live: boolean; config: boolean }): DomainDef[] {
  return [...(which.live ? [obj.liveDef!] : []), ...(which.config ? [obj.persistentDef!] : [])];
}

export async function add(driver: QemuDriver, ref: DomainRef, id: number, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainAddIOThread');
  if (id === 0) throw VirError.invalidArg('invalid value of 0 for iothread_id', FROM_QEMU);
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainAddIOThread', async () => {
    const which = modificationImpact(obj, flags);
    for (const def of defsOf(obj, which))
      if (iothreadIds(def).includes(id)) throw VirError.invalidArg(`an IOThread is already using iothread_id '${id}'`, FROM_QEMU);
    if (which.live) await obj.monitor().execute('object-add', { 'qom-type': 'iothread', id: `iothread${id}` });
    await updateDefs(driver, obj, which, (d) => setIothreadIds(d, [...iothreadIds(d), id]));
  });
}

export async function del(driver: QemuDriver, ref: DomainRef, id: number, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainDelIOThread');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainDelIOThread', async () => {
    const which = modificationImpact(obj, flags);
    for (const def of defsOf(obj, which))
      if (!iothreadIds(def).includes(id)) throw VirError.invalidArg(`cannot find IOThread '${id}' in iothreadids list`, FROM_QEMU);
    if (which.live) await obj.monitor().execute('object-del', { id: `iothread${id}` });
    await updateDefs(driver, obj, which, (d) =>
      setIothreadIds(
        d,
        iothreadIds(d).filter((t) => t !== id),
      ),
    );
  });
}

export async function pin(driver: QemuDriver, ref: DomainRef, id: number, cpumap: Uint8Array, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainPinIOThread');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainPinIOThread', async () => {
    const which = modificationImpact(obj, flags);
    const cpuset = cpusetOf(cpumap);
    if (!cpuset) throw VirError.invalidArg('Empty iothread cpumap list for pinning', FROM_QEMU);
    for (const def of defsOf(obj, which))
      if (!iothreadIds(def).includes(id)) throw VirError.invalidArg(`iothreadid ${id} not found`, FROM_QEMU);
    if (which.live) {
      const t = (await liveThreads(obj)).find((x) => x.id === id);
      if (!t) throw VirError.invalidArg(`iothreadid ${id} not found`, FROM_QEMU);
      await setAffinity(t.tid, cpuset);
    }
    await updateDefs(driver, obj, which, (d) => setIothreadPin(d, id, cpuset));
  });
}

/** Typed parameter → QEMU iothread property. */
const IOTHREAD_PROPS: Readonly<Record<string, string>> = {
  poll_max_ns: 'poll-max-ns',
  poll_grow: 'poll-grow',
  poll_shrink: 'poll-shrink',
  thread_pool_min: 'thread-pool-min',
  thread_pool_max: 'thread-pool-max',
};

/** qemuDomainSetIOThreadParams: the running thread's properties (qom-set); libvirt 9.0 keeps none in the XML. */
export async function setParams(driver: QemuDriver, ref: DomainRef, id: number, params: TypedParams, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainSetIOThreadParams');
  for (const field of Object.keys(params))
    if (!IOTHREAD_PROPS[field])
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, FROM_QEMU, `parameter '${field}' not supported`);
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetIOThreadParams', async () => {
    const which = modificationImpact(obj, flags);
    if (which.config)
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
        FROM_QEMU,
        'configuring IOThreads polling parameters is not supported for the persistent definition',
      );
    if (!(await liveThreads(obj)).some((t) => t.id === id))
      throw VirError.invalidArg(`cannot find IOThread '${id}' in iothreadids`, FROM_QEMU);
    for (const [field, value] of Object.entries(params))
      await obj.monitor().execute('qom-set', { path: `/objects/iothread${id}`, property: IOTHREAD_PROPS[field], value: Number(value) });
  });
}
