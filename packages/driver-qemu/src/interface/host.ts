/**
 * The host's network interfaces as libvirt's udev interface backend sees them
 * (interface_backend_udev.c), read straight from sysfs: every link of /sys/class/net except
 * bridge ports (`brport/`) and tun/tap devices (`tun_flags`), in udev's order (by device path);
 * active means operstate `up`. The definition has the name, MAC, MTU and link state/speed
 * (virNetDevGetLinkInfo), bridges their STP state, forward delay and members (guest `vnetN` taps
 * left out), VLANs their tag and device from /proc/net/vlan. Like the udev backend there are no
 * `<protocol>` elements. Bonds are not read yet.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError, type InterfaceRef } from '@virtkit/core';
import type { InterfaceDef } from '@virtkit/xml';

const SYS = '/sys/class/net';
const D = ErrorDomain.VIR_FROM_INTERFACE;

/** A sysfs attribute as udev returns it (trailing newline dropped), undefined when unreadable. */
function attr(name: string, file: string): string | undefined {
  try {
    return fs.readFileSync(`${SYS}/${name}/${file}`, 'utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

const exists = (name: string, file: string) => fs.existsSync(`${SYS}/${name}/${file}`);

function internal(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, D, detail);
}

function noInterface(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_NO_INTERFACE, D, detail);
}

/** Which links a listing wants (udevGetDevices' status). */
export type LinkStatus = 'active' | 'inactive' | 'all';

/** The links libvirt lists, in udev's enumeration order (sorted by device path). */
export function hostLinks(status: LinkStatus): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(SYS);
  } catch {
    return [];
  }
  const listed = names.filter((n) => !exists(n, 'brport/state') && !exists(n, 'tun_flags'));
  const wanted = listed.filter((n) => status === 'all' || attr(n, 'operstate') === (status === 'active' ? 'up' : 'down'));
  const byPath = new Map(wanted.map((n) => [n, fs.realpathSync(`${SYS}/${n}`)]));
  return wanted.sort((a, b) => (byPath.get(a)! < byPath.get(b)! ? -1 : byPath.get(a)! > byPath.get(b)! ? 1 : 0));
}

/** Whether a link is active as the udev backend decides it (operstate `up`). */
export const linkActive = (name: string): boolean => attr(name, 'operstate') === 'up';

/** virGetInterface's handle: the name and the MAC. */
export function linkRef(name: string): InterfaceRef {
  if (!fs.existsSync(`${SYS}/${name}`) || name.includes('/')) throw noInterface(`couldn't find interface named '${name}'`);
  return { name, mac: attr(name, 'address') ?? '' };
}

/** udevInterfaceLookupByMACString: exactly one listed link with that address. */
export function linkByMac(mac: string): InterfaceRef {
  const found = hostLinks('all').filter((n) => attr(n, 'address') === mac);
  if (found.length === 0) throw noInterface(`couldn't find interface with MAC address '${mac}'`);
  if (found.length > 1)
    throw VirError.create(ErrorNumber.VIR_ERR_MULTIPLE_INTERFACES, D, `the MAC address '${mac}' matches multiple interfaces`);
  return { name: found[0]!, mac };
}

const IF_STATES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;

/** virNetDevGetLinkInfo: the operstate, and the speed only when the link is up. */
function linkInfo(name: string): InterfaceDef['link'] {
  const text = attr(name, 'operstate');
  const state = IF_STATES.find((s) => s === text);
  if (!state) throw internal(`Unable to parse: ${SYS}/${name}/operstate`);
  if (state !== 'up') return { state };
  const speed = attr(name, 'speed');
  if (speed === undefined) return { state };
  // virStrToLong_ui takes "-1" (a NIC without carrier on some drivers) as UINT_MAX.
  if (!/^-?\d+$/.test(speed)) throw internal(`Unable to parse: ${SYS}/${name}/speed`);
  const n = Number(speed);
  return { state, speed: n < 0 ? (n + 2 ** 32) % 2 ** 32 : n };
}

/** udevGetIfaceDefBridge: STP, forward delay (sysfs' own text) and the members but guest taps. */
function bridgeOf(name: string): NonNullable<InterfaceDef['bridge']> {
  const delay = attr(name, 'bridge/forward_delay');
  if (delay === undefined) throw internal(`Could not retrieve 'bridge/forward_delay' for '${name}'`);
  const stpText = attr(name, 'bridge/stp_state');
  if (stpText === undefined) throw internal(`Could not retrieve 'bridge/stp_state' for '${name}'`);
  const stp = Number(stpText);
  if (!/^-?\d+$/.test(stpText)) throw internal(`Could not parse 'bridge/stp_state' '${stpText}' for '${name}'`);
  if (stp < -1 || stp > 1) throw internal(`Invalid STP state value ${stp} received for '${name}'. Must be -1, 0, or 1.`);
  const members = fs
    .readdirSync(`${SYS}/${name}/brif`)
    .filter((m) => !/^vnet\d/.test(m))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const itfs = members.map((m) => {
    try {
      return hostInterfaceDef(m);
    } catch {
      throw internal(`Could not get interface information for '${m}', which is a member of bridge '${name}'`);
    }
  });
  return { stp: stp === -1 ? undefined : stp === 1, delay, itfs };
}

/** udevGetIfaceDefVlan: the VID and the real device from /proc/net/vlan/NAME. */
function vlanOf(name: string): NonNullable<InterfaceDef['vlan']> {
  const text = fs.readFileSync(`/proc/net/vlan/${name}`, 'utf8');
  const vid = /VID: (\d+)\s/.exec(text);
  if (!vid) throw internal(`failed to find the VID for the VLAN device '${name}'`);
  const dev = /\nDevice: ([^\n]+)/.exec(text.slice(vid.index));
  if (!dev) throw internal(`failed to find the real device for the VLAN device '${name}'`);
  return { tag: vid[1]!, dev: dev[1]! };
}

/** udevGetIfaceDef: the definition virInterfaceGetXMLDesc formats. */
export function hostInterfaceDef(name: string): InterfaceDef {
  linkRef(name);
  const mtu = attr(name, 'mtu');
  if (mtu === undefined || !/^\d+$/.test(mtu)) throw internal(`Could not parse MTU value '${mtu ?? '<null>'}'`);
  const def: InterfaceDef = { type: 'ethernet', name, mtu: Number(mtu), protos: [], link: linkInfo(name), mac: attr(name, 'address') };
  const devtype = /^DEVTYPE=(.*)$/m.exec(attr(name, 'uevent') ?? '')?.[1];
  if (devtype === 'vlan' || devtype === 'bridge' || devtype === 'bond') def.type = devtype;
  else if (name.includes('.')) def.type = 'vlan';
  if (def.type === 'ethernet' && exists(name, 'bonding/mode')) def.type = 'bond';
  if (def.type === 'bond')
    throw VirError.create(ErrorNumber.VIR_ERR_NO_SUPPORT, D, `reading bond interface '${name}' is not supported by this driver yet`);
  if (def.type === 'bridge') def.bridge = bridgeOf(name);
  if (def.type === 'vlan') def.vlan = vlanOf(name);
  return def;
}
