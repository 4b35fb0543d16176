/**
 * virDomainGetGuestInfo and virDomainGetFSInfo for the QEMU driver: the agent's reports turned
 * into libvirt's typed parameters (`user.N.name`, `os.id`, `fs.N.disk.M.alias`, ...) and into
 * virDomainFSInfo records whose disks are named by the domain's targets (qemuAgentFSInfoFormatParams,
 * qemuAgentDiskInfoFormatParams, virDomainDiskByAddress).
 */
import { DomainGuestInfoTypes as G, ErrorNumber, TypedParameterType as T, typedParams, VirError, type TypedParam } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { FROM_QEMU } from '../domains/errors';
import type { AgentClient } from './client';
import { agentGetFSInfo, agentHostname, type AgentDiskAddress, type AgentFSInfo } from './commands';

/** The groups this driver can report (libvirt 9.0's qemuDomainGetGuestInfoSupportedTypes). */
const SUPPORTED =
  G.VIR_DOMAIN_GUEST_INFO_USERS |
  G.VIR_DOMAIN_GUEST_INFO_OS |
  G.VIR_DOMAIN_GUEST_INFO_TIMEZONE |
  G.VIR_DOMAIN_GUEST_INFO_HOSTNAME |
  G.VIR_DOMAIN_GUEST_INFO_FILESYSTEM |
  G.VIR_DOMAIN_GUEST_INFO_DISKS |
  G.VIR_DOMAIN_GUEST_INFO_INTERFACES;

/** qemuDomainGetGuestInfoCheckSupport: the groups asked for (all for 0). */
export function guestInfoTypes(types: number): number {
  if (types === 0) return SUPPORTED;
  const unknown = (types & ~SUPPORTED) >>> 0;
  if (unknown)
    throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `unsupported guest information types '0x${unknown.toString(16)}'`);
  return types;
}

/** The disk of `def` at the agent's address: by PCI address of a virtio disk, else by serial. */
function diskAt(def: DomainDef, addr: AgentDiskAddress): string | undefined {
  const disks = def.devices.filter((d) => d.kind === 'disk' && d.disk);
  const byPci = disks.find((d) => {
    const a = d.address;
    const p = addr.pci;
    return a?.type === 'pci' && p && a.domain === p.domain && a.bus === p.bus && a.slot === p.slot && a.function === p.function;
  });
  const bySerial = addr.serial ? disks.find((d) => d.el.element('serial')?.text() === addr.serial) : undefined;
  return (byPci ?? bySerial)?.disk?.targetDev;
}

/** virDomainGetFSInfo's records, each file system's disks named by their targets. */
export async function fsInfoRecords(agent: AgentClient, def: DomainDef) {
  const list = await agentGetFSInfo(agent);
  return list.map((fs) => ({
    mountpoint: fs.mountpoint,
    name: fs.name,
    fstype: fs.fstype,
    dev_aliases: fs.disks.map((d) => diskAt(def, d)).filter((x): x is string => x !== undefined),
  }));
}

/** Run one group's agent command; an agent without it is skipped when no group was asked for. */
async function optional<R>(agent: AgentClient, all: boolean, fn: () => Promise<R>): Promise<R | undefined> {
  try {
    return await fn();
  } catch (e) {
    const cls = (e as { agentClass?: string }).agentClass;
    if (all && (cls === 'CommandNotFound' || cls === 'CommandDisabled')) return undefined;
    throw e;
  }
}

function users(list: Record<string, unknown>[], out: TypedParam[]): void {
  out.push({ field: 'user.count', type: T.VIR_TYPED_PARAM_UINT, value: list.length });
  list.forEach((u, i) => {
    if (typeof u.user !== 'string') throw VirError.internal("'user' missing in reply of guest-get-users", FROM_QEMU);
    out.push({ field: `user.${i}.name`, type: T.VIR_TYPED_PARAM_STRING, value: u.user });
    if (typeof u.domain === 'string') out.push({ field: `user.${i}.domain`, type: T.VIR_TYPED_PARAM_STRING, value: u.domain });
    if (typeof u['login-time'] !== 'number') throw VirError.internal("'login-time' missing in reply of guest-get-users", FROM_QEMU);
    // The agent gives seconds with a fraction; libvirt reports milliseconds.
    out.push({ field: `user.${i}.login-time`, type: T.VIR_TYPED_PARAM_ULLONG, value: Math.trunc(u['login-time'] * 1000) });
  });
}

const OS_FIELDS = [
  'id',
  'name',
  'pretty-name',
  'version',
  'version-id',
  'machine',
  'variant',
  'variant-id',
  'kernel-release',
  'kernel-version',
];

