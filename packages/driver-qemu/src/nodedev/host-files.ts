/**
 * What libvirt's udev backend reads besides sysfs attributes: udev's database of device
 * properties and links (/run/udev/data, when udevd runs), the PCI names of pci.ids (libpciaccess)
 * and the offload features ethtool reports for a network interface.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A sysfs attribute's text without its trailing newline, or undefined when unreadable. */
export function readAttr(dir: string, name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, name), 'utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/** The KEY=value lines of a device's uevent file. */
export function uevent(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (readAttr(dir, 'uevent') ?? '').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** udev's record of one device: its E: properties and S: links (empty without udevd). */
export function udevRecord(root: string, id: string): { props: Map<string, string>; links: string[] } {
  const props = new Map<string, string>();
  const links: string[] = [];
  const text = readAttr(path.join(root, 'run/udev/data'), id) ?? '';
  for (const line of text.split('\n')) {
    if (line.startsWith('E:')) {
      const kv = line.slice(2);
      const i = kv.indexOf('=');
      if (i > 0) props.set(kv.slice(0, i), kv.slice(i + 1));
    } else if (line.startsWith('S:')) links.push(`/dev/${line.slice(2)}`);
  }
  return { props, links };
}

/** pci.ids: vendor names by id, device names by `vendor:device`. */
export interface PciNames {
  vendors: Map<number, string>;
  devices: Map<string, string>;
}

const PCI_IDS_CACHE = new Map<string, PciNames>();

/** Parse pci.ids as libpciaccess does for vendor and device lines (subsystems and classes skipped). */
export function pciNames(root: string): PciNames {
  const file = path.join(root, 'usr/share/misc/pci.ids');
  const cached = PCI_IDS_CACHE.get(file);
  if (cached) return cached;
  const names: PciNames = { vendors: new Map(), devices: new Map() };
  let vendor = -1;
  for (const line of (readAttr(path.dirname(file), path.basename(file)) ?? '').split('\n')) {
    if (line.startsWith('C ')) vendor = -1;
    let m = /^([0-9a-f]{4}) {2}(.*)$/.exec(line);
    if (m) {
      vendor = parseInt(m[1], 16);
      names.vendors.set(vendor, m[2]);
      continue;
    }
    m = /^\t([0-9a-f]{4}) {2}(.*)$/.exec(line);
    if (m && vendor >= 0) names.devices.set(`${vendor}:${parseInt(m[1], 16)}`, m[2]);
  }
  PCI_IDS_CACHE.set(file, names);
  return names;
}

/** ethtool -k names of the features libvirt reports (virNetDevGetFeatures), in libvirt's order. */
const ETHTOOL_FEATURES: ReadonlyArray<[string, string]> = [
  ['rx', 'rx-checksumming'],
  ['tx', 'tx-checksumming'],
  ['sg', 'scatter-gather'],
  ['tso', 'tcp-segmentation-offload'],
  ['gso', 'generic-segmentation-offload'],
  ['gro', 'generic-receive-offload'],
  ['lro', 'large-receive-offload'],
  ['rxvlan', 'rx-vlan-offload'],
  ['txvlan', 'tx-vlan-offload'],
  ['ntuple', 'ntuple-filters'],
  ['rxhash', 'receive-hashing'],
  ['txudptnl', 'tx-udp_tnl-segmentation'],
];

/** The enabled offload features of an interface, or none when ethtool is missing or fails. */
export function netFeatures(ifname: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('ethtool', ['-k', ifname], { encoding: 'utf8', timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve([]);
      const on = new Set<string>();
      for (const line of stdout.split('\n')) {
        const m = /^\t?([\w-]+): on\b/.exec(line);
        if (m) on.add(m[1]);
      }
      resolve(ETHTOOL_FEATURES.filter(([, k]) => on.has(k)).map(([name]) => name));
    });
  });
}
