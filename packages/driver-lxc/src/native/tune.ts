/**
 * The cgroup settings of an LXC configuration (lxc_native.c's lxcSetMemTune, lxcSetCpuTune,
 * lxcSetCpusetTune, lxcSetBlkioTune): `lxc.cgroup.*` keys become `<memtune>`, `<cputune>`,
 * `<vcpu cpuset>`, `<numatune>` and `<blkiotune>`.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { escapeXml, formatBitmap, parseBitmap, scaleInteger } from '@virtkit/xml';
import type { LxcConf } from './conf';
import { lxcInternal } from './errors';

const ULLONG_MAX = (1n << 64n) - 1n;
/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: larger limits are written as this. */
const MEMORY_UNLIMITED = 9007199254740991n;
const CPUMASK_LEN = 16384;

/** lxcConvertSize: a byte count with an optional unit (`8m`, `1G`, `1073741824`). */
export function convertSize(size: string): bigint {
  const m = /^[ \t\n\r\f\v]*\+?(\d+)(.*)$/s.exec(size);
  if (!m) throw lxcInternal(`failed to convert size: '${size}'`);
  if (m[2] === '%') throw lxcInternal(`can't convert relative size: '${size}'`);
  try {
    return scaleInteger(BigInt(m[1]), m[2], 1n, ULLONG_MAX);
  } catch {
    throw lxcInternal(`failed to convert size: '${size}'`);
  }
}

const truncate = (kib: bigint) => (kib > MEMORY_UNLIMITED ? MEMORY_UNLIMITED : kib);

export interface TuneSettings {
  /** `<memory>` in KiB when the configuration limits memory. */
  memoryKiB?: bigint;
  memtune?: string;
  cputune?: string;
  cpuset?: string;
  numatune?: string;
  blkiotune?: string;
}

function memtune(conf: LxcConf, out: TuneSettings): void {
  const limits: string[] = [];
  const hard = conf.get('lxc.cgroup.memory.limit_in_bytes');
  if (hard !== undefined) {
    const kib = convertSize(hard) / 1024n;
    out.memoryKiB = kib;
    limits.push(`<hard_limit unit='KiB'>${truncate(kib)}</hard_limit>`);
  }
  const soft = conf.get('lxc.cgroup.memory.soft_limit_in_bytes');
  if (soft !== undefined) limits.push(`<soft_limit unit='KiB'>${truncate(convertSize(soft) / 1024n)}</soft_limit>`);
  const swap = conf.get('lxc.cgroup.memory.memsw.limit_in_bytes');
  if (swap !== undefined) limits.push(`<swap_hard_limit unit='KiB'>${truncate(convertSize(swap) / 1024n)}</swap_hard_limit>`);
  if (limits.length) out.memtune = `<memtune>${limits.join('')}</memtune>`;
}

function integer(value: string, signed: boolean): bigint {
  const m = (signed ? /^[ \t\n\r\f\v]*([+-]?\d+)$/ : /^[ \t\n\r\f\v]*\+?(\d+)$/).exec(value);
  if (!m) throw lxcInternal(`failed to parse integer: '${value}'`);
  return BigInt(m[1]);
}

function cputune(conf: LxcConf, out: TuneSettings): void {
  const shares = conf.get('lxc.cgroup.cpu.shares');
  const quota = conf.get('lxc.cgroup.cpu.cfs_quota_us');
  const period = conf.get('lxc.cgroup.cpu.cfs_period_us');
  const parts: string[] = [];
  if (shares !== undefined) parts.push(`<shares>${integer(shares, false)}</shares>`);
  const periodN = period !== undefined ? integer(period, false) : 0n;
  const quotaN = quota !== undefined ? integer(quota, true) : 0n;
  if (periodN) parts.push(`<period>${periodN}</period>`);
  if (quotaN) parts.push(`<quota>${quotaN}</quota>`);
  if (parts.length) out.cputune = `<cputune>${parts.join('')}</cputune>`;
}

function bitmap(text: string): string {
  const bits = parseBitmap(text);
  if (!bits || bits.some((b) => b >= CPUMASK_LEN)) {
    throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, `Failed to parse bitmap '${text}'`);
  }
  return formatBitmap(bits);
}

