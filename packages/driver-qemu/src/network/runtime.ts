/**
 * Starting, stopping and taking back a network on the host (libvirt's networkStartNetwork,
 * networkShutdownNetwork and networkUpdateState). A network with a bridge of its own (forward
 * none, nat, route, open) gets the bridge, its addresses, its firewall table and a dnsmasq; a
 * `bridge` network uses a host bridge that must exist and starts nothing.
 */
import { ErrorNumber } from '@virtkit/core';
import { networkNeedsDnsmasq, type NetworkDef } from '@virtkit/xml';
import { createBridge, deleteBridge, linkExists } from './bridge';
import type { NetworkDriverDirs } from './dirs';
import { runningDnsmasq, startDnsmasq, stopDnsmasq } from './dnsmasq-process';
import { addFirewallRules, removeFirewallRules } from './firewall';
import { networkError } from './store';

/** Forward modes whose network owns a bridge the driver makes. */
const OWN_BRIDGE = new Set(['none', 'nat', 'route', 'open']);

export const ownsBridge = (def: NetworkDef) => OWN_BRIDGE.has(def.forward.mode);

/** networkStartNetworkVirtual (and the checks of networkStartNetworkBridge). */
export async function startNetworkOnHost(dirs: NetworkDriverDirs, def: NetworkDef): Promise<void> {
  if (!ownsBridge(def)) {
    if (def.forward.mode === 'bridge' && def.bridge && !(await linkExists(def.bridge)))
      throw networkError(ErrorNumber.VIR_ERR_SYSTEM_ERROR, `Unable to get index for interface ${def.bridge}: No such device`);
    return;
  }
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
