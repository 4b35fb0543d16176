/**
 * `<interface type='direct'>`: a macvtap on the source device (libvirt's
 * virNetDevMacVLanCreateWithVPortProfile), named `macvtapN`, with the guest's own MAC, up. QEMU
 * cannot open a macvtap by name: it needs the device's character device, which udev would create
 * as /dev/tapIFINDEX. We make the node ourselves from sysfs (no udev in a test namespace), open
 * it, remove the node again and pass the descriptor to QEMU, as libvirt does.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { XmlElement } from '@virtkit/xml';
import { ip, linkInfo, listLinks, netdevError, setUp } from './iproute';

/** libvirt's prefix of generated macvtap names (VIR_NET_GENERATED_MACVTAP_PREFIX). */
const PREFIX = 'macvtap';
const MODES = new Set(['vepa', 'private', 'bridge', 'passthrough']);

let nextIndex = 0;

async function generateName(): Promise<string> {
  const taken = new Set((await listLinks()).map((l) => l.ifname));
  for (;;) {
    const name = `${PREFIX}${nextIndex++}`;
    if (!taken.has(name)) return name;
  }
}

function mknod(file: string, majorMinor: string): Promise<void> {
  const [major, minor] = majorMinor.trim().split(':');
  return new Promise((resolve, reject) =>
    execFile('mknod', ['-m', '600', file, 'c', major!, minor!], (err, _o, stderr) =>
      err ? reject(new Error(stderr.trim() || err.message)) : resolve(),
    ),
  );
}

/** Open the macvtap's character device through a node made in `nodeDir`. */
async function openTapDevice(name: string, nodeDir: string): Promise<number> {
  const info = await linkInfo(name);
  const dev = fs.readFileSync(`/sys/class/net/${name}/macvtap/tap${info?.ifindex}/dev`, 'utf8');
  await fs.promises.mkdir(nodeDir, { recursive: true, mode: 0o700 });
  const node = path.join(nodeDir, `tap${info?.ifindex}`);
  await fs.promises.rm(node, { force: true });
  await mknod(node, dev);
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

/** Create, configure and open the macvtap of a `direct` interface. */
export async function connectMacvtap(el: XmlElement, nodeDir: string): Promise<Macvtap> {
  const src = el.element('source');
  const parent = src?.attr('dev') ?? '';
  const mode = src?.attr('mode') ?? 'vepa';
  if (!MODES.has(mode)) throw netdevError(`Cannot create macvtap device on '${parent}'`, new Error(`unsupported mode '${mode}'`));
  const name = el.element('target')?.attr('dev') ?? (await generateName());
  await ip(['link', 'add', 'link', parent, 'name', name, 'type', 'macvtap', 'mode', mode]).catch((e) => {
    throw netdevError(`error creating macvtap interface ${name}@${parent}`, e);
  });
  try {
    const mac = el.element('mac')?.attr('address');
    if (mac) {
      await ip(['link', 'set', 'dev', name, 'address', mac]).catch((e) => {
        throw netdevError(`Cannot set interface MAC to ${mac} on '${name}'`, e);
      });
    }
    await setUp(name);
    return { name, fd: await openTapDevice(name, nodeDir) };
  } catch (e) {
    await ip(['link', 'del', 'dev', name]).catch(() => undefined);
    throw e;
  }
}