function osInfo(info: Record<string, unknown>, out: TypedParam[]): void {
  for (const k of OS_FIELDS)
    if (typeof info[k] === 'string') out.push({ field: `os.${k}`, type: T.VIR_TYPED_PARAM_STRING, value: info[k] as string });
}

function timezone(tz: Record<string, unknown>, out: TypedParam[]): void {
  if (typeof tz.zone === 'string') out.push({ field: 'timezone.name', type: T.VIR_TYPED_PARAM_STRING, value: tz.zone });
  if (typeof tz.offset !== 'number') throw VirError.internal("'offset' missing in reply of guest-get-timezone", FROM_QEMU);
  out.push({ field: 'timezone.offset', type: T.VIR_TYPED_PARAM_INT, value: tz.offset });
}

function filesystems(list: AgentFSInfo[], def: DomainDef, out: TypedParam[]): void {
  out.push({ field: 'fs.count', type: T.VIR_TYPED_PARAM_UINT, value: list.length });
  list.forEach((fs, i) => {
    out.push({ field: `fs.${i}.name`, type: T.VIR_TYPED_PARAM_STRING, value: fs.name });
    out.push({ field: `fs.${i}.mountpoint`, type: T.VIR_TYPED_PARAM_STRING, value: fs.mountpoint });
    out.push({ field: `fs.${i}.fstype`, type: T.VIR_TYPED_PARAM_STRING, value: fs.fstype });
    if (fs.totalBytes !== undefined) out.push({ field: `fs.${i}.total-bytes`, type: T.VIR_TYPED_PARAM_ULLONG, value: fs.totalBytes });
    if (fs.usedBytes !== undefined) out.push({ field: `fs.${i}.used-bytes`, type: T.VIR_TYPED_PARAM_ULLONG, value: fs.usedBytes });
    out.push({ field: `fs.${i}.disk.count`, type: T.VIR_TYPED_PARAM_UINT, value: fs.disks.length });
    fs.disks.forEach((d, j) => {
      const alias = diskAt(def, d);
      if (alias) out.push({ field: `fs.${i}.disk.${j}.alias`, type: T.VIR_TYPED_PARAM_STRING, value: alias });
      if (d.serial) out.push({ field: `fs.${i}.disk.${j}.serial`, type: T.VIR_TYPED_PARAM_STRING, value: d.serial });
      if (d.dev) out.push({ field: `fs.${i}.disk.${j}.device`, type: T.VIR_TYPED_PARAM_STRING, value: d.dev });
    });
  });
}

function disks(list: Record<string, unknown>[], def: DomainDef, out: TypedParam[]): void {
  out.push({ field: 'disk.count', type: T.VIR_TYPED_PARAM_UINT, value: list.length });
  list.forEach((d, i) => {
    if (typeof d.name !== 'string') throw VirError.internal("'name' missing in reply of guest-get-disks", FROM_QEMU);
    if (typeof d.partition !== 'boolean') throw VirError.internal("'partition' missing in reply of guest-get-disks", FROM_QEMU);
    out.push({ field: `disk.${i}.name`, type: T.VIR_TYPED_PARAM_STRING, value: d.name });
    out.push({ field: `disk.${i}.partition`, type: T.VIR_TYPED_PARAM_BOOLEAN, value: d.partition });
    const deps = Array.isArray(d.dependencies) ? (d.dependencies as string[]) : [];
    if (deps.length) out.push({ field: `disk.${i}.dependency.count`, type: T.VIR_TYPED_PARAM_UINT, value: deps.length });
    deps.forEach((dep, j) => out.push({ field: `disk.${i}.dependency.${j}.name`, type: T.VIR_TYPED_PARAM_STRING, value: dep }));
    const addr = d.address as Record<string, unknown> | undefined;
    if (addr) {
      if (typeof addr.serial === 'string') out.push({ field: `disk.${i}.serial`, type: T.VIR_TYPED_PARAM_STRING, value: addr.serial });
      const alias = diskAt(def, { pci: addr['pci-controller'] as AgentDiskAddress['pci'], serial: addr.serial as string | undefined });
      if (alias) out.push({ field: `disk.${i}.alias`, type: T.VIR_TYPED_PARAM_STRING, value: alias });
    }
    if (typeof d.alias === 'string') out.push({ field: `disk.${i}.guest_alias`, type: T.VIR_TYPED_PARAM_STRING, value: d.alias });
  });
}

/** One interface as guest-network-get-interfaces gives it. */
export interface AgentInterface {
  name: string;
  hwaddr?: string;
  addrs: { type: number; addr: string; prefix: number }[];
}

