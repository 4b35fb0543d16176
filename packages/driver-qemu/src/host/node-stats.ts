/**
 * Host monitoring for the QEMU driver, from /proc and /sys as libvirt's Linux backends read them
 * (virHostCPUGetMap, virHostCPUGetStatsLinux, virHostMemGetStats, virHostMemGetCellsFree).
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError, type NodeCPUMap, type NodeStat } from '@virtkit/core';

/** Nanoseconds per clock tick of /proc/stat (USER_HZ is 100 on Linux). */
const TICK_NS = 10_000_000;
const CPU_DIR = '/sys/devices/system/cpu';
const NODE_DIR = '/sys/devices/system/node';

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** A kernel CPU list ("0-3,5") as the set of its numbers. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

function invalidArg(message: string, domain = ErrorDomain.VIR_FROM_NONE): VirError {
  return new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain, message, str1: message });
}

/** virHostCPUGetMap: as many CPUs as /sys says are present, one bit per online CPU. */
export function cpuMap(): NodeCPUMap {
  const present = parseCpuList(read(`${CPU_DIR}/present`) ?? '0');
  const online = parseCpuList(read(`${CPU_DIR}/online`) ?? '0');
  const count = Math.max(...present) + 1;
  const cpumap = new Uint8Array(Math.ceil(count / 8));
  for (const c of online) cpumap[c >> 3] |= 1 << (c & 7);
  return { cpumap, online: online.length, ret: count };
}

/** virHostCPUGetStatsLinux: one /proc/stat line (all CPUs for -1) as kernel, user, idle and iowait time. */
export function cpuStats(cpuNum: number): NodeStat[] {
  const name = cpuNum === -1 ? 'cpu' : `cpu${cpuNum}`;
  const line = (read('/proc/stat') ?? '').split('\n').find((l) => l.split(/\s+/)[0] === name);
  if (!line) throw invalidArg('Invalid cpuNum in virHostCPUGetStatsLinux', ErrorDomain.VIR_FROM_NONE);
  const [user, nice, system, idle, iowait, irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return [
    { field: 'kernel', value: (system + irq + softirq) * TICK_NS },
    { field: 'user', value: (user + nice) * TICK_NS },
    { field: 'idle', value: idle * TICK_NS },
    { field: 'iowait', value: iowait * TICK_NS },
  ];
}

/** The NUMA cells /sys knows, in order. */
function cells(): number[] {
  try {
    return fs
      .readdirSync(NODE_DIR)
      .filter((n) => /^node\d+$/.test(n))
      .map((n) => Number(n.slice(4)))
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** A meminfo figure in KiB ("MemFree:" or, per cell, "Node 0 MemFree:"). */
function meminfo(text: string, key: string): number | null {
  const m = new RegExp(`^(?:Node \\d+ )?${key}:\\s+(\\d+) kB$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/** virHostMemGetStats: total, free, buffers and cached KiB of the host or of one cell. */
export function memoryStats(cellNum: number): NodeStat[] {
  let text: string | null;
  if (cellNum === -1) text = read('/proc/meminfo');
  else {
    const max = Math.max(0, ...cells());
    if (cellNum < 0 || cellNum > max) throw invalidArg(`cellNum in virHostMemGetStats must be less than or equal to ${max}`);
    text = read(`${NODE_DIR}/node${cellNum}/meminfo`);
  }
  const out: NodeStat[] = [];
  for (const [key, field] of [
    ['MemTotal', 'total'],
    ['MemFree', 'free'],
    ['Buffers', 'buffers'],
    ['Cached', 'cached'],
  ]) {
    const v = meminfo(text ?? '', key);
    if (v !== null) out.push({ field, value: v });
  }
  return out;
}

/** The free memory of one cell in bytes (the host's when /sys has no cells). */
function cellFree(cell: number | null): number {
  const text = cell === null ? read('/proc/meminfo') : read(`${NODE_DIR}/node${cell}/meminfo`);
  return (meminfo(text ?? '', 'MemFree') ?? 0) * 1024;
}

/** virNodeGetFreeMemory: free bytes of every cell together. */
export function freeMemory(): number {
  const all = cells();
  return all.length ? all.reduce((acc, c) => acc + cellFree(c), 0) : cellFree(null);
}

/** virHostMemGetCellsFree: free bytes of up to maxCells cells from startCell on. */
export function cellsFreeMemory(startCell: number, maxCells: number): number[] {
  if (startCell < 0) throw invalidArg('startCell in virNodeGetCellsFreeMemory must be zero or greater', ErrorDomain.VIR_FROM_DOMAIN);
  if (maxCells <= 0) throw invalidArg('maxCells in virNodeGetCellsFreeMemory must be greater than zero', ErrorDomain.VIR_FROM_DOMAIN);
  const all = cells();
  const last = Math.max(0, ...all);
  if (startCell > last) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_NONE,
      `start cell ${startCell} out of range (0-${last})`,
    );
  }
  const out: number[] = [];
  for (let c = startCell; c <= last && out.length < maxCells; c++) out.push(all.length ? cellFree(c) : cellFree(null));
  return out;
}
