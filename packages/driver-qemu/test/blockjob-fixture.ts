/**
 * Test fixture for block jobs: a qcow2 chain `base <- snap1 <- snap2 <- active` with a distinct
 * byte pattern per layer, a domain definition whose disk `vda` is the active layer, a QEMU
 * (TCG, paused, no guest OS) opening the chain as libvirt's -blockdev nodes do, and readers
 * for image contents and chains.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml, type DomainDef } from '@virtkit/xml';
import { BlockJobs, type BlockJobEvent } from '../src/blockjob';
import { QmpClient } from '../src/qmp';
import { QEMU, tmpDir } from './helpers';

export const LAYERS = ['base', 'snap1', 'snap2', 'active'] as const;
export type LayerName = (typeof LAYERS)[number];

/** Guest view of the fresh chain: [offset MiB, pattern] per MiB for the first 4 MiB. */
export const VIEW: Array<[number, number]> = [
  [0, 0x11],
  [1, 0x22],
  [2, 0x33],
  [3, 0x44],
];

const MiB = 1024 * 1024;

export interface Chain {
  dir: string;
  img: Record<LayerName, string>;
}

/**
 * Build the chain. Patterns: base 0x11 over 0–4 MiB, snap1 0x22 at 1 MiB, snap2 0x33 at 2 MiB,
 * active 0x44 at 3 MiB (1 MiB each). `relative` stores backing names relative to the overlay;
 * `extra` fills more MiB of snap2 with 0x66 from 8 MiB on (to make a job take time).
 */
export function makeChain(opts: { relative?: boolean; extraMiB?: number } = {}): Chain {
  const dir = tmpDir('virtkit-bj-');
  const img = Object.fromEntries(LAYERS.map((n) => [n, path.join(dir, `${n}.qcow2`)])) as Record<LayerName, string>;
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', img.base, '32M']);
  for (let i = 1; i < LAYERS.length; i++) {
    const below = opts.relative ? `${LAYERS[i - 1]}.qcow2` : img[LAYERS[i - 1]];
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', below, '-F', 'qcow2', img[LAYERS[i]]], { cwd: dir });
  }
  qemuIo(img.base, 'write -P 0x11 0 4M');
  qemuIo(img.snap1, 'write -P 0x22 1M 1M');
  qemuIo(img.snap2, 'write -P 0x33 2M 1M');
  if (opts.extraMiB) qemuIo(img.snap2, `write -P 0x66 8M ${opts.extraMiB}M`);
  qemuIo(img.active, 'write -P 0x44 3M 1M');
  return { dir, img };
}

/** Run one qemu-io command on an image (shared, so it works next to a running QEMU). */
export function qemuIo(image: string, cmd: string, readOnly = false): string {
  const args = ['-f', 'qcow2', ...(readOnly ? ['-r', '-U'] : []), '-c', cmd, image];
  const out = execFileSync('qemu-io', args, { encoding: 'utf8' });
  if (/verification failed|error|failed/i.test(out)) throw new Error(`qemu-io ${cmd} on ${image}: ${out}`);
  return out;
}

/** Whether reading `image` (through its backing chain) shows `pattern` at [offMiB, +lenMiB). */
export function hasPattern(image: string, offMiB: number, pattern: number, lenMiB = 1): boolean {
  const args = ['-f', 'qcow2', '-r', '-U', '-c', `read -P 0x${pattern.toString(16)} ${offMiB}M ${lenMiB}M`, image];
  try {
    return !/verification failed/i.test(execFileSync('qemu-io', args, { encoding: 'utf8', stdio: 'pipe' }));
  } catch (e) {
    // qemu-io exits non-zero when the pattern does not match.
    if (/verification failed/i.test(String((e as { stdout?: string }).stdout))) return false;
    throw e;
  }
}

/** The chain of an image as qemu-img sees it: file names and raw backing strings. */
export function imageChain(image: string): Array<{ filename: string; backing?: string }> {
  const out = execFileSync('qemu-img', ['info', '-U', '--backing-chain', '--output=json', image], { encoding: 'utf8' });
  return (JSON.parse(out) as Array<{ filename: string; 'backing-filename'?: string }>).map((i) => ({
    filename: i.filename,
    backing: i['backing-filename'],
  }));
}