/** qemuAgentGetInterfaces: the guest's interfaces (loopback included), for GetGuestInfo and InterfaceAddresses with the agent source. */
export async function agentInterfaces(agent: AgentClient): Promise<AgentInterface[]> {
  const r = await agent.call<unknown>({ execute: 'guest-network-get-interfaces' });
  if (!Array.isArray(r)) throw VirError.internal("qemu agent didn't return an array of interfaces", FROM_QEMU);
  return r.map((e: Record<string, unknown>) => {
    if (typeof e.name !== 'string') throw VirError.internal("qemu agent didn't provide 'name' field", FROM_QEMU);
    const addrs = (Array.isArray(e['ip-addresses']) ? e['ip-addresses'] : []).map((a: Record<string, unknown>) => {
      const t = a['ip-address-type'];
      if (t !== 'ipv4' && t !== 'ipv6') throw VirError.internal(`unknown ip address type '${String(t)}'`, FROM_QEMU);
      return { type: t === 'ipv4' ? 0 : 1, addr: String(a['ip-address']), prefix: Number(a.prefix) };
    });
    return { name: e.name, hwaddr: typeof e['hardware-address'] === 'string' ? e['hardware-address'] : undefined, addrs };
  });
}

function interfaces(list: AgentInterface[], out: TypedParam[]): void {
  // virDomainInterfaceFormatParams.
  out.push({ field: 'if.count', type: T.VIR_TYPED_PARAM_UINT, value: list.length });
  list.forEach((ifc, i) => {
    out.push({ field: `if.${i}.name`, type: T.VIR_TYPED_PARAM_STRING, value: ifc.name });
    if (ifc.hwaddr) out.push({ field: `if.${i}.hwaddr`, type: T.VIR_TYPED_PARAM_STRING, value: ifc.hwaddr });
    out.push({ field: `if.${i}.addr.count`, type: T.VIR_TYPED_PARAM_UINT, value: ifc.addrs.length });
    ifc.addrs.forEach((a, j) => {
      out.push({ field: `if.${i}.addr.${j}.type`, type: T.VIR_TYPED_PARAM_STRING, value: a.type === 0 ? 'ipv4' : 'ipv6' });
      out.push({ field: `if.${i}.addr.${j}.addr`, type: T.VIR_TYPED_PARAM_STRING, value: a.addr });
      out.push({ field: `if.${i}.addr.${j}.prefix`, type: T.VIR_TYPED_PARAM_UINT, value: a.prefix });
    });
  });
}

/** qemuDomainGetGuestInfo: the asked groups, in libvirt's order. */
export async function guestInfo(agent: AgentClient, def: DomainDef, asked: number) {
  const types = guestInfoTypes(asked);
  const all = asked === 0;
  const out: TypedParam[] = [];
  const want = (bit: number) => (types & bit) !== 0;
  const cmd = <R>(execute: string) => optional(agent, all, () => agent.call<R>({ execute }));
  if (want(G.VIR_DOMAIN_GUEST_INFO_USERS)) {
    const r = await cmd<Record<string, unknown>[]>('guest-get-users');
    if (r) users(r, out);
  }
  if (want(G.VIR_DOMAIN_GUEST_INFO_OS)) {
    const r = await cmd<Record<string, unknown>>('guest-get-osinfo');
    if (r) osInfo(r, out);
  }
  if (want(G.VIR_DOMAIN_GUEST_INFO_TIMEZONE)) {
    const r = await cmd<Record<string, unknown>>('guest-get-timezone');
    if (r) timezone(r, out);
  }
  if (want(G.VIR_DOMAIN_GUEST_INFO_HOSTNAME)) {
    const h = await optional(agent, all, () => agentHostname(agent));
    if (h !== undefined) out.push({ field: 'hostname', type: T.VIR_TYPED_PARAM_STRING, value: h });
  }
  const fs = want(G.VIR_DOMAIN_GUEST_INFO_FILESYSTEM) ? await optional(agent, all, () => agentGetFSInfo(agent)) : undefined;
  const dk = want(G.VIR_DOMAIN_GUEST_INFO_DISKS) ? await cmd<Record<string, unknown>[]>('guest-get-disks') : undefined;
  const ifs = want(G.VIR_DOMAIN_GUEST_INFO_INTERFACES) ? await optional(agent, all, () => agentInterfaces(agent)) : undefined;
  if (fs?.length) filesystems(fs, def, out);
  if (dk?.length) disks(dk, def, out);
  if (ifs?.length) interfaces(ifs, out);
  return typedParams(out);
}
