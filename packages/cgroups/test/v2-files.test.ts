/**
 * The cgroup v2 file formats, on a tree laid out as a cgroup2 mount (this host's controllers are
 * v1, so the kernel's v2 files are stood in for by plain files holding what the kernel shows):
 * delegation through cgroup.subtree_control, memory.max/high/swap.max, cpu.weight and cpu.max,
 * io.max, and the typed-parameter calls writing them and reading them back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  blkioDeviceValue,
  Cgroup,
  cpuBandwidth,
  memoryLimit,
  MEMORY_UNLIMITED,
  memoryParameters,
  schedulerParameters,
  setBlkioDeviceValue,
  setCpuBandwidth,
  setMemoryParameters,
  setSchedulerParameters,
} from '@virtkit/cgroups';
import { ErrorDomain, ErrorNumber, type VirError } from '@virtkit/core';
import { parseDomainXml } from '@virtkit/xml';

let root: string;
const layout = () => ({ v2: true, root });
const file = (rel: string) => path.join(root, rel);
const put = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
  fs.writeFileSync(file(rel), text);
};
const get = (rel: string) => fs.readFileSync(file(rel), 'utf8');

const def = () =>
  parseDomainXml(
    "<domain type='qemu'><name>v</name><memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type>hvm</type></os>" +
      "<memtune><hard_limit unit='MiB'>100</hard_limit></memtune></domain>",
    { inactive: true },
  );

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup2-'));
  put('cgroup.controllers', 'cpuset cpu io memory pids\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('a group delegates its controllers down its path and is one folder', () => {
  const cg = new Cgroup('machine/vm.libvirt-qemu', ['memory', 'cpu', 'cpuacct', 'blkio'], layout());
  cg.create();
  expect(cg.dirs()).toEqual([file('machine/vm.libvirt-qemu')]);
  expect(get('cgroup.subtree_control')).toBe('+memory +cpu +io');
  expect(get('machine/cgroup.subtree_control')).toBe('+memory +cpu +io');
});

test('memory limits: bytes in memory.max, "max" both ways', () => {
  const cg = new Cgroup('g', ['memory'], layout());
  cg.create();
  put('g/memory.max', 'max\n');
  expect(memoryLimit(cg, 'hard_limit')).toBe(MEMORY_UNLIMITED);
  setMemoryParameters({ hard_limit: 2048, soft_limit: 1024 }, { def: def(), cg }, null, ErrorDomain.VIR_FROM_QEMU);
  expect([get('g/memory.max'), get('g/memory.high')]).toEqual([String(2048 * 1024), String(1024 * 1024)]);
  setMemoryParameters({ soft_limit: Number(MEMORY_UNLIMITED) }, { def: def(), cg }, null, ErrorDomain.VIR_FROM_QEMU);
  expect(get('g/memory.high')).toBe('max');
  put('g/memory.swap.max', 'max\n');
  expect(memoryParameters(cg, null, ErrorDomain.VIR_FROM_QEMU)).toEqual({
    hard_limit: 2048,
    soft_limit: Number(MEMORY_UNLIMITED),
    swap_hard_limit: Number(MEMORY_UNLIMITED),
  });
});

test('cpu.max holds quota and period together; cpu.weight the shares', () => {
  const cg = new Cgroup('g', ['cpu'], layout());
  cg.create();
  put('g/cpu.max', 'max 100000\n');
  put('g/cpu.weight', '100\n');
  setCpuBandwidth(cg, 0n, 25000n);
  expect(get('g/cpu.max')).toBe('25000 100000');
  setCpuBandwidth(cg, 50000n, 0n);
  expect(cpuBandwidth(cg)).toEqual({ period: 50000n, quota: 25000n });
  const groups = { domain: cg, vcpus: [], emulator: null, iothreads: [] };
  setSchedulerParameters('lxc', { cpu_shares: 300, vcpu_quota: -1 }, { def: def(), groups }, null, ErrorDomain.VIR_FROM_LXC);
  expect([get('g/cpu.weight'), get('g/cpu.max')]).toEqual(['300', 'max 50000']);
  expect(schedulerParameters('lxc', { def: def(), groups }, null, ErrorDomain.VIR_FROM_LXC)).toEqual({
    cpu_shares: 300,
    vcpu_period: 50000,
    vcpu_quota: -1,
  });
  // QEMU's vCPU bandwidth needs per-vCPU groups, which v2 does not get here
  const e = (() => {
    try {
      setSchedulerParameters('qemu', { vcpu_quota: 2000 }, { def: def(), groups }, null, ErrorDomain.VIR_FROM_QEMU);
    } catch (err) {
      return err as VirError;
    }
  })();
  expect(e?.code).toBe(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED);
});

test('io.max: one line per device, 0 written as max', () => {
  const cg = new Cgroup('g', ['blkio'], layout());
  cg.create();
  put('g/io.max', '');
  setBlkioDeviceValue(cg, '7:0', 'read_bytes_sec', 4096n);
  expect(get('g/io.max')).toBe('7:0 rbps=4096');
  put('g/io.max', '7:0 rbps=4096 wbps=max riops=max wiops=12\n');
  expect([
    blkioDeviceValue(cg, '7:0', 'read_bytes_sec'),
    blkioDeviceValue(cg, '7:0', 'write_iops_sec'),
    blkioDeviceValue(cg, '7:0', 'write_bytes_sec'),
  ]).toEqual([4096n, 12n, 0n]);
  setBlkioDeviceValue(cg, '7:0', 'read_bytes_sec', 0n);
  expect(get('g/io.max')).toBe('7:0 rbps=max');
});