/** A definition with disk `vda` on the active layer (chain not recorded: probed as libvirt does). */
export function domainDef(active: string): DomainDef {
  return parseDomainXml(
    `<domain type='qemu'><name>bj</name><memory>65536</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${active}'/>
      <target dev='vda' bus='virtio'/></disk></devices></domain>`,
    { inactive: false },
  );
}

/** The disk chain the definition records, top first. */
export function defChain(def: DomainDef): string[] {
  const disk = def.devices.find((d) => d.disk?.targetDev === 'vda')!.disk!;
  return [disk.source.path!, ...disk.backingStore.map((b) => b.path!)];
}

export interface Vm {
  child: ChildProcess;
  qmp: QmpClient;
  /** Write through the guest device (HMP qemu-io on the disk's block backend). */
  guestWrite(cmd: string): Promise<void>;
  /** Quit QEMU cleanly (images flushed). */
  quit(): Promise<void>;
}

const BACKEND = 'virtio-disk0/virtio-backend';

/** Start QEMU paused with the chain as -blockdev nodes libvirt-1 (base) … libvirt-4 (active). */
export async function startVm(chain: Chain): Promise<Vm> {
  const sock = path.join(chain.dir, 'qmp.sock');
  const args = ['-S', '-nodefaults', '-machine', 'pc,accel=tcg', '-display', 'none', '-qmp', `unix:${sock},server=on,wait=off`];
  LAYERS.forEach((n, i) => {
    const idx = i + 1;
    args.push(
      '-blockdev',
      JSON.stringify({
        driver: 'file',
        filename: chain.img[n],
        'node-name': `libvirt-${idx}-storage`,
        'auto-read-only': true,
        discard: 'unmap',
      }),
    );
    args.push(
      '-blockdev',
      JSON.stringify({
        'node-name': `libvirt-${idx}-format`,
        'read-only': n !== 'active',
        driver: 'qcow2',
        file: `libvirt-${idx}-storage`,
        backing: i === 0 ? null : `libvirt-${idx - 1}-format`,
      }),
    );
  });
  args.push('-device', 'virtio-blk-pci,drive=libvirt-4-format,id=virtio-disk0');
  const child = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const qmp = await QmpClient.connect(sock, { connectTimeoutMs: 20_000, shouldRetry: () => child.exitCode === null });
  const guestWrite = async (cmd: string) => {
    // qemu-io prints its results on QEMU's stdout; only errors come back through the monitor.
    const out = await qmp.hmp(`qemu-io -d ${BACKEND} "${cmd}"`);
    if (out.trim() !== '') throw new Error(`guest write failed: ${out}`);
  };
  const quit = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    await qmp.execute('quit').catch(() => undefined);
    await gone;
    await qmp.close();
  };
  return { child, qmp, guestWrite, quit };
}

/** Kill a VM that a failed test left behind. */
export function killVm(vm: Vm | undefined): void {
  if (vm && vm.child.exitCode === null && vm.child.signalCode === null) vm.child.kill('SIGKILL');
}

/** A BlockJobs over a definition, recording saved XML and events. */
export function jobHost(def: DomainDef, vm?: Vm) {
  const events: BlockJobEvent[] = [];
  const saved: string[] = [];
  const jobs = new BlockJobs({
    qmp: () => vm?.qmp,
    def: () => def,
    save: async (d) => void saved.push(formatDomainXml(d)),
    emit: (e) => void events.push(e),
  });
  if (vm) vm.qmp.on('event', (e) => jobs.handleQmpEvent(e));
  return { jobs, events, saved };
}

/** The BLOCK_JOB_2 events as [type, status] pairs. */
export function events2(events: BlockJobEvent[]): Array<[number, number]> {
  return events.filter((e) => e.dst !== undefined).map((e) => [e.type, e.status]);
}

export function removeChain(chain: Chain | undefined): void {
  if (chain) fs.rmSync(chain.dir, { recursive: true, force: true });
}

export { MiB };
