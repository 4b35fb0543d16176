/**
 * Host network devices through iproute2's `ip` (libvirt's virnetdev.c / virnetdevtap.c do the same
 * with ioctls and netlink; we use what Debian ships instead of a native addon). Every call runs in
 * the network namespace of this process, so a daemon started under `ip netns exec NS` or
 * `unshare -n` only ever touches that namespace.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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

/** ip's last message line as libvirt words it (the errno text). */
function ipReason(line: string): string {
  // ip's wordings for ENODEV; libvirt reports errno texts.
  return line
    .replace(/^(RTNETLINK answers|ioctl\([^)]*\)): /, '')
    .replace(/^(Cannot find device .*|.*Device does not exist)$/, 'No such device');
}

/** Run `ip ARGS`; rejects with ip's own message (e.g. "Device or resource busy"). */
export function ip(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      reject(new Error(ipReason(stderr.trim().split('\n').pop() || err.message)));
    });
  });
}

/** One command of a batch, and the libvirt wording ("Unable to …") of its failure. */
export interface IpStep {
  args: string[];
  what: string;
}

/** A batch stopped at step `index` (0-based); the message is that step's libvirt error. */
export class IpBatchError extends Error {
  constructor(
    readonly index: number,
    readonly error: VirError,
  ) {
    super(error.message);
  }
}

/**
 * Run several `ip` commands in one process (`ip -batch -`, stopping at the first failure): a
 * process start costs tens of milliseconds on a loaded host, where libvirt makes one netlink call
 * per step. Rejects with an IpBatchError naming the step that failed.
 */
export function ipBatch(steps: IpStep[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('ip', ['-batch', '-'], { encoding: 'utf8', timeout: 30_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      // A command the kernel refused ends with "Command failed -:LINE"; one whose argument ip
      // itself rejected ('Error: argument "X" is wrong: …') exits at once without it.
      const lines = stderr.trim().split('\n');
      const at = /^Command failed -:(\d+)$/.exec(lines[lines.length - 1] ?? '');
      const why = (at ? lines.slice(0, -1) : lines).filter((l) => l.trim()).pop() || err.message;
      const badArg = /^Error: argument "(.*)" is wrong: /.exec(why)?.[1];
      const index = at
        ? Number(at[1]) - 1
        : Math.max(
            0,
            steps.findIndex((s) => badArg !== undefined && s.args.includes(badArg)),
          );
      reject(new IpBatchError(index, netdevError(steps[index]?.what ?? 'ip', new Error(ipReason(why)))));
    });
    child.stdin?.end(steps.map((s) => `${s.args.join(' ')}\n`).join(''));
  });
}

/** Every link of this namespace, or one named link (undefined when it does not exist). */
export async function listLinks(): Promise<LinkInfo[]> {
  return JSON.parse((await ip(['-j', '-s', 'link', 'show'])) || '[]') as LinkInfo[];
}

/**
 * The link names of this process's network namespace, without starting a process: procfs'
 * net/dev always follows the reader's namespace (/sys does only when mounted in it).
 */
export function linkNames(): Set<string> {
  const names = new Set<string>();
  // Two header lines, then "  NAME: counters…" per link.
  for (const line of fs.readFileSync('/proc/self/net/dev', 'utf8').split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

/**
 * A link's MTU from sysfs when the mounted /sys is this namespace's (its links are the ones
 * procfs lists; a daemon under a bare `unshare -n` sees the host's), else from `ip`.
 */
export async function linkMtu(name: string, names = linkNames()): Promise<number | undefined> {
  let sysNames: string[] = [];
  try {
    sysNames = fs.readdirSync('/sys/class/net');
  } catch {
    // no sysfs: ask ip
  }
  if (sysNames.length === names.size && sysNames.every((n) => names.has(n))) {
    if (!names.has(name)) return undefined;
    return Number(fs.readFileSync(`/sys/class/net/${name}/mtu`, 'utf8'));
  }
  return (await linkInfo(name))?.mtu;
}

export async function linkInfo(name: string): Promise<LinkInfo | undefined> {
  return (await listLinks()).find((l) => l.ifname === name);
}

/** VIR_ERR_SYSTEM_ERROR with libvirt's "Unable to …: <errno text>" shape. */
export function netdevError(what: string, e: unknown): VirError {
  const why = e instanceof Error ? e.message : String(e);
  return VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE, `${what}: ${why}`);
}

/** The step that creates a persistent tap (multi_queue when the NIC has several queues, as QEMU then asks). */
export function tapCreateStep(name: string, multiQueue: boolean): IpStep {
  const args = ['tuntap', 'add', 'dev', name, 'mode', 'tap', 'vnet_hdr'];
  if (multiQueue) args.push('multi_queue');
  return { args, what: `Unable to create tap device ${name}` };
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

/** The steps that set a link's MAC, MTU, bridge and up state, in libvirt's order, with its wordings. */
export const linkSteps = {
  mac: (name: string, mac: string): IpStep => ({
    args: ['link', 'set', 'dev', name, 'address', mac],
    what: `Cannot set interface MAC to ${mac} on '${name}'`,
  }),
  mtu: (name: string, mtu: number): IpStep => ({
    args: ['link', 'set', 'dev', name, 'mtu', String(mtu)],
    what: `Cannot set interface MTU on '${name}'`,
  }),
  master: (name: string, bridge: string): IpStep => ({
    args: ['link', 'set', 'dev', name, 'master', bridge],
    what: `Unable to add bridge ${bridge} port ${name}`,
  }),
  up: (name: string): IpStep => ({ args: ['link', 'set', 'dev', name, 'up'], what: `Cannot set interface flags on '${name}'` }),
};

export async function setUp(name: string): Promise<void> {
  const step = linkSteps.up(name);
  await ip(step.args).catch((e) => {
    throw netdevError(step.what, e);
  });
}
