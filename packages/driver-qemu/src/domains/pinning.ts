/**
 * vCPU and emulator pinning of QEMU domains (qemuDomainPinVcpuFlags, qemuDomainPinEmulator and the
 * pin-info getters): a running domain's threads get the CPU affinity through sched_setaffinity
 * (`taskset`) on the vCPU threads QEMU reports (query-cpus-fast) or on its other threads, and the
 * pin is kept in `<cputune>` of the live and/or persistent definition as the flags say.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DomainModificationImpact as M, ErrorNumber, modificationImpact, oneDefIsLive, VirError, type DomainRef } from '@virtkit/core';
import { cpusetOf, emulatorPin, mapOf, setEmulatorPin, setVcpuPin, vcpuPin, type DomainDef } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import type { QemuDomainObj } from './obj';
import { checkFlags, FROM_QEMU } from './errors';
import { copyDef } from './parse';

const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;

/** The host CPUs a thread without a pin may use. */
const allCpus = () => `0-${os.cpus().length - 1}`;

/** virDomainObjGetOneDef for a getter: the live or the persistent definition, never both. */
const oneDef = (obj: QemuDomainObj, flags: number): DomainDef => (oneDefIsLive(obj, flags) ? obj.def : obj.persistentDef!);

/** sched_setaffinity of one thread, as taskset does it. */
export function setAffinity(tid: number, cpuset: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('taskset', ['-p', '-c', cpuset, String(tid)], { timeout: 10_000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const message = `cannot set CPU affinity on process ${tid}: ${String(stderr).trim() || err.message}`;
      reject(new VirError({ code: ErrorNumber.VIR_ERR_SYSTEM_ERROR, domain: FROM_QEMU, message }));
    });
  });
}

async function vcpuThreads(obj: QemuDomainObj): Promise<Map<number, number>> {
  const cpus = await obj.monitor().execute<Array<{ 'cpu-index': number; 'thread-id': number }>>('query-cpus-fast');
  return new Map(cpus.map((c) => [c['cpu-index'], c['thread-id']]));
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

export async function pinVcpuFlags(driver: QemuDriver, ref: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainPinVcpuFlags');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainPinVcpuFlags', async () => {
    const which = modificationImpact(obj, flags);
    const cpuset = cpusetOf(cpumap);
    if (!cpuset) throw VirError.invalidArg('Empty cpu list for pinning', FROM_QEMU);
    for (const [live, def] of [
      [which.live, obj.liveDef],
      [which.config, obj.persistentDef],
    ] as const) {
      if (live && def && vcpu >= (def.vcpuCurrent ?? def.vcpu))
        throw VirError.invalidArg(
          `vcpu ${vcpu} is out of range of ${def === obj.liveDef ? 'live' : 'persistent'} cpu count ${def.vcpuCurrent ?? def.vcpu}`,
          FROM_QEMU,
        );
    }
    if (which.live) {
      const tid = (await vcpuThreads(obj)).get(vcpu);
      if (tid === undefined) throw VirError.invalidArg(`vCPU ${vcpu} is not online`, FROM_QEMU);
      await setAffinity(tid, cpuset);
    }
    await updateDefs(driver, obj, which, (d) => setVcpuPin(d, vcpu, cpuset));
  });
}

/** qemuDomainGetVcpuPinInfo: each vCPU's pin, else every host CPU. */
export function getVcpuPinInfo(driver: QemuDriver, ref: DomainRef, ncpumaps: number, maplen: number, flags: number) {
  checkFlags(flags, IMPACT, 'qemuDomainGetVcpuPinInfo');
  const def = oneDef(driver.domains.get(ref), flags);
  const n = Math.min(ncpumaps, def.vcpu);
  const cpumaps = new Uint8Array(n * maplen);
  for (let i = 0; i < n; i++) cpumaps.set(mapOf(vcpuPin(def, i) ?? allCpus(), maplen), i * maplen);
  return { cpumaps, num: n };
}

/** The QEMU process's threads that are not vCPU threads: the emulator's. */
async function emulatorThreads(obj: QemuDomainObj): Promise<number[]> {
  const vcpus = new Set((await vcpuThreads(obj)).values());
  const pid = obj.runtime.pid;
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .filter((t) => !vcpus.has(t));
}

export async function pinEmulator(driver: QemuDriver, ref: DomainRef, cpumap: Uint8Array, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainPinEmulator');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainPinEmulator', async () => {
    const which = modificationImpact(obj, flags);
    const cpuset = cpusetOf(cpumap);
    if (!cpuset) throw VirError.invalidArg('Empty cpu list for pinning', FROM_QEMU);
    if (which.live) for (const tid of await emulatorThreads(obj)) await setAffinity(tid, cpuset);
    await updateDefs(driver, obj, which, (d) => setEmulatorPin(d, cpuset));
  });
}

export function getEmulatorPinInfo(driver: QemuDriver, ref: DomainRef, maplen: number, flags: number) {
  checkFlags(flags, IMPACT, 'qemuDomainGetEmulatorPinInfo');
  const def = oneDef(driver.domains.get(ref), flags);
  return { cpumaps: mapOf(emulatorPin(def) ?? allCpus(), maplen), ret: 1 };
}
