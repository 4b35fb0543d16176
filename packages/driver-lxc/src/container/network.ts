/**
 * The host side of a container's network, made before its processes start: its network
 * namespace and, per interface, a veth pair whose host end joins the bridge (or stays bare for
 * `ethernet`) and whose peer moves into the namespace with the guest's name, MAC, addresses and
 * routes; host interfaces lent by `<hostdev type='net'>` move in. The controller removes the
 * namespace and veths, and gives the host interfaces back, when the container ends.
 */
import { execFileSync } from 'node:child_process';
import type { ContainerPlan } from './plan';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeNetwork(plan: ContainerPlan): void {
  const ns = plan.netns;
  if (!ns) return;
  ip('netns', 'add', ns);
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  for (const nic of plan.nics) {
    if (nic.macvlanOf) ip('link', 'add', 'link', nic.macvlanOf, 'name', nic.peerIf, 'type', 'macvlan', 'mode', nic.macvlanMode ?? 'vepa');
    else {
      ip('link', 'add', nic.hostIf, 'type', 'veth', 'peer', 'name', nic.peerIf);
      if (nic.bridge) ip('link', 'set', nic.hostIf, 'master', nic.bridge);
      ip('link', 'set', nic.hostIf, 'up');
      for (const a of nic.hostIps) ip('addr', 'add', a, 'dev', nic.hostIf);
    }
    ip('link', 'set', nic.peerIf, 'netns', ns);
    ip('-n', ns, 'link', 'set', nic.peerIf, 'name', nic.guestIf);
    if (nic.mac) ip('-n', ns, 'link', 'set', nic.guestIf, 'address', nic.mac);
    for (const a of nic.ips) ip('-n', ns, 'addr', 'add', a, 'dev', nic.guestIf);
    if (nic.up) ip('-n', ns, 'link', 'set', nic.guestIf, 'up');
    for (const r of nic.routes) ip('-n', ns, 'route', 'add', r.dest, 'via', r.gateway, 'dev', nic.guestIf);
  }
  for (const dev of plan.hostNets) ip('link', 'set', 'dev', dev, 'netns', ns);
}

/** Undo makeNetwork after a failed start (what is not there is skipped). */
export function removeNetwork(plan: ContainerPlan): void {
  if (!plan.netns) return;
  for (const dev of plan.hostNets) {
    try {
      // Back to this process's namespace, where it came from.
      ip('-n', plan.netns, 'link', 'set', 'dev', dev, 'netns', String(process.pid));
    } catch {
      // never moved
    }
  }
  for (const nic of plan.nics) {
    try {
      if (!nic.macvlanOf) ip('link', 'del', nic.hostIf);
    } catch {
      // never made
    }
  }
  try {
    ip('netns', 'del', plan.netns);
  } catch {
    // never made
  }
}
