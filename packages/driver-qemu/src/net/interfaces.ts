/**
 * The host side of a domain's NICs (libvirt's qemuInterfaceEthernetConnect and
 * qemuInterfaceBridgeConnect, and the tap removal of qemuProcessStop): before QEMU starts, every
 * `ethernet`, `bridge` and `network` interface gets its tap, named `vnetN` unless the XML names
 * one, with the guest MAC's first byte changed (the kernel warns about frames from its own
 * address otherwise), the MTU, its bridge, the link up and its `<bandwidth>` (tc); the name goes into the live XML as
 * `<target dev=…/>`. A tap `<target managed='no'/>` names must exist already and is left alone.
 *
 * libvirt creates the tap itself and hands QEMU the open descriptor (`fd=`). Attaching to a tap
 * takes the TUNSETIFF ioctl, which Node cannot make without a native addon, so the tap is made
 * persistent with `ip tuntap add` and QEMU opens it by name (`ifname=…,script=no,downscript=no`);
 * being persistent it outlives QEMU, so stopping the domain deletes it.
 */
import * as fs from 'node:fs';
import { ErrorDomain, VirError } from '@virtkit/core';
import { insertChildOrdered, mkEl, type DomainDef, type XmlElement } from '@virtkit/xml';
import {
  deleteLink,
  deleteLinkSync,
  IpBatchError,
  ipBatch,
  linkInfo,
  linkMtu,
  linkNames,
  linkSteps,
  tapCreateStep,
  type IpStep,
} from './iproute';
import { setBandwidth } from './bandwidth';
import { connectMacvtap } from './macvtap';
import { networkBridge, type NetworkDirs } from './network-bridge';
import { addInterfacePort, releaseInterfacePort } from './network-ports';
import type { QmpCall } from '../process/domain-runtime';

/** libvirt's order of `<interface>` children, for placing `<target>`. */
export const INTERFACE_CHILDREN = [
  'mac',
  'source',
  'virtualport',
  'ip',
  'route',
  'script',
  'downscript',
  'backenddomain',
  'target',
  'guest',
  'model',
  'driver',
  'backend',
  'filterref',
  'tune',
  'teaming',
  'link',
  'mtu',
  'coalesce',
  'alias',
  'rom',
  'address',
];

/** libvirt's prefix of generated tap names (VIR_NET_GENERATED_TAP_PREFIX). */
const TAP_PREFIX = 'vnet';

/** The index the next generated name starts from (libvirt keeps one counter per daemon too). */
let nextTapIndex = 0;

/** A free `vnetN`: the counter's next value that names no link of this namespace. */
function generateTapName(taken: Set<string>): string {
  for (;;) {
    const name = `${TAP_PREFIX}${nextTapIndex++}`;
    if (!taken.has(name)) return name;
  }
}

/** The tap's own MAC: the guest's with the first byte 0xFE (0xFA when the guest's is 0xFE). */
export function tapMac(guestMac: string): string {
  return (guestMac.slice(0, 2).toLowerCase() === 'fe' ? 'fa' : 'fe') + guestMac.slice(2);
}

function internalError(detail: string): VirError {
  return VirError.internal(detail, ErrorDomain.VIR_FROM_QEMU);
}

function interfaces(def: DomainDef): XmlElement[] {
  return def.devices.filter((d) => d.kind === 'interface').map((d) => d.el);
}

/** Whether stopping the domain deletes this interface's tap (it was made for the domain). */
export function ownsTap(el: XmlElement): boolean {
  const type = el.attr('type');
  if (type === 'bridge' || type === 'network' || type === 'direct') return true;
  return type === 'ethernet' && el.element('target')?.attr('managed') !== 'no';
}

/** The bridge a `bridge` or `network` interface plugs into, with the MTU its network asks for. */
function bridgeOf(el: XmlElement, dirs: NetworkDirs): { bridge: string; mtu?: number } | undefined {
  const src = el.element('source');
  if (el.attr('type') === 'network') return networkBridge(dirs, src?.attr('network') ?? '');
  if (el.attr('type') !== 'bridge') return undefined;
  const bridge = src?.attr('bridge');
  if (!bridge) throw internalError('Missing bridge name');
  return { bridge };
}

/**
 * Create and set up the tap of one managed interface; returns its name. Names and the bridge's MTU
 * are read from procfs/sysfs and the tap is made and set up by one `ip -batch`.
 */
