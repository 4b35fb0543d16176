/** virNodeGetInfo for the local host, from /proc and /sys as libvirt's Linux backend reads them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { NodeInfo } from '@virtkit/core';

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Host architecture with libvirt's names. */
export function hostArch(): string {
  const a = os.arch();
  return ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[a] ?? a;
}

/** Memory in KiB (MemTotal). */
export function hostMemoryKiB(): number {
  const m = /^MemTotal:\s+(\d+)/m.exec(read('/proc/meminfo') ?? '');
  return m ? Number(m[1]) : Math.floor(os.totalmem() / 1024);
}

interface CpuTopo {
  id: number;
  socket: number;
  core: number;
}

/** Online CPUs with their socket and core ids. */
export function hostCpus(): CpuTopo[] {
  const out: CpuTopo[] = [];
  const base = '/sys/devices/system/cpu';
  let names: string[] = [];
  try {
    names = fs.readdirSync(base).filter((n) => /^cpu\d+$/.test(n));
  } catch {
    return os.cpus().map((_, id) => ({ id, socket: 0, core: id }));
  }
  for (const n of names) {
    const id = Number(n.slice(3));
    if (read(`${base}/${n}/online`) === '0') continue;
    out.push({
      id,
      socket: Number(read(`${base}/${n}/topology/physical_package_id`) ?? 0),
      core: Number(read(`${base}/${n}/topology/core_id`) ?? id),
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

export function hostNumaNodeCount(): number {
  try {
    return Math.max(1, fs.readdirSync('/sys/devices/system/node').filter((n) => /^node\d+$/.test(n)).length);
  } catch {
    return 1;
  }
}

export function nodeInfo(): NodeInfo {
  const cpus = hostCpus();
  const nodes = hostNumaNodeCount();
  const sockets = Math.max(1, Math.floor(new Set(cpus.map((c) => c.socket)).size / nodes));
  const cores = Math.max(1, Math.floor(new Set(cpus.map((c) => `${c.socket}:${c.core}`)).size / (sockets * nodes)));
  const threads = Math.max(1, Math.floor(cpus.length / (nodes * sockets * cores)));
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(read('/proc/cpuinfo') ?? '');
  return {
    model: hostArch(),
    memory: hostMemoryKiB(),
    cpus: cpus.length,
    mhz: mhz ? Math.floor(Number(mhz[1])) : (os.cpus()[0]?.speed ?? 0),
    nodes,
    sockets,
    cores,
    threads,
  };
}
