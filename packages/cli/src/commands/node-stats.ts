/** Host monitoring commands: nodecpumap, nodecpustats, nodememstats, freecell. */
import { setTimeout as sleep } from 'node:timers/promises';
import { wideToNumber, type NodeStat } from '@virtkit/core';
import { parseXml } from '@virtkit/xml';
import type { CmdDef } from '../types';
import type { Ctl } from '../ctl';
import { label } from '../format';
import { exclusive, flag, int } from '../opt';

/** virBitmapDataFormat: the set bits as ranges, "0-3,5". */
function rangesText(map: Uint8Array, n: number): string {
  const on = (i: number) => (map[i >> 3] & (1 << (i & 7))) !== 0;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!on(i)) continue;
    let j = i;
    while (j + 1 < n && on(j + 1)) j++;
    parts.push(i === j ? String(i) : `${i}-${j}`);
    i = j;
  }
  return parts.join(',');
}

/** C's %5.1lf, with glibc's "-nan" for the 0/0 of two equal samples. */
const pct = (v: number): string => `${(Number.isNaN(v) ? '-nan' : v.toFixed(1)).padStart(5)}%`;

/** virsh's row names of the CPU counters, in its print order, and the libvirt field each reads. */
const CPU_ROWS: Array<[string, string]> = [
  ['user', 'user:'],
  ['kernel', 'system:'],
  ['idle', 'idle:'],
  ['iowait', 'iowait:'],
  ['intr', 'intr:'],
];

async function cpuSample(ctl: Ctl, cpu: number): Promise<NodeStat[]> {
  try {
    return await ctl.c.getCPUStats(cpu, 0);
  } catch (e) {
    ctl.error('Unable to get node cpu stats');
    throw e;
  }
}

export const nodeStatsCommands: CmdDef[] = [
  {
    name: 'nodecpumap',
    group: 'host',
    help: 'node cpu map',
    desc: "Displays the node's total number of CPUs, the number of online CPUs and the list of online CPUs.",
    opts: [{ name: 'pretty', type: 'bool', help: 'return human readable output' }],
    async handler(ctl, opts) {
      const m = await ctl.attempt('Unable to get cpu map', () => ctl.c.getCPUMap(0));
      ctl.print(`${label('CPUs present:')} ${m.ret}\n`);
      ctl.print(`${label('CPUs online:')} ${m.online}\n`);
      let map = '';
      if (flag(opts, 'pretty')) map = rangesText(m.cpumap, m.ret);
      else for (let i = 0; i < m.ret; i++) map += m.cpumap[i >> 3] & (1 << (i & 7)) ? 'y' : '-';
      ctl.print(`${label('CPU map:')} ${map}\n`);
      return true;
    },
  },
  {
    name: 'nodecpustats',
    group: 'host',
    help: 'Prints cpu stats of the node.',
    desc: 'Returns cpu stats of the node, in nanoseconds.',
    opts: [
      { name: 'cpu', type: 'int', help: 'prints specified cpu statistics only.' },
      { name: 'percent', type: 'bool', help: 'prints by percentage during 1 second.' },
    ],
    async handler(ctl, opts) {
      const cpu = int(ctl, opts, 'cpu') ?? -1;
      const first = await ctl.attempt('Unable to get number of cpu stats', () => ctl.c.getCPUStats(cpu, 0));
      if (!first.length) return true;
      const value = (s: NodeStat[], f: string) => s.find((p) => p.field === f);
      const util = value(first, 'utilization');
      if (!flag(opts, 'percent')) {
        for (const [field, name] of CPU_ROWS) {
          const p = value(first, field);
          if (p) ctl.print(`${name.padEnd(15)} ${String(p.value).padStart(20)}\n`);
        }
        return true;
      }
      if (util) {
        const u = wideToNumber(util.value);
        ctl.print(`${'usage:'.padEnd(15)} ${pct(u)}\n${'idle:'.padEnd(15)} ${pct(100 - u)}\n`);
        return true;
      }
      await sleep(1000);
      const second = await cpuSample(ctl, cpu);
      const delta = (f: string) => wideToNumber(value(second, f)?.value ?? 0) - wideToNumber(value(first, f)?.value ?? 0);
      const total = CPU_ROWS.reduce((acc, [f]) => acc + delta(f), 0);
      ctl.print(`${'usage:'.padEnd(15)} ${pct(((delta('user') + delta('kernel')) / total) * 100)}\n`);
      for (const [field, name] of CPU_ROWS) if (value(first, field)) ctl.print(`${name.padEnd(15)} ${pct((delta(field) / total) * 100)}\n`);
      return true;
    },
  },
  {
    name: 'nodememstats',
    group: 'host',
    help: 'Prints memory stats of the node.',
    desc: 'Returns memory stats of the node, in kilobytes.',
    opts: [{ name: 'cell', type: 'int', help: 'prints specified cell statistics only.' }],
    async handler(ctl, opts) {
      const cell = int(ctl, opts, 'cell') ?? -1;
      const stats = await ctl.attempt('Unable to get number of memory stats', () => ctl.c.getMemoryStats(cell, 0));
      for (const p of stats) ctl.print(`${p.field.padEnd(7)} ${String(p.value).padStart(20)} KiB\n`);
      return true;
    },
  },
  {
    name: 'freecell',
    group: 'host',
    help: 'NUMA free memory',
    desc: 'display available free memory for the NUMA cell.',
    opts: [
      { name: 'cellno', type: 'int', help: 'NUMA cell number' },
      { name: 'all', type: 'bool', help: 'show free memory for all NUMA cells' },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'all', 'cellno');
      const cell = int(ctl, opts, 'cellno');
      const kib = (bytes: number | bigint) => BigInt(bytes) / 1024n;
      if (flag(opts, 'all')) {
        const caps = parseXml(await ctl.c.getCapabilities());
        const ids = (caps.find('host', 'topology', 'cells')?.elements('cell') ?? []).map((c) => Number(c.attr('id')));
        if (!ids.length) ctl.fail('could not get information about NUMA topology');
        let total = 0n;
        for (const id of ids) {
          const [free] = await ctl.c.getCellsFreeMemory(id, 1);
          total += BigInt(free);
          ctl.print(`${String(id).padStart(5)}: ${String(kib(free)).padStart(10)} KiB\n`);
        }
        ctl.printExtra('--------------------\n');
        ctl.printExtra(`${'Total'.padStart(5)}: ${String(total / 1024n).padStart(10)} KiB\n`);
      } else if (cell !== null) {
        const [free] = await ctl.c.getCellsFreeMemory(cell, 1);
        ctl.print(`${cell}: ${kib(free)} KiB\n`);
      } else {
        ctl.print(`Total: ${kib(await ctl.c.getFreeMemory())} KiB\n`);
      }
      return true;
    },
  },
];
