/**
 * Host network devices through iproute2's `ip` (libvirt's virnetdev.c / virnetdevtap.c do the same
 * with ioctls and netlink; we use what Debian ships instead of a native addon). Every call runs in
 * the network namespace of this process, so a daemon started under `ip netns exec NS` or
 * `unshare -n` only ever touches that namespace.
 */
import { execFile, execFileSync } from 'node:child_process';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/** One link as `ip -j -s link show` describes it (the fields we read). */
export interface LinkInfo {
  ifname: string;
  ifindex: number;
  mtu: number;
  address?: string;
  operstate?: string;
  flags: string[];
  master?: string;
  stats64?: {
    rx: { bytes: number; packets: number; errors: number; dropped: number };
    tx: { bytes: number; packets: number; errors: number; dropped: number };
  };
}

/** Run `ip ARGS`; rejects with ip's own message (e.g. "Device or resource busy"). */
export function ip(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why = stderr.trim().split('\n').pop() || err.message;
      // ip's wordings for ENODEV; libvirt reports errno texts.
      const text = why
        .replace(/^(RTNETLINK answers|ioctl\([^)]*\)): /, '')
        .replace(/^(Cannot find device .*|.*Device does not exist)$/, 'No such device');
      reject(new Error(text));
    });
  });
}

/** Every link of this namespace, or one named link (undefined when it does not exist). */
export async function listLinks(): Promise<LinkInfo[]> {
  return JSON.parse((await ip(['-j', '-s', 'link', 'show'])) || '[]') as LinkInfo[];
}

export async function linkInfo(name: string): Promise<LinkInfo | undefined> {
  return (await listLinks()).find((l) => l.ifname === name);
}

/** VIR_ERR_SYSTEM_ERROR with libvirt's "Unable to …: <errno text>" shape. */
export function netdevError(what: string, e: unknown): VirError {
  const why = e instanceof Error ? e.message : String(e);
  return VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE, `${what}: ${why}`);
}

/** Create a persistent tap (multi_queue when the NIC has several queues, as QEMU then asks). */
export async function createTap(name: string, multiQueue: boolean): Promise<void> {
  const args = ['tuntap', 'add', 'dev', name, 'mode', 'tap', 'vnet_hdr'];
  if (multiQueue) args.push('multi_queue');
  await ip(args).catch((e) => {
    throw netdevError(`Unable to create tap device ${name}`, e);
  });
}

/** Delete a tap or macvtap. */
export async function deleteLink(name: string): Promise<void> {
  await ip(['link', 'del', 'dev', name]);
}

/**
 * The same, synchronously: the driver learns that a domain stopped in a synchronous event
 * handler, and the taps must be gone when the call that stopped it returns.
 */
export function deleteLinkSync(name: string): void {
  execFileSync('ip', ['link', 'del', 'dev', name], { stdio: 'ignore', timeout: 30_000 });
}

export async function setMac(name: string, mac: string): Promise<void> {
  await ip(['link', 'set', 'dev', name, 'address', mac]).catch((e) => {
    throw netdevError(`Cannot set interface MAC to ${mac} on '${name}'`, e);
  });
}

export async function setMtu(name: string, mtu: number): Promise<void> {
  await ip(['link', 'set', 'dev', name, 'mtu', String(mtu)]).catch((e) => {
    throw netdevError(`Cannot set interface MTU on '${name}'`, e);
  });
}

export async function setMaster(name: string, bridge: string): Promise<void> {
  await ip(['link', 'set', 'dev', name, 'master', bridge]).catch((e) => {
    throw netdevError(`Unable to add bridge ${bridge} port ${name}`, e);
  });
}

export async function setUp(name: string): Promise<void> {
  await ip(['link', 'set', 'dev', name, 'up']).catch((e) => {
    throw netdevError(`Cannot set interface flags on '${name}'`, e);
  });
}
