/**
 * `<interface>` hotplug on a running QEMU (libvirt's qemuDomainAttachNetDevice,
 * qemuDomainDetachPrepNet/qemuDomainRemoveNetDevice and qemuDomainChangeNet for the link state):
 * attach makes the tap (or macvtap, whose descriptor goes to QEMU with `getfd`) as a cold start
 * would (net/interfaces.ts), then `netdev_add` and `device_add` with the arguments the command line
 * would have; detach asks `device_del`, and once QEMU reports DEVICE_DELETED removes the netdev and
 * deletes the tap; an update may change the
 * link state only (`set_link`), which the live XML records. The persistent definition is edited
 * for CONFIG as for any device.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainEventID, ErrorNumber, modificationImpact, VirError } from '@virtkit/core';
import { formatDomainXml, insertChildOrdered, mkEl, parseXml, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { buildCommandLine } from '../command';
import { nativeConversionContext } from '../command/native-context';
import type { QemuDriverConfig } from '../command/types';
import { FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { parseStored } from '../domains/parse';
import type { QemuDriver } from '../qemu-driver';
import { defWithDevice } from '../hotplug/device-xml';
import { checkUnmanagedTap, connectTap, INTERFACE_CHILDREN, ownsTap, recordTarget } from './interfaces';
import { connectMacvtap } from './macvtap';
import { deleteLink } from './iproute';
import { addInterfacePort, releaseInterfacePort } from './network-ports';

/** libvirt's QEMU_UNPLUG_TIMEOUT. */
const UNPLUG_TIMEOUT_MS = 5000;

/** Interface types whose hotplug this module does. */
const LIVE_TYPES = new Set(['ethernet', 'bridge', 'network', 'direct', 'user']);

interface PendingNic {
  hostAlias: string;
  /** The tap to delete once QEMU has let go of it (undefined: not ours). */
  tap?: string;
  /** Release the NIC's network port, once QEMU has let go of it. */
  releasePort: () => void;
  done: () => void;
}

/** NIC unplugs QEMU was asked for, by device alias. */
function pendingOf(obj: QemuDomainObj): Map<string, PendingNic> {
  return obj.extension('nic-hotplug', () => new Map<string, PendingNic>());
}

const nicsOf = (def: DomainDef) => def.devices.filter((d) => d.kind === 'interface');
const macOf = (el: XmlElement) => el.element('mac')?.attr('address')?.toLowerCase();
const aliasOf = (el: XmlElement) => el.element('alias')?.attr('name');

function unsupported(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, detail);
}

/** virDomainNetFindIdx: the NIC of `def` the XML `wanted` names (by MAC; the only NIC when no MAC is given). */
export function findNicDevice(def: DomainDef, wanted: XmlElement): DomainDevice {
  const mac = macOf(wanted);
  const nics = nicsOf(def);
  const matches = mac ? nics.filter((d) => macOf(d.el) === mac) : nics;
  if (matches.length === 1) return matches[0]!;
  if (!mac) throw VirError.create(ErrorNumber.VIR_ERR_DEVICE_MISSING, FROM_QEMU, 'no device found');
  if (!matches.length) throw VirError.create(ErrorNumber.VIR_ERR_DEVICE_MISSING, FROM_QEMU, `no device matching MAC address ${mac} found`);
  throw VirError.create(ErrorNumber.VIR_ERR_MULTIPLE_INTERFACES, FROM_QEMU, `multiple devices matching MAC address ${mac} found`);
}

/**
 * virDomainNetGenerateMAC for a NIC given without `<mac>`: libvirt's 52:54:00 prefix and three
 * random bytes, put into the XML once so the live and the persistent NIC share it.
 */
