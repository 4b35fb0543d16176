/**
 * Starting, stopping and taking back a network on the host (libvirt's networkStartNetwork,
 * networkShutdownNetwork and networkUpdateState). A network with a bridge of its own (forward
 * none, nat, route, open) gets the bridge, its addresses, its firewall table and a dnsmasq; a
 * `bridge` network uses a host bridge that must exist and starts nothing.
 */
import * as fs from 'node:fs';
import { ErrorNumber } from '@virtkit/core';
import { ipPrefix, networkNeedsDnsmasq, type NetworkDef } from '@virtkit/xml';
import { createBridge, deleteBridge, linkExists } from './bridge';
import type { NetworkDriverDirs } from './dirs';
import { runningDnsmasq, startDnsmasq, stopDnsmasq } from './dnsmasq-process';
import { addFirewallRules, removeFirewallRules } from './firewall';
import { networkError } from './store';

/** Forward modes whose network owns a bridge the driver makes. */
const OWN_BRIDGE = new Set(['none', 'nat', 'route', 'open']);

export const ownsBridge = (def: NetworkDef) => OWN_BRIDGE.has(def.forward.mode);

/** A 32-bit address of /proc/net/route (hex, host byte order: little-endian here) as bytes. */
function routeBytes(hex: string): number[] {
  const v = parseInt(hex, 16);
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
}

/**
 * networkCheckRouteCollision: an IPv4 subnet of the network that the host already routes (to
 * another network, a VPN, ...) would take that traffic over; refuse as libvirt does.
 */
function checkRouteCollision(def: NetworkDef): void {
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/route', 'utf8');
  } catch {
    return;
  }
  for (const line of table.split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
    if (!iface || !dest || !mask) continue;
    const d = routeBytes(dest);
    const m = routeBytes(mask);
    for (const ip of def.ips) {
      if (ip.address.family !== 4) continue;
      const prefix = ipPrefix(ip.address, ip.netmask, ip.prefix);
      const wantMask = [0, 1, 2, 3].map((i) => (0xff << (8 - Math.min(8, Math.max(0, prefix - i * 8)))) & 255);
      const want = ip.address.bytes.map((b, i) => b & wantMask[i]!);
      if (want.every((b, i) => b === d[i]) && wantMask.every((b, i) => b === m[i]))
        throw networkError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Network is already in use by interface ${iface}`);
    }
  }
}

/** networkStartNetworkVirtual (and the checks of networkStartNetworkBridge). */
export async function startNetworkOnHost(dirs: NetworkDriverDirs, def: NetworkDef): Promise<void> {
  if (!ownsBridge(def)) {
    if (def.forward.mode === 'bridge' && def.bridge && !(await linkExists(def.bridge)))
      throw networkError(ErrorNumber.VIR_ERR_SYSTEM_ERROR, `Unable to get index for interface ${def.bridge}: No such device`);
    return;
  }
  checkRouteCollision(def);
  if (await linkExists(def.bridge!)) throw networkError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `bridge name '${def.bridge}' already in use.`);
  await createBridge(def);
  try {
    await addFirewallRules(def);
    if (networkNeedsDnsmasq(def)) await startDnsmasq(dirs, def);
  } catch (e) {
    await stopNetworkOnHost(dirs, def);
    throw e;
  }
}

/** networkShutdownNetworkVirtual: dnsmasq, firewall table and bridge go. */
export async function stopNetworkOnHost(dirs: NetworkDriverDirs, def: NetworkDef): Promise<void> {
  if (!ownsBridge(def)) return;
  await stopDnsmasq(dirs, def.name);
  await removeFirewallRules(def);
  await deleteBridge(def.bridge!);
}

/**
 * networkUpdateState + networkRefreshDaemons for a network a previous driver left running:
 * false when its bridge is gone (it is no longer running); otherwise its firewall table is
 * re-applied and a dnsmasq that died is started again, a live one is kept.
 */
export async function takeBackNetwork(dirs: NetworkDriverDirs, def: NetworkDef): Promise<boolean> {
  const bridged = ownsBridge(def) || def.forward.mode === 'bridge';
  if (bridged && !(def.bridge && (await linkExists(def.bridge)))) return false;
  if (!ownsBridge(def)) return true;
  await addFirewallRules(def);
  if (networkNeedsDnsmasq(def) && !runningDnsmasq(dirs, def.name)) await startDnsmasq(dirs, def);
  return true;
}
