/**
 * Plugging a device other than a disk or NIC into a running QEMU, and taking it out again
 * (libvirt's qemuDomainAttach{Controller,Chr,RNG,Watchdog,Vsock}Device and their removal): its
 * backend object and chardev first, then `device_add`; after DEVICE_DELETED the chardev and
 * object go. The `device_add` and `object-add` arguments are the ones the command line of the
 * running definition with the device in place would carry, so a hotplugged device is the same
 * as a cold-plugged one.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { formatDomainXml, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { buildCommandLine } from '../command';
import { assignAliases } from '../command/alias';
import { nativeConversionContext } from '../command/native-context';
import type { QemuDriverConfig } from '../command/types';
import { parseStored } from '../domains/parse';
import type { QmpTransport } from '../qmp/client';
import { chardevBackend, type ChardevBackend } from './chardev-backend';

/** The chardev kinds: their backend is the device element itself. */
export const CHARDEV_KINDS = ['serial', 'parallel', 'console', 'channel'];

/** What plugs one device into QEMU, in order. */
export interface DevicePlug {
  alias: string;
  objects: Array<Record<string, unknown>>;
  chardev?: { id: string; backend: ChardevBackend };
  device: Record<string, unknown>;
  /** The watchdog action to set (QEMU has one for the machine). */
  watchdogAction?: string;
}

/** The JSON value of each `opt` argument of an argv. */
function jsonArgs(argv: readonly string[], opt: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  argv.forEach((a, i) => {
    if (a === opt && argv[i + 1]?.startsWith('{')) out.push(JSON.parse(argv[i + 1]!) as Record<string, unknown>);
  });
  return out;
}

const aliasOf = (d: DomainDevice) => d.el.element('alias')?.attr('name');

/**
 * The alias a hotplugged device gets: the prefix the command line gives its kind, numbered one
 * past the highest in use (qemuAssignDeviceAliasIndex), so it never repeats a live alias.
 */
export function hotplugAlias(def: DomainDef, dev: DomainDevice): string {
  const computed = assignAliases(def).get(dev) ?? '';
  const m = /^(.*?)(\d+)$/.exec(computed);
  if (!m || dev.kind === 'controller' || dev.kind === 'vsock') return computed;
  const prefix = m[1]!;
  let next = 0;
  for (const d of def.devices) {
    const a = d === dev ? undefined : aliasOf(d);
    const n = a?.startsWith(prefix) ? Number(a.slice(prefix.length)) : NaN;
    if (Number.isInteger(n) && n >= next) next = n + 1;
  }
  return `${prefix}${next}`;
}

/** The element holding a device's chardev, if it has one (an EGD RNG's is its backend). */
function chardevHolder(dev: DomainDevice): XmlElement | undefined {
  if (CHARDEV_KINDS.includes(dev.kind)) return dev.el;
  const backend = dev.el.element('backend');
  return dev.kind === 'rng' && backend?.attr('model') === 'egd' ? backend : undefined;
}

/** libvirt's watchdog action as QEMU names it. */
function qemuWatchdogAction(action: string): string {
  return action === 'dump' ? 'pause' : action;
}

/** vhost-vsock needs the host's /dev/vhost-vsock (libvirt opens it and hands QEMU the descriptor). */
function checkVhostVsock(): void {
  try {
    fs.accessSync('/dev/vhost-vsock', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, 'unable to open vhost-vsock device');
  }
}

/**
 * What plugs `dev` of `def` (the running definition with the device in place, its alias
 * recorded) into QEMU.
 */
export function devicePlug(def: DomainDef, dev: DomainDevice, caps: QemuCaps, config: QemuDriverConfig): DevicePlug {
  const alias = aliasOf(dev) ?? '';
  const computed = assignAliases(def).get(dev) ?? '';
  if (dev.kind === 'vsock') checkVhostVsock();
  // Built from a copy: the command line builder fills in start-time details on what it is given.
  const copy = parseStored(formatDomainXml(def, { secure: true }), true);
  const { argv } = buildCommandLine(copy, caps, nativeConversionContext(config));
  const device = jsonArgs(argv, '-device').find((d) => d.id === computed);
  if (!device) throw VirError.internal(`no -device for ${dev.kind} '${computed}' on the command line`, ErrorDomain.VIR_FROM_QEMU);
  const rename = (props: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...props };
    for (const [k, v] of Object.entries(out)) {
      if (v === computed) out[k] = alias;
      else if (v === `char${computed}`) out[k] = `char${alias}`;
      else if (v === `obj${computed}`) out[k] = `obj${alias}`;
    }
    return out;
  };
  const plug: DevicePlug = {
    alias,
    objects: jsonArgs(argv, '-object')
      .filter((o) => o.id === `obj${computed}`)
      .map(rename),
    device: rename(device),
  };
  if (dev.kind === 'vsock') {
    // QEMU opens /dev/vhost-vsock itself when given no descriptor.
    delete plug.device.vhostfd;
  }
  const holder = chardevHolder(dev);
  if (holder) plug.chardev = { id: `char${alias}`, backend: chardevBackend(holder) };
  if (dev.kind === 'watchdog') plug.watchdogAction = qemuWatchdogAction(dev.el.attr('action') ?? 'reset');
  return plug;
}

/** The pty QEMU made for a chardev-add (its answer), if it made one. */
interface ChardevAdded {
  pty?: string;
}

/**
 * Plug a device: its objects, its chardev, the device; what was added goes again on a failure.
 * Returns the pty path QEMU opened for a `pty` chardev.
 */
export async function plugDevice(qmp: QmpTransport, plug: DevicePlug): Promise<string | undefined> {
  const undo: Array<() => Promise<unknown>> = [];
  try {
    for (const o of plug.objects) {
      await qmp.execute('object-add', o);
      undo.push(() => qmp.execute('object-del', { id: o.id }));
    }
    let pty: string | undefined;
    if (plug.chardev) {
      const added = await qmp.execute<ChardevAdded>('chardev-add', plug.chardev);
      pty = added?.pty;
      const id = plug.chardev.id;
      undo.push(() => qmp.execute('chardev-remove', { id }));
    }
    if (plug.watchdogAction) await qmp.execute('watchdog-set-action', { action: plug.watchdogAction });
    await qmp.execute('device_add', plug.device);
    return pty;
  } catch (e) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw e;
  }
}

/** After QEMU reported the device gone: close its chardev and backend object (qemuDomainRemove*Device). */
export async function releaseDevice(qmp: QmpTransport, dev: DomainDevice, alias: string): Promise<void> {
  if (chardevHolder(dev)) await qmp.execute('chardev-remove', { id: `char${alias}` }).catch(() => undefined);
  if (dev.kind === 'rng') await qmp.execute('object-del', { id: `obj${alias}` }).catch(() => undefined);
}
