/**
 * A PCI device's node device capability as libvirt's udevProcessPCI fills it: ids and names,
 * class, NUMA node, IOMMU group, SR-IOV functions, and what its configuration space says (bridge
 * header type, PCI Express link capability and status).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeDevCap } from '@virtkit/xml';
import { readAttr, type PciNames } from './host-files';

type PciCap = Extract<NodeDevCap, { type: 'pci' }>;
type PciAddr = { domain: number; bus: number; slot: number; function: number };

/** `0000:00:1f.2` → its four numbers. */
export function parsePciAddr(text: string): PciAddr | undefined {
  const m = /^([0-9a-f]{4,}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(text);
  return m ? { domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), slot: parseInt(m[3], 16), function: parseInt(m[4], 16) } : undefined;
}

const hexAttr = (dir: string, a: string) => parseInt((readAttr(dir, a) ?? '').replace(/^0x/, ''), 16);

function linkAddr(dir: string, link: string): PciAddr | undefined {
  try {
    return parsePciAddr(path.basename(fs.readlinkSync(path.join(dir, link))));
  } catch {
    return undefined;
  }
}

/** The PCI Express capability offset in a configuration space, or 0. */
function pcieCapOffset(cfg: Buffer): number {
  if (cfg.length < 64 || !(cfg.readUInt16LE(0x06) & 0x10)) return 0;
  let pos = cfg[0x34] & 0xfc;
  for (let n = 0; pos >= 0x40 && pos + 2 <= cfg.length && n < 48; n++) {
    if (cfg[pos] === 0x10) return pos;
    pos = cfg[pos + 1] & 0xfc;
  }
  return 0;
}

/** PCIe port types without a link (root complex integrated endpoint and event collector). */
const NO_LINK_TYPES = new Set([9, 10]);
const SPEEDS = ['', '2.5', '5', '8', '16', '32', '64'];

/** virPCIDeviceGetLinkCapSta over the configuration space. */
function pcieInfo(cfg: Buffer, cap: number): PciCap['pcie'] {
  const type = (cfg.readUInt16LE(cap + 2) >> 4) & 0xf;
  if (NO_LINK_TYPES.has(type) || cap + 0x14 > cfg.length) return {};
  const lnkcap = cfg.readUInt32LE(cap + 0x0c);
  const lnksta = cfg.readUInt16LE(cap + 0x12);
  return {
    cap: { port: lnkcap >>> 24, speed: SPEEDS[lnkcap & 0xf] ?? '', width: (lnkcap >> 4) & 0x3f },
    sta: { port: -1, speed: SPEEDS[lnksta & 0xf] ?? '', width: (lnksta >> 4) & 0x3f },
  };
}

function configSpace(dir: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, 'config'));
  } catch {
    return Buffer.alloc(0);
  }
}

function sriov(dir: string, cap: PciCap): void {
  const pf = linkAddr(dir, 'physfn');
  if (pf) cap.physFunction = pf;
  const vfs = fs
    .readdirSync(dir)
    .filter((e) => /^virtfn\d+$/.test(e))
    .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10))
    .map((e) => linkAddr(dir, e))
    .filter((a): a is PciAddr => a !== undefined);
  const max = parseInt(readAttr(dir, 'sriov_totalvfs') ?? '0', 10) || 0;
  if (max > 0 || vfs.length > 0) cap.virtFunctions = { maxCount: max, addrs: vfs };
}

function iommuGroup(dir: string, cap: PciCap): void {
  let group: string;
  try {
    group = fs.realpathSync(path.join(dir, 'iommu_group'));
  } catch {
    return;
  }
  const members = fs
    .readdirSync(path.join(group, 'devices'))
    .map(parsePciAddr)
    .filter((a): a is PciAddr => a !== undefined);
  cap.iommuGroup = { number: parseInt(path.basename(group), 10), addrs: members };
}

/** The pci capability of the device in sysfs directory `dir` named `id` (0000:00:1f.2). */
export function pciCap(dir: string, id: string, names: PciNames): PciCap | undefined {
  const addr = parsePciAddr(id);
  if (!addr) return undefined;
  const vendorId = hexAttr(dir, 'vendor');
  const productId = hexAttr(dir, 'device');
  const klass = hexAttr(dir, 'class');
  const numa = parseInt(readAttr(dir, 'numa_node') ?? '-1', 10);
  const cap: PciCap = {
    type: 'pci',
    klass: Number.isFinite(klass) ? klass : -1,
    ...addr,
    productId,
    vendorId,
    numaNode: Number.isFinite(numa) ? numa : -1,
  };
  const product = names.devices.get(`${vendorId}:${productId}`);
  const vendor = names.vendors.get(vendorId);
  if (product) cap.product = product;
  if (vendor) cap.vendor = vendor;
  sriov(dir, cap);
  const cfg = configSpace(dir);
  const header = cfg.length > 0x0e ? cfg[0x0e] & 0x7f : 0;
  if (header === 1) cap.bridge = 'pci-bridge';
  else if (header === 2) cap.bridge = 'cardbus-bridge';
  iommuGroup(dir, cap);
  const pcie = pcieCapOffset(cfg);
  if (pcie) cap.pcie = pcieInfo(cfg, pcie);
  // libvirt counts a device with extended configuration space as PCI Express even when no
  // capability says so (host bridges), with no link to describe.
  else if (cfg.length > 256) cap.pcie = {};
  return cap;
}