function cpusetTune(conf: LxcConf, out: TuneSettings): void {
  const cpus = conf.get('lxc.cgroup.cpuset.cpus');
  if (cpus !== undefined) out.cpuset = bitmap(cpus);
  const mems = conf.get('lxc.cgroup.cpuset.mems');
  if (mems !== undefined) out.numatune = `<numatune><memory mode='strict' nodeset='${bitmap(mems)}'/></numatune>`;
}

interface BlkioDevice {
  path: string;
  weight: bigint;
  riops: bigint;
  wiops: bigint;
  rbps: bigint;
  wbps: bigint;
}

/** The blkio key → device field it sets and the word libvirt's message uses for it. */
const BLKIO_KEYS: Record<string, { field: keyof Omit<BlkioDevice, 'path'>; what: string; max: bigint }> = {
  'lxc.cgroup.blkio.device_weight': { field: 'weight', what: 'device weight', max: 0xffffffffn },
  'lxc.cgroup.blkio.throttle.read_bps_device': { field: 'rbps', what: 'read_bps_device', max: ULLONG_MAX },
  'lxc.cgroup.blkio.throttle.write_bps_device': { field: 'wbps', what: 'write_bps_device', max: ULLONG_MAX },
  'lxc.cgroup.blkio.throttle.read_iops_device': { field: 'riops', what: 'read_iops_device', max: 0xffffffffn },
  'lxc.cgroup.blkio.throttle.write_iops_device': { field: 'wiops', what: 'write_iops_device', max: 0xffffffffn },
};

function blkioDevices(conf: LxcConf): BlkioDevice[] {
  const devices: BlkioDevice[] = [];
  for (const { name, value } of conf.entries) {
    if (!name.startsWith('lxc.cgroup.blkio.') || name === 'lxc.cgroup.blkio.weight') continue;
    const parts = value.replaceAll('\t', ' ').split(' ').filter(Boolean);
    if (parts.length < 2) throw lxcInternal(`invalid ${name} value: '${value}'`);
    const path = `/dev/block/${parts[0]}`;
    let dev = devices.find((d) => d.path === path);
    if (!dev) devices.push((dev = { path, weight: 0n, riops: 0n, wiops: 0n, rbps: 0n, wbps: 0n }));
    const key = BLKIO_KEYS[name];
    if (!key) continue;
    const m = /^[ \t]*\+?(\d+)$/.exec(parts[1]);
    if (!m || BigInt(m[1]) > key.max) throw lxcInternal(`failed to parse ${key.what}: '${parts[1]}'`);
    dev[key.field] = BigInt(m[1]);
  }
  return devices;
}

function blkiotune(conf: LxcConf, out: TuneSettings): void {
  const parts: string[] = [];
  const weight = conf.get('lxc.cgroup.blkio.weight');
  if (weight !== undefined) {
    const m = /^[ \t]*\+?(\d+)$/.exec(weight);
    if (!m || BigInt(m[1]) > 0xffffffffn) throw lxcInternal(`failed to parse integer: '${weight}'`);
    if (BigInt(m[1])) parts.push(`<weight>${m[1].replace(/^0+(?=\d)/, '')}</weight>`);
  }
  for (const d of blkioDevices(conf)) {
    if (!d.weight && !d.riops && !d.wiops && !d.rbps && !d.wbps) continue;
    const v = (tag: string, n: bigint) => (n ? `<${tag}>${n}</${tag}>` : '');
    parts.push(
      `<device><path>${escapeXml(d.path)}</path>${v('weight', d.weight)}${v('read_iops_sec', d.riops)}${v('write_iops_sec', d.wiops)}` +
        `${v('read_bytes_sec', d.rbps)}${v('write_bytes_sec', d.wbps)}</device>`,
    );
  }
  if (parts.length) out.blkiotune = `<blkiotune>${parts.join('')}</blkiotune>`;
}

export function convertTune(conf: LxcConf): TuneSettings {
  const out: TuneSettings = {};
  memtune(conf, out);
  cputune(conf, out);
  cpusetTune(conf, out);
  blkiotune(conf, out);
  return out;
}
