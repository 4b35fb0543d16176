import { type DomainDevice, type XmlElement } from '@virtkit/xml';
import { addressProps } from './address';
import { qemuEscape } from './builder';
import type { DeviceCtx } from './device-ctx';
import { buildMemoryBackend, numaCells } from './memory';
import { sizeKiB } from './builder';
import { secretObject } from './secrets';
import { virtioOptions, virtioPciName } from './virtio';

const h = (v: string | undefined, w: number) =>
  Number.parseInt(v ?? '0', v?.startsWith('0x') ? 16 : 10)
    .toString(16)
    .padStart(w, '0');

function pciHostAddr(a: XmlElement | undefined): string {
  return `${h(a?.attr('domain'), 4)}:${h(a?.attr('bus'), 2)}:${h(a?.attr('slot'), 2)}.${h(a?.attr('function'), 1)}`;
}

function scsiDriveProps(dc: DeviceCtx, d: DomainDevice): Record<string, unknown> {
  const a = d.address;
  if (a?.type !== 'drive') return {};
  const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'scsi' && c.controller.index === a.controller);
  const model = ctrl?.controller?.model ?? 'lsilogic';
  const out: Record<string, unknown> = { bus: `${ctrl ? dc.alias(ctrl) : `scsi${a.controller}`}.0` };
  if (model === 'lsilogic') out['scsi-id'] = a.unit;
  else {
    out.channel = a.bus;
    out['scsi-id'] = a.target;
    out.lun = a.unit;
  }
  return out;
}

export function buildHostdevs(dc: DeviceCtx, firstNode: number): void {
  const b = dc.b;
  let node = firstNode;
  for (const d of b.devices('hostdev')) {
    const el = d.el;
    const type = el.attr('type');
    const src = el.element('source');
    const id = dc.alias(d);
    const boot = dc.bootIndex.get(d);
    if (type === 'pci') {
      const out: Record<string, unknown> = { driver: 'vfio-pci', host: pciHostAddr(src?.element('address')), id };
      if (boot !== undefined) out.bootindex = boot;
      Object.assign(out, addressProps(dc, d));
      b.json('-device', out);
    } else if (type === 'mdev') {
      // qemuBuildHostdevMediatedDevProps: a ramfb display needs the device that cannot be unplugged.
      const out: Record<string, unknown> = {
        driver: el.attr('ramfb') === 'on' ? 'vfio-pci-nohotplug' : 'vfio-pci',
        id,
        sysfsdev: `/sys/bus/mdev/devices/${src?.element('address')?.attr('uuid')}`,
      };
      const display = el.attr('display');
      if (display) out.display = display;
      if (el.attr('ramfb') === 'on') out.ramfb = true;
      if (boot !== undefined) out.bootindex = boot;
      Object.assign(out, addressProps(dc, d));
      b.json('-device', out);
    } else if (type === 'usb') {
      const a = src?.element('address');
      const out: Record<string, unknown> = { driver: 'usb-host' };
      if (a)
        out.hostdevice = `/dev/bus/usb/${String(Number(a.attr('bus'))).padStart(3, '0')}/${String(Number(a.attr('device'))).padStart(3, '0')}`;
      out.id = id;
      if (boot !== undefined) out.bootindex = boot;
      const gr = src?.attr('guestReset');
      if (gr === 'off') out['guest-reset'] = false;
      else if (gr === 'on') {
        out['guest-reset'] = true;
        out['guest-resets-all'] = true;
      } else if (gr === 'uninitialized') {
        out['guest-reset'] = true;
        out['guest-resets-all'] = false;
      }
      Object.assign(out, addressProps(dc, d));
      b.json('-device', out);
    } else if (type === 'scsi') {
      const nodeName = `libvirt-${node++}-backend`;
      const readonly = el.element('readonly') !== undefined;
      if (src?.attr('protocol') === 'iscsi') {
        const name = src.attr('name') ?? '';
        const slash = name.lastIndexOf('/');
        const host = src.element('host');
        const props: Record<string, unknown> = {
          driver: 'iscsi',
          portal: `${host?.attr('name')}:${host?.attr('port') ?? '3260'}`,
          target: slash >= 0 ? name.slice(0, slash) : name,
          lun: slash >= 0 ? Number(name.slice(slash + 1)) : 0,
          transport: 'tcp',
        };
        const auth = src.element('auth');
        if (auth) {
          const secId = `${nodeName}-secret0`;
          const sec = auth.element('secret');
          b.json('-object', secretObject(b, secId, { uuid: sec?.attr('uuid'), usageType: sec?.attr('type'), usage: sec?.attr('usage') }));
          props.user = auth.attr('username');
          props['password-secret'] = secId;
        }
        const iqn = src.element('initiator')?.element('iqn')?.attr('name');
        if (iqn) props['initiator-name'] = iqn;
        props['node-name'] = nodeName;
        props['read-only'] = readonly;
        b.json('-blockdev', props);
      } else {
        const a = src?.element('address');
        const path = b.ctx.scsiHostDevicePath(
          src?.element('adapter')?.attr('name') ?? '',
          Number(a?.attr('bus') ?? 0),
          Number(a?.attr('target') ?? 0),
          Number(a?.attr('unit') ?? 0),
        );
        b.json('-blockdev', { driver: 'host_device', filename: path, 'node-name': nodeName, 'read-only': readonly });
      }
      const out: Record<string, unknown> = { driver: 'scsi-generic', drive: nodeName, id, ...scsiDriveProps(dc, d) };
      if (boot !== undefined) out.bootindex = boot;
      b.json('-device', out);
    } else if (type === 'scsi_host') {
      const wwpn = src?.attr('wwpn') ?? '';
      const fd = b.ctx.openVhostScsi(wwpn);
      const model = el.attr('model');
      const out: Record<string, unknown> = {
        driver: virtioPciName('vhost-scsi', model === 'virtio' ? undefined : model),
        wwpn,
        vhostfd: String(fd),
        id,
      };
      if (boot !== undefined) out.bootindex = boot;
      Object.assign(out, addressProps(dc, d));
      b.json('-device', out);
    }
  }
}