export async function connectTap(el: XmlElement, dirs: NetworkDirs): Promise<string> {
  const port = bridgeOf(el, dirs);
  const names = linkNames();
  const name = el.element('target')?.attr('dev') ?? generateTapName(names);
  const queues = Number(el.element('driver')?.attr('queues') ?? 1);
  const steps: IpStep[] = [tapCreateStep(name, queues > 1)];
  const mac = el.element('mac')?.attr('address');
  if (mac) steps.push(linkSteps.mac(name, tapMac(mac)));
  // On a bridge the tap takes the bridge's MTU unless the interface or its network sets one.
  const xmlMtu = el.element('mtu')?.attr('size');
  const mtu = xmlMtu ? Number(xmlMtu) : (port?.mtu ?? (port ? await linkMtu(port.bridge, names) : undefined));
  if (mtu) steps.push(linkSteps.mtu(name, mtu));
  if (port) steps.push(linkSteps.master(name, port.bridge));
  steps.push(linkSteps.up(name));
  try {
    await ipBatch(steps);
    // libvirt counts an ethernet tap as sharing the host's view of traffic, a bridge port not.
    await setBandwidth(name, el, el.attr('type') !== 'ethernet');
  } catch (e) {
    // A tap that could not be made is not ours to delete (the name may belong to another link).
    const made = !(e instanceof IpBatchError) || e.index > 0;
    if (made) await deleteLink(name).catch(() => undefined);
    throw e instanceof IpBatchError ? e.error : e;
  }
  // libvirt's live XML names the bridge a `network` NIC was plugged into (its actual network).
  if (port && el.attr('type') === 'network') el.element('source')?.attrs.set('bridge', port.bridge);
  recordTarget(el, name);
  return name;
}

/** A pre-made tap (`managed='no'`): it must exist; nothing about it changes. */
export async function checkUnmanagedTap(el: XmlElement): Promise<void> {
  const dev = el.element('target')?.attr('dev');
  if (!dev) throw internalError("target dev must be supplied when managed='no'");
  if (!(await linkInfo(dev))) throw internalError("target managed='no' but specified dev doesn't exist");
}

/** Host devices made for a start; `passed`: macvtap name → our descriptor of its character device. */
export interface ConnectedInterfaces {
  passed: Map<string, number>;
}

/** Close the descriptors QEMU has inherited (or no longer needs). */
export function closePassed(c: ConnectedInterfaces): void {
  for (const fd of c.passed.values()) fs.closeSync(fd);
  c.passed.clear();
}

/** Name the host device of interface `el` in its live XML (`<target dev>`). */
export function recordTarget(el: XmlElement, name: string): void {
  const target = el.element('target');
  if (target) target.attrs.set('dev', name);
  else insertChildOrdered(el, mkEl('target', [['dev', name]]), INTERFACE_CHILDREN);
}

/**
 * Make the host side of every tap-backed NIC of `def` (which becomes the live definition);
 * on failure, what was made is removed again. `nodeDir`: where macvtap device nodes are made.
 */
export async function connectInterfaces(def: DomainDef, dirs: NetworkDirs, nodeDir: string): Promise<ConnectedInterfaces> {
  const made: string[] = [];
  const out: ConnectedInterfaces = { passed: new Map() };
  try {
    for (const el of interfaces(def)) {
      const type = el.attr('type');
      if (type === 'ethernet' && !ownsTap(el)) await checkUnmanagedTap(el);
      else if (type === 'ethernet' || type === 'bridge' || type === 'network') {
        made.push(await connectTap(el, dirs));
        const bridge = el.element('source')?.attr('bridge');
        if (type === 'network' && bridge) await addInterfacePort(dirs, def, el, bridge);
      } else if (type === 'direct') {
        const m = await connectMacvtap(el, nodeDir);
        made.push(m.name);
        out.passed.set(m.name, m.fd);
        recordTarget(el, m.name);
      }
    }
  } catch (e) {
    closePassed(out);
    for (const name of made) await deleteLink(name).catch(() => undefined);
    for (const el of interfaces(def)) if (el.attr('type') === 'network') releaseInterfacePort(dirs, el);
    throw e;
  }
  return out;
}

/** Delete the taps made for the live definition `def` and release its network ports (the domain has stopped). */
export function disconnectInterfaces(def: DomainDef, dirs: NetworkDirs): void {
  for (const el of interfaces(def)) {
    if (el.attr('type') === 'network') releaseInterfacePort(dirs, el);
    const dev = el.element('target')?.attr('dev');
    if (!dev || !ownsTap(el)) continue;
    try {
      deleteLinkSync(dev);
    } catch {
      // already gone (deleted by hand, or the namespace went away)
    }
  }
}

/** `<link state='down'/>`: QEMU starts every NIC up, so tell it before the guest runs (qemuProcessSetLinkStates). */
export async function applyLinkStates(def: DomainDef, qmp: QmpCall): Promise<void> {
  for (const el of interfaces(def)) {
    const alias = el.element('alias')?.attr('name');
    if (alias && el.element('link')?.attr('state') === 'down') await qmp('set_link', { name: alias, up: false });
  }
}