function withMac(xml: string): string {
  if (parseXml(xml).element('mac')) return xml;
  const mac = `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  return xml.replace(/<interface\b([^>]*[^/])?>/, (open) => `${open}<mac address='${mac}'/>`);
}

/** Children in libvirt's order (virDomainNetDefFormat), whatever order the caller wrote them in. */
function orderNicChildren(el: XmlElement): void {
  const rank = (n: XmlElement) => {
    const i = INTERFACE_CHILDREN.indexOf(n.name);
    return i < 0 ? INTERFACE_CHILDREN.length : i;
  };
  const els = el.elements().sort((a, b) => rank(a) - rank(b));
  const rest = el.children.filter((c) => c.kind !== 'element' && c.text.trim() !== '');
  el.children.splice(0, el.children.length, ...els, ...rest);
}

/** qemuAssignDeviceNetAlias: one past the highest `netN` in use. */
function nextNetAlias(def: DomainDef): string {
  let max = -1;
  for (const d of nicsOf(def)) {
    const m = /^net(\d+)$/.exec(aliasOf(d.el) ?? '');
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `net${max + 1}`;
}

/** The `-device` the command line gives NIC `el` of `def` (found by its MAC). */
function nicDeviceArgs(def: DomainDef, el: XmlElement, caps: QemuCaps, config: QemuDriverConfig): Record<string, unknown> {
  // Built from a copy: the command line builder fills in start-time details on what it is given.
  const copy = parseStored(formatDomainXml(def, { secure: true }), true);
  const { argv } = buildCommandLine(copy, caps, nativeConversionContext(config));
  const mac = macOf(el);
  for (let i = 0; i < argv.length - 1; i++) {
    if (argv[i] !== '-device' || !argv[i + 1]!.startsWith('{')) continue;
    const dev = JSON.parse(argv[i + 1]!) as Record<string, unknown>;
    if (typeof dev.mac === 'string' && dev.mac.toLowerCase() === mac && typeof dev.netdev === 'string') return dev;
  }
  throw VirError.internal(`no -device for interface ${mac} on the command line`, FROM_QEMU);
}

/** The host side of a NIC being attached: the `netdev_add` arguments, and how to take it back. */
interface HostSide {
  netdev: Record<string, unknown>;
  /** Remove what was made (`netdevAdded`: QEMU has taken the descriptor over). */
  undo: (netdevAdded: boolean) => Promise<void>;
}

/**
 * Make the host side of NIC `el` (qemuDomainAttachNetDevice's per-type part): nothing for `user`;
 * a macvtap whose descriptor QEMU gets with `getfd` for `direct`; a tap QEMU opens by name for the
 * tap types (see interfaces.ts for why by name).
 */
async function connectHostSide(driver: QemuDriver, obj: QemuDomainObj, el: XmlElement, hostAlias: string): Promise<HostSide> {
  const type = el.attr('type');
  if (type === 'user') return { netdev: { type: 'user', id: hostAlias }, undo: async () => undefined };
  if (type === 'direct') {
    const m = await connectMacvtap(el, path.join(driver.paths.stateDir, 'devnodes'));
    const qmp = obj.monitor();
    try {
      await qmp.getfd(hostAlias, m.fd);
    } catch (e) {
      await deleteLink(m.name).catch(() => undefined);
      throw e;
    } finally {
      fs.closeSync(m.fd);
    }
    recordTarget(el, m.name);
    const undo = async (netdevAdded: boolean) => {
      if (!netdevAdded) await qmp.execute('closefd', { fdname: hostAlias }).catch(() => undefined);
      await deleteLink(m.name).catch(() => undefined);
    };
    return { netdev: { type: 'tap', fd: hostAlias, id: hostAlias }, undo };
  }
  const owned = ownsTap(el);
  const tap = owned ? await connectTap(el, driver.paths) : (await checkUnmanagedTap(el), el.element('target')!.attr('dev')!);
  const bridge = el.element('source')?.attr('bridge');
  if (type === 'network' && bridge) await addInterfacePort(driver.paths, obj.liveDef!, el, bridge);
  const netdev: Record<string, unknown> = { type: 'tap', ifname: tap, script: 'no', downscript: 'no', id: hostAlias };
  const queues = Number(el.element('driver')?.attr('queues') ?? 1);
  if (queues > 1) netdev.queues = queues;
  const undo = async () => {
    releaseInterfacePort(driver.paths, el);
    if (owned) await deleteLink(tap).catch(() => undefined);
  };
  return { netdev, undo };
}

/** Attach the NIC of `xml` to the running domain; resolves once QEMU has it. */
export async function attachNicLive(driver: QemuDriver, obj: QemuDomainObj, xml: string, config: QemuDriverConfig): Promise<void> {
  const caps = await driver.caps();
  const live = obj.liveDef!;
  const { def, dev } = defWithDevice(live, xml, caps, true);
  const el = dev.el;
  orderNicChildren(el);
  const type = el.attr('type') ?? '';
  if (!LIVE_TYPES.has(type)) throw unsupported(`live attach of interface type '${type}' is not supported`);
  const mac = macOf(el)!;
  if (nicsOf(live).some((d) => macOf(d.el) === mac)) throw VirError.operationInvalid(`MAC address ${mac} is already in use`, FROM_QEMU);
  const alias = nextNetAlias(live);
  insertChildOrdered(el, mkEl('alias', [['name', alias]]), INTERFACE_CHILDREN);
  def.id = live.id;
  const hostAlias = `host${alias}`;
  const host = await connectHostSide(driver, obj, el, hostAlias);
  const qmp = obj.monitor();
  let netdevAdded = false;
  try {
    const device = { ...nicDeviceArgs(def, el, caps, config), id: alias, netdev: hostAlias };
    await qmp.execute('netdev_add', host.netdev);
    netdevAdded = true;
    await qmp.execute('device_add', device);
    if (el.element('link')?.attr('state') === 'down') await qmp.execute('set_link', { name: alias, up: false });
  } catch (e) {
    if (netdevAdded) await qmp.execute('netdev_del', { id: hostAlias }).catch(() => undefined);
    await host.undo(netdevAdded);
    throw e;
  }
  obj.liveDef = def;
  await driver.saveDef(obj, def);
  driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, obj.ref(), { devAlias: alias });
}

/** Ask QEMU to unplug the NIC `xml` names; waits for DEVICE_DELETED up to libvirt's timeout. */
export async function detachNicLive(driver: QemuDriver, obj: QemuDomainObj, xml: string): Promise<void> {
  const wanted = parseXml(xml);
  const dev = findNicDevice(obj.liveDef!, wanted);
  const alias = aliasOf(dev.el) ?? '';
  if (!LIVE_TYPES.has(dev.el.attr('type') ?? ''))
    throw unsupported(`live detach of interface type '${dev.el.attr('type')}' is not supported`);
  let done = () => undefined as void;
  const removed = new Promise<void>((r) => (done = r));
  const tap = ownsTap(dev.el) ? dev.el.element('target')?.attr('dev') : undefined;
  pendingOf(obj).set(alias, { hostAlias: `host${alias}`, tap, releasePort: () => releaseInterfacePort(driver.paths, dev.el), done });
  try {
    await obj.monitor().execute('device_del', { id: alias });
  } catch (e) {
    pendingOf(obj).delete(alias);
    throw e;
  }
  await Promise.race([removed, new Promise((r) => setTimeout(r, UNPLUG_TIMEOUT_MS).unref())]);
}

/**
 * QEMU let go of device `alias`: if it was a NIC being unplugged, remove its netdev and tap. (The
 * device leaves the live definition, with DEVICE_REMOVED, through the shared unplug handling.)
 */
export async function nicDeleted(obj: QemuDomainObj, alias: string): Promise<void> {
  const p = pendingOf(obj).get(alias);
  if (!p) return;
  pendingOf(obj).delete(alias);
  try {
    if (obj.active) await obj.monitor().execute('netdev_del', { id: p.hostAlias });
    if (p.tap) await deleteLink(p.tap).catch(() => undefined);
    p.releasePort();
  } finally {
    p.done();
  }
}

/** The domain stopped: nothing is pending any more (its taps go with the stop). */
export function nicUnplugsStopped(obj: QemuDomainObj): void {
  for (const p of pendingOf(obj).values()) p.done();
  pendingOf(obj).clear();
}

/** qemuDomainChangeNet, link state only: `set_link` when it changes, recorded in the live XML. */
export async function updateNicLive(driver: QemuDriver, obj: QemuDomainObj, xml: string): Promise<void> {
  const live = obj.liveDef!;
  const wanted = parseXml(xml);
  const dev = findNicDevice(live, wanted);
  checkOnlyLinkChanges(dev.el, wanted);
  const state = wanted.element('link')?.attr('state');
  const before = dev.el.element('link')?.attr('state') ?? 'up';
  if ((state ?? 'up') !== before) await obj.monitor().execute('set_link', { name: aliasOf(dev.el) ?? '', up: state !== 'down' });
  setLinkElement(dev.el, state);
  await driver.saveDef(obj, live);
}

/** The persistent side of an update: only the link state is taken. */
export function updateNicConfig(def: DomainDef, xml: string): void {
  const wanted = parseXml(xml);
  const dev = findNicDevice(def, wanted);
  checkOnlyLinkChanges(dev.el, wanted);
  setLinkElement(dev.el, wanted.element('link')?.attr('state'));
}

/** Refuse what qemuDomainChangeNet cannot change on a NIC (its type, model or source). */
function checkOnlyLinkChanges(have: XmlElement, wanted: XmlElement): void {
  if (wanted.attr('type') && wanted.attr('type') !== have.attr('type'))
    throw unsupported(`unable to change config on '${have.attr('type')}' network type`);
  const model = wanted.element('model')?.attr('type');
  if (model && model !== have.element('model')?.attr('type'))
    throw unsupported(`cannot modify network device model from ${have.element('model')?.attr('type') ?? 'default'} to ${model}`);
}

function setLinkElement(el: XmlElement, state: string | undefined): void {
  const link = el.element('link');
  if (!state) {
    if (link) el.children.splice(el.children.indexOf(link), 1);
  } else if (link) link.attrs.set('state', state);
  else insertChildOrdered(el, mkEl('link', [['state', state]]), INTERFACE_CHILDREN);
}

/**
 * Attach, detach or update an `<interface>`, live and/or persistent as `flags` say (what the
 * shared device dispatcher hands NICs to).
 */
export async function changeNic(
  driver: QemuDriver,
  obj: QemuDomainObj,
  op: 'attach' | 'detach' | 'update',
  xml: string,
  flags: number,
  config: () => Promise<QemuDriverConfig>,
): Promise<void> {
  const impact = modificationImpact(obj, flags);
  const caps = await driver.caps();
  let persistent: DomainDef | undefined;
  if (op === 'attach') xml = withMac(xml);
  if (impact.config) {
    const def = obj.persistentDef!;
    if (op === 'attach') {
      const added = defWithDevice(def, xml, caps, false);
      orderNicChildren(added.dev.el);
      persistent = added.def;
    } else if (op === 'detach') {
      const dev = findNicDevice(def, parseXml(xml));
      persistent = { ...def, devices: def.devices.filter((d) => d !== dev) };
    } else {
      persistent = parseStored(formatDomainXml(def, { inactive: true, secure: true }), false);
      updateNicConfig(persistent, xml);
    }
  }
  if (impact.live) {
    if (op === 'attach') await attachNicLive(driver, obj, xml, await config());
    else if (op === 'detach') await detachNicLive(driver, obj, xml);
    else await updateNicLive(driver, obj, xml);
  }
  if (persistent) await driver.saveDef(obj, persistent);
}