export function buildFilesystems(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('filesystem')) {
    const el = d.el;
    const id = dc.alias(d);
    const drv = el.element('driver');
    const target = el.element('target')?.attr('dir') ?? '';
    if (drv?.attr('type') === 'virtiofs') {
      const chr = `chr-vu-${id}`;
      const sock = el.element('source')?.attr('socket') ?? `${b.privateDir}/${id}-fs.sock`;
      b.add('-chardev', `socket,id=${chr},path=${qemuEscape(sock)}`);
      const out: Record<string, unknown> = { driver: 'vhost-user-fs-pci', ...virtioOptions(drv), id, chardev: chr };
      if (drv.attr('queue')) out['queue-size'] = Number(drv.attr('queue'));
      out.tag = target;
      const boot = dc.bootIndex.get(d);
      if (boot !== undefined) out.bootindex = boot;
      Object.assign(out, addressProps(dc, d));
      b.json('-device', out);
      continue;
    }
    // qemuBuildFSStr: the handle driver takes no security model.
    const parts: string[] = [];
    if (drv?.attr('type') === 'handle') parts.push('handle');
    else parts.push('local', `security_model=${el.attr('accessmode') ?? 'passthrough'}`);
    const wrpolicy = drv?.attr('wrpolicy');
    if (wrpolicy) parts.push(`writeout=${wrpolicy}`);
    const fmode = el.attr('fmode');
    if (fmode) parts.push(`fmode=${fmode}`);
    const dmode = el.attr('dmode');
    if (dmode) parts.push(`dmode=${dmode}`);
    const multidevs = el.attr('multidevs');
    if (multidevs && multidevs !== 'default') parts.push(`multidevs=${multidevs}`);
    parts.push(`id=fsdev-${id}`);
    parts.push(`path=${qemuEscape(el.element('source')?.attr('dir') ?? '')}`);
    if (el.element('readonly')) parts.push('readonly=on');
    b.add('-fsdev', parts.join(','));
    const model = el.attr('model');
    b.json('-device', {
      driver: virtioPciName('virtio-9p', model === 'virtio' ? undefined : model),
      ...virtioOptions(drv),
      id,
      fsdev: `fsdev-${id}`,
      mount_tag: target,
      ...addressProps(dc, d),
    });
  }
}

