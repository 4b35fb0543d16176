/**
 * Block I/O tunables of a group as libvirt's virCgroupSet/GetBlkio*: the weight (v1
 * blkio.bfq.weight or blkio.weight, v2 io.bfq.weight or io.weight; only with the bfq or cfq I/O
 * scheduler), and per device (by `major:minor`) a weight and read/write bytes and I/O operations
 * per second (v1 blkio.throttle.*_device, v2 io.max). 0 removes a device's limit.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { Cgroup } from './group';

/** A per-device tunable, named as `<blkiotune><device>` names it. */
export type BlkioDeviceTunable = 'weight' | 'read_iops_sec' | 'write_iops_sec' | 'read_bytes_sec' | 'write_bytes_sec';

/** v1 throttle file and v2 io.max key of each throttle. */
const THROTTLES: Record<Exclude<BlkioDeviceTunable, 'weight'>, [v1: string, v2: string]> = {
  read_iops_sec: ['blkio.throttle.read_iops_device', 'riops'],
  write_iops_sec: ['blkio.throttle.write_iops_device', 'wiops'],
  read_bytes_sec: ['blkio.throttle.read_bps_device', 'rbps'],
  write_bytes_sec: ['blkio.throttle.write_bps_device', 'wbps'],
};

const unsupported = (what: string, schedulers: string) =>
  VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_CGROUP, `${what} is valid only for ${schedulers} scheduler`);

/** The first of the weight files the group has, or libvirt's error when the I/O scheduler has none. */
function weightFile(cg: Cgroup, device: boolean): string {
  const names = cg.layout.v2
    ? ['io.bfq.weight', 'io.weight']
    : device
      ? ['blkio.bfq.weight_device', 'blkio.weight_device']
      : ['blkio.bfq.weight', 'blkio.weight'];
  const found = names.find((n) => cg.hasFile('blkio', n));
  if (found) return found;
  if (device) throw unsupported('blkio device weight', 'cfq');
  // libvirt's v1 code says "device" for the group's weight too
  throw unsupported(cg.layout.v2 ? 'blkio weight' : 'blkio device weight', 'bfq or cfq');
}

export function blkioWeight(cg: Cgroup): number {
  const text = cg.read('blkio', weightFile(cg, false));
  return Number(cg.layout.v2 ? (/^default (\d+)$/m.exec(text)?.[1] ?? 0) : text);
}

export function setBlkioWeight(cg: Cgroup, weight: number): void {
  cg.write('blkio', weightFile(cg, false), cg.layout.v2 ? `default ${weight}` : String(weight));
}

/** virReportSystemError's message: the detail, then strerror. */
const systemError = (message: string, errno: string) =>
  new VirError({ code: ErrorNumber.VIR_ERR_SYSTEM_ERROR, domain: ErrorDomain.VIR_FROM_CGROUP, message: `${message}: ${errno}` });

/** `major:minor` of a block device node (virCgroupGetBlockDevString). */
export function blockDeviceId(path: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch {
    throw systemError(`Path '${path}' is not accessible`, 'No such file or directory');
  }
  if (!st.isBlockDevice()) throw systemError(`Path '${path}' must be a block device`, 'Invalid argument');
  const major = Math.floor(st.rdev / 256) & 0xfff;
  const minor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
  return `${major}:${minor}`;
}

/** The `major:minor` line of `text`, or undefined. */
const lineOf = (text: string, id: string) => text.split('\n').find((l) => l.startsWith(`${id} `));

/** One tunable of device `id` (0 when it has none). */
export function blkioDeviceValue(cg: Cgroup, id: string, what: BlkioDeviceTunable): bigint {
  if (what === 'weight') {
    const v = lineOf(cg.read('blkio', weightFile(cg, true)), id)?.split(/\s+/)[1];
    return v ? BigInt(v) : 0n;
  }
  const [v1, v2] = THROTTLES[what];
  if (!cg.layout.v2) {
    const v = lineOf(cg.read('blkio', v1), id)?.split(/\s+/)[1];
    return v ? BigInt(v) : 0n;
  }
  const v = new RegExp(`\\b${v2}=(\\d+)`).exec(lineOf(cg.read('blkio', 'io.max'), id) ?? '')?.[1];
  return v ? BigInt(v) : 0n;
}

/** Set one tunable of device `id`; 0 removes it. */
export function setBlkioDeviceValue(cg: Cgroup, id: string, what: BlkioDeviceTunable, value: bigint): void {
  if (what === 'weight') return cg.write('blkio', weightFile(cg, true), `${id} ${value}`);
  const [v1, v2] = THROTTLES[what];
  if (cg.layout.v2) cg.write('blkio', 'io.max', `${id} ${v2}=${value === 0n ? 'max' : value}`);
  else cg.write('blkio', v1, `${id} ${value}`);
}
