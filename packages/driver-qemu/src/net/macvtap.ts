/**
 * `<interface type='direct'>`: a macvtap on the source device (libvirt's
 * virNetDevMacVLanCreateWithVPortProfile), named `macvtapN`, with the guest's own MAC, up. QEMU
 * cannot open a macvtap by name: it needs the device's character device, /dev/tapIFINDEX, which
 * devtmpfs (or udev) provides; when that node is missing or belongs to another namespace's device
 * we make one from sysfs, open it and remove it again. The descriptor goes to QEMU, as libvirt's
 * does: inherited at start, with `getfd` on hotplug.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { XmlElement } from '@virtkit/xml';
import { deleteLink, IpBatchError, ipBatch, linkNames, linkSteps, netdevError } from './iproute';

/** libvirt's prefix of generated macvtap names (VIR_NET_GENERATED_MACVTAP_PREFIX). */
const PREFIX = 'macvtap';
const MODES = new Set(['vepa', 'private', 'bridge', 'passthrough']);

let nextIndex = 0;

function generateName(): string {
  const taken = linkNames();
  for (;;) {
    const name = `${PREFIX}${nextIndex++}`;
    if (!taken.has(name)) return name;
  }
}

function mknod(file: string, major: number, minor: number): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mknod', ['-m', '600', file, 'c', String(major), String(minor)], (err, _o, stderr) =>
      err ? reject(new Error(stderr.trim() || err.message)) : resolve(),
    ),
  );
}

/** The device number of a node, split as the kernel's MAJOR()/MINOR() of a dev_t. */
function majorMinor(rdev: number): [number, number] {
  return [Math.floor(rdev / 256) & 0xfff, (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00)];
}

/**
 * Open the macvtap's character device: devtmpfs' own `/dev/tapIFINDEX` when it is this device (an
 * ifindex is only unique within a namespace, so the number is compared), else a node made in
 * `nodeDir` from sysfs and removed again.
 */
async function openTapDevice(name: string, nodeDir: string): Promise<number> {
  const ifindex = fs.readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim();
  const [major, minor] = fs.readFileSync(`/sys/class/net/${name}/macvtap/tap${ifindex}/dev`, 'utf8').trim().split(':').map(Number);
  try {
    const st = fs.statSync(`/dev/tap${ifindex}`);
    const [ma, mi] = majorMinor(st.rdev);
    if (st.isCharacterDevice() && ma === major && mi === minor) return fs.openSync(`/dev/tap${ifindex}`, 'r+');
  } catch {
    // no devtmpfs node: make one
  }
  await fs.promises.mkdir(nodeDir, { recursive: true, mode: 0o700 });
  const node = path.join(nodeDir, `tap${ifindex}`);
  await fs.promises.rm(node, { force: true });
  await mknod(node, major!, minor!);
  try {
    return fs.openSync(node, 'r+');
  } finally {
    await fs.promises.rm(node, { force: true });
  }
}

/** A created macvtap: its name and the descriptor of its character device (ours to close). */
export interface Macvtap {
  name: string;
  fd: number;
}

/** Create (with the guest's MAC, as libvirt's netlink request does), bring up and open the macvtap of a `direct` interface. */
export async function connectMacvtap(el: XmlElement, nodeDir: string): Promise<Macvtap> {
  const src = el.element('source');
  const parent = src?.attr('dev') ?? '';
  const mode = src?.attr('mode') ?? 'vepa';
  if (!MODES.has(mode)) throw netdevError(`Cannot create macvtap device on '${parent}'`, new Error(`unsupported mode '${mode}'`));
  const name = el.element('target')?.attr('dev') ?? generateName();
  const mac = el.element('mac')?.attr('address');
  const create = ['link', 'add', 'link', parent, 'name', name, ...(mac ? ['address', mac] : []), 'type', 'macvtap', 'mode', mode];
  try {
    await ipBatch([{ args: create, what: `error creating macvtap interface ${name}@${parent}` }, linkSteps.up(name)]);
    return { name, fd: await openTapDevice(name, nodeDir) };
  } catch (e) {
    if (!(e instanceof IpBatchError) || e.index > 0) await deleteLink(name).catch(() => undefined);
    throw e instanceof IpBatchError ? e.error : e;
  }
}