export function buildMemoryDevices(dc: DeviceCtx): void {
  const b = dc.b;
  const hasNuma = numaCells(b).length > 0;
  for (const d of b.devices('memory')) {
    const el = d.el;
    const model = el.attr('model') ?? 'dimm';
    const id = dc.alias(d);
    const src = el.element('source');
    const target = el.element('target');
    const size = Math.ceil((sizeKiB(target?.element('size')) ?? 0) / 2048) * 2048;
    const nodeEl = target?.element('node');
    const nodemask = src?.element('nodemask')?.text().trim();
    const nodes = nodemask ? parseRange(nodemask) : undefined;
    const pagesize = src?.element('pagesize') ? sizeKiB(src.element('pagesize')) : undefined;
    const path = src?.element('path')?.text().trim();
    const access = el.attr('access');
    const memdev = `mem${id}`;
    const targetNode = nodeEl ? Number(nodeEl.text().trim()) : undefined;
    const bo: Parameters<typeof buildMemoryBackend>[1] = {
      id: memdev,
      alias: id,
      cellId: targetNode,
      discard: el.attr('discard'),
      size,
      pagesize,
      sourceNodes: nodes,
      path,
      memAccess: access,
      pmem: src?.element('pmem') !== undefined ? true : undefined,
      align: src?.element('alignsize') ? sizeKiB(src.element('alignsize')) : undefined,
      readonly: false,
      reserve: model === 'virtio-mem' ? false : undefined,
      nvdimm: model === 'nvdimm',
    };
    buildMemoryBackend(b, bo);
    const out: Record<string, unknown> = {};
    const a = d.address;
    if (model === 'dimm' || model === 'nvdimm') {
      out.driver = model === 'dimm' ? 'pc-dimm' : 'nvdimm';
      if (hasNuma) out.node = Number(nodeEl?.text().trim() ?? 0);
      const label = target?.element('label')?.element('size');
      if (label) out['label-size'] = (sizeKiB(label) ?? 0) * 1024;
      if (target?.element('readonly')) out.unarmed = true;
      out.memdev = memdev;
      out.id = id;
      if (a?.type === 'other' && a.typeName === 'dimm') {
        if (a.attrs.get('slot') !== undefined) out.slot = Number(a.attrs.get('slot'));
        const base = a.attrs.get('base');
        if (base !== undefined) out.addr = Number(BigInt(base));
      }
    } else if (model === 'virtio-pmem') {
      Object.assign(out, { driver: 'virtio-pmem-pci', memdev, id, ...addressProps(dc, d) });
    } else if (model === 'virtio-mem') {
      out.driver = 'virtio-mem-pci';
      if (hasNuma) out.node = Number(nodeEl?.text().trim() ?? 0);
      const block = sizeKiB(target?.element('block'));
      if (block) out['block-size'] = block * 1024;
      const req = sizeKiB(target?.element('requested'));
      if (req !== undefined) out['requested-size'] = req * 1024;
      out.memdev = memdev;
      if (bo.devicePrealloc) out.prealloc = true;
      out.id = id;
      Object.assign(out, addressProps(dc, d));
    }
    b.json('-device', out);
  }
}

function parseRange(s: string): number[] {
  const out: number[] = [];
  for (const p of s.split(',')) {
    const [a, z] = p.split('-').map(Number);
    for (let i = a; i <= (z ?? a); i++) out.push(i);
  }
  return out;
}
