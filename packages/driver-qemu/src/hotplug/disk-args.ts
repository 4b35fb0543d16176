/**
 * The QMP arguments that plug one disk into a running domain: the `blockdev-add` of each node of
 * its chain and its `device_add`, taken from the command line the domain would be started with,
 * so a hotplugged disk is opened exactly as a cold-plugged one. Node names are moved past the
 * ones QEMU already has.
 */
import { formatDomainXml, type DomainDef, type DomainDevice } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { buildCommandLine } from '../command';
import { assignAliases } from '../command/alias';
import { nativeConversionContext } from '../command/native-context';
import type { QemuDriverConfig } from '../command/types';
import { parseStored } from '../domains/parse';

export interface DiskPlug {
  /** blockdev-add arguments, children first. */
  blockdevs: Array<Record<string, unknown>>;
  /** device_add arguments (without a drive for an empty CD-ROM). */
  device: Record<string, unknown>;
}

/** The JSON value of each `opt` argument of an argv. */
function jsonArgs(argv: readonly string[], opt: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  argv.forEach((a, i) => {
    if (a === opt && argv[i + 1]?.startsWith('{')) out.push(JSON.parse(argv[i + 1]!) as Record<string, unknown>);
  });
  return out;
}

/** Node names under `top` (file, backing), `top` included. */
function reachable(top: string, byName: Map<string, Record<string, unknown>>): Set<string> {
  const seen = new Set<string>();
  const walk = (name: unknown) => {
    if (typeof name !== 'string' || seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    const node = byName.get(name)!;
    walk(node.file);
    walk(node.backing);
  };
  walk(top);
  return seen;
}

const NODE_INDEX = /^libvirt-(\d+)-/;

/** The properties that name a node. */
const NODE_KEYS = new Set(['node-name', 'file', 'backing', 'drive']);

/** `props` with its `libvirt-N-*` node names moved by `shift`. */
function renumber(props: Record<string, unknown>, shift: number): Record<string, unknown> {
  const move = (k: string, v: unknown) =>
    NODE_KEYS.has(k) && typeof v === 'string' ? v.replace(NODE_INDEX, (_m, n: string) => `libvirt-${Number(n) + shift}-`) : v;
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, move(k, v)]));
}

/** The alias the disk has in `def` (what libvirt's qemuAssignDeviceDiskAlias gives it). */
export function diskAlias(def: DomainDef, dev: DomainDevice): string {
  return assignAliases(def).get(dev) ?? '';
}

/**
 * What plugs disk `dev` of `def` (the running domain's definition with the disk in place) into
 * QEMU, its node names numbered from `firstNode` on.
 */
export function diskPlug(def: DomainDef, dev: DomainDevice, caps: QemuCaps, config: QemuDriverConfig, firstNode: number): DiskPlug {
  const alias = diskAlias(def, dev);
  // Built from a copy: the command line builder fills in start-time details on what it is given.
  const copy = parseStored(formatDomainXml(def, { secure: true }), true);
  const { argv } = buildCommandLine(copy, caps, nativeConversionContext(config));
  const device = jsonArgs(argv, '-device').find((d) => d.id === alias);
  if (!device) throw new Error(`no -device for disk '${alias}' on the command line`);
  if (typeof device.drive !== 'string') return { blockdevs: [], device };
  const nodes = jsonArgs(argv, '-blockdev');
  const byName = new Map(nodes.map((n) => [n['node-name'] as string, n]));
  const mine = reachable(device.drive, byName);
  const indexes = [...mine]
    .map((n) => NODE_INDEX.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const shift = indexes.length ? firstNode - Math.min(...indexes) : 0;
  return {
    blockdevs: nodes.filter((n) => mine.has(n['node-name'] as string)).map((n) => renumber(n, shift)),
    device: renumber(device, shift),
  };
}
