/** Host monitoring calls of the QEMU driver against what /proc and /sys say at the same moment. */
import * as fs from 'node:fs';
import { ErrorNumber, wideToNumber, type Connect, type NodeStat, type VirError } from '@virtkit/core';
import { parseCpuList } from '../src/host/node-stats';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';

const kib = (text: string, key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)![1]);
const field = (s: NodeStat[], f: string) => wideToNumber(s.find((p) => p.field === f)!.value);

/** The ticks of the `cpu` line of /proc/stat, in nanoseconds: [user+nice, system+irq+softirq]. */
function procCpu(): [number, number] {
  const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return [(v[0] + v[1]) * 1e7, (v[2] + v[5] + v[6]) * 1e7];
}

describe('node monitoring on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('maps the present CPUs and marks the online ones', async () => {
    const present = parseCpuList(fs.readFileSync('/sys/devices/system/cpu/present', 'utf8'));
    const online = parseCpuList(fs.readFileSync('/sys/devices/system/cpu/online', 'utf8'));
    const m = await conn.getCPUMap(0);
    expect(m.ret).toBe(Math.max(...present) + 1);
    expect(m.online).toBe(online.length);
    const set = [...Array(m.ret).keys()].filter((i) => m.cpumap[i >> 3] & (1 << (i & 7)));
    expect(set).toEqual(online);
  });

  it('reads CPU time from /proc/stat, per CPU and for all', async () => {
    const before = procCpu();
    const s = await conn.getCPUStats(-1, 0);
    const after = procCpu();
    expect(s.map((p) => p.field)).toEqual(['kernel', 'user', 'idle', 'iowait']);
    expect(field(s, 'user')).toBeGreaterThanOrEqual(before[0]);
    expect(field(s, 'user')).toBeLessThanOrEqual(after[0]);
    expect(field(s, 'kernel')).toBeGreaterThanOrEqual(before[1]);
    expect(field(s, 'kernel')).toBeLessThanOrEqual(after[1]);
    expect(field(await conn.getCPUStats(0, 0), 'idle')).toBeLessThanOrEqual(field(s, 'idle'));
    const e = (await rejection(conn.getCPUStats(4096, 0))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, 'Invalid cpuNum in virHostCPUGetStatsLinux']);
  });

  it('reads memory from /proc/meminfo and the NUMA cells from /sys', async () => {
    const host = await conn.getMemoryStats(-1, 0);
    expect(host.map((p) => p.field)).toEqual(['total', 'free', 'buffers', 'cached']);
    expect(field(host, 'total')).toBe(kib(fs.readFileSync('/proc/meminfo', 'utf8'), 'MemTotal'));
    const cell0 = await conn.getMemoryStats(0, 0);
    expect(field(cell0, 'total')).toBe(kib(fs.readFileSync('/sys/devices/system/node/node0/meminfo', 'utf8'), 'MemTotal'));
    const free = wideToNumber(await conn.getFreeMemory());
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(field(host, 'total') * 1024);
    const cells = await conn.getCellsFreeMemory(0, 64);
    expect(cells.length).toBe(fs.readdirSync('/sys/devices/system/node').filter((n) => /^node\d+$/.test(n)).length);
    const e = (await rejection(conn.getCellsFreeMemory(4096, 1))) as VirError;
    expect(e.code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(e.message).toMatch(/^internal error: start cell 4096 out of range \(0-\d+\)$/);
    expect(((await rejection(conn.getMemoryStats(4096, 0))) as VirError).code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
  });
});
