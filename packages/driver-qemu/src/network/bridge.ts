/**
 * The bridge of a managed network (libvirt's networkStartNetworkVirtual, host side): create it
 * with its MAC, MTU, STP and forward delay, give it the network's addresses and routes, bring it
 * up; and delete it again. Everything goes through iproute2 in this process' namespace.
 */
import * as fs from 'node:fs';
import { formatIp, ipPrefix, type IpRoute, type NetworkDef, type NetworkIp } from '@virtkit/xml';
import { ip, linkInfo, netdevError } from '../net/iproute';

/** `ip link add` options for the bridge: STP and the forward delay (kernel centiseconds). */
function bridgeOptions(def: NetworkDef): string[] {
  // The delay goes first: the kernel refuses a delay below 2 s once STP is on, but takes it
  // with STP off and keeps it when STP is then enabled (libvirt writes sysfs in that order too).
  return ['forward_delay', String(def.delay * 100), 'stp_state', def.stp ? '1' : '0'];
}

function prefixOf(a: NetworkIp): number {
  return ipPrefix(a.address, a.netmask, a.prefix);
}

/** virNetDevIPAddrAdd: an address with its prefix (and the broadcast address for IPv4). */
async function addAddress(bridge: string, a: NetworkIp): Promise<void> {
  const prefix = prefixOf(a);
  const addr = `${formatIp(a.address)}/${prefix}`;
  const args = ['addr', 'add', addr];
  if (a.address.family === 4) args.push('broadcast', '+');
  await ip([...args, 'dev', bridge]).catch((e) => {
    throw netdevError(`Failed to add IP address ${addr} to ${bridge}`, e);
  });
}

/** virNetDevIPRouteAdd for a `<route>`. */
async function addRoute(bridge: string, r: IpRoute): Promise<void> {
  const dest = `${formatIp(r.address)}/${ipPrefix(r.address, r.netmask, r.prefix)}`;
  const args = [r.address.family === 6 ? '-6' : '-4', 'route', 'add', dest, 'via', formatIp(r.gateway), 'dev', bridge];
  if (r.metric) args.push('metric', String(r.metric));
  await ip(args).catch((e) => {
    throw netdevError(`Failed to add route to ${dest} via ${formatIp(r.gateway)}`, e);
  });
}

/** networkSetIPv6Sysctls: a bridge with IPv6 addresses takes them and ignores router adverts. */
function ipv6Sysctls(bridge: string, def: NetworkDef): void {
  const dir = `/proc/sys/net/ipv6/conf/${bridge}`;
  if (!fs.existsSync(dir)) return;
  const hasV6 = def.ips.some((a) => a.address.family === 6);
  fs.writeFileSync(`${dir}/disable_ipv6`, hasV6 ? '0' : '1');
  if (hasV6) fs.writeFileSync(`${dir}/accept_ra`, '0');
}

/** Create and configure the bridge of `def`; on failure nothing of it remains. */
export async function createBridge(def: NetworkDef): Promise<void> {
  const bridge = def.bridge!;
  await ip(['link', 'add', 'name', bridge, 'type', 'bridge', ...bridgeOptions(def)]).catch((e) => {
    throw netdevError(`Unable to create bridge ${bridge}`, e);
  });
  try {
    if (def.mac) await ip(['link', 'set', 'dev', bridge, 'address', def.mac]);
    if (def.mtu) await ip(['link', 'set', 'dev', bridge, 'mtu', String(def.mtu)]);
    ipv6Sysctls(bridge, def);
    for (const a of def.ips) await addAddress(bridge, a);
    await ip(['link', 'set', 'dev', bridge, 'up']).catch((e) => {
      throw netdevError(`Cannot set interface flags on '${bridge}'`, e);
    });
    for (const r of def.routes) await addRoute(bridge, r);
  } catch (e) {
    await deleteBridge(bridge);
    throw e;
  }
}

/** Take the bridge down and delete it (its ports are released by the kernel). */
export async function deleteBridge(bridge: string): Promise<void> {
  await ip(['link', 'set', 'dev', bridge, 'down']).catch(() => undefined);
  await ip(['link', 'del', 'dev', bridge]).catch(() => undefined);
}

/** Whether a link of that name exists in this namespace. */
export async function linkExists(name: string): Promise<boolean> {
  return (await linkInfo(name)) !== undefined;
}
