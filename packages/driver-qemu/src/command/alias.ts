import { diskNameToIndex, type DomainDef, type DomainDevice } from '@virtkit/xml';
import { isQ35Machine } from './util';

export type AliasMap = Map<DomainDevice, string>;

function userAlias(d: DomainDevice): string | undefined {
  const a = d.el.element('alias')?.attr('name');
  return a && a.startsWith('ua-') ? a : undefined;
}

export function controllerAlias(def: DomainDef, d: DomainDevice): string {
  const c = d.controller!;
  const model = c.model;
  if (c.type === 'pci') {
    if (model === 'pcie-root') return 'pcie.0';
    if (model === 'pci-root') return 'pci.0';
    return `pci.${c.index}`;
  }
  if (c.type === 'ide' && c.index === 0) return 'ide';
  if (c.type === 'sata' && c.index === 0 && isQ35Machine(def)) return 'ide';
  if (c.type === 'usb' && c.index === 0) return 'usb';
  return `${c.type}${c.index}`;
}

export function assignAliases(def: DomainDef): AliasMap {
  const map: AliasMap = new Map();
  const counters = new Map<string, number>();
  let skip = false;
  const next = (prefix: string) => {
    if (skip) return '';
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    return `${prefix}${n}`;
  };
  for (const d of def.devices) {
    const ua = userAlias(d);
    skip = ua !== undefined && d.kind !== 'controller';
    let alias: string | undefined;
    switch (d.kind) {
      case 'disk': {
        const disk = d.disk!;
        const bus = disk.targetBus ?? 'ide';
        const a = d.address;
        if (a?.type === 'drive') {
          if (bus === 'scsi') {
            const ctrl = def.devices.find((c) => c.controller?.type === 'scsi' && c.controller.index === a.controller);
            const lsi = (ctrl?.controller?.model ?? 'lsilogic') === 'lsilogic';
            alias = lsi ? `scsi${a.controller}-${a.bus}-${a.unit}` : `scsi${a.controller}-${a.bus}-${a.target}-${a.unit}`;
          } else alias = `${bus === 'fdc' ? 'fdc' : bus}${a.controller}-${a.bus}-${a.unit}`;
        } else {
          const idx = diskNameToIndex(disk.targetDev);
          const pfx: Record<string, string> = { virtio: 'virtio-disk', usb: 'usb-disk', xen: 'xenblk', sd: 'sd-disk' };
          alias = `${pfx[bus] ?? bus}${idx}`;
        }
        break;
      }
      case 'controller':
        alias = controllerAlias(def, d);
        break;
      case 'interface':
        alias = d.el.attr('type') === 'hostdev' ? next('hostdev') : next('net');
        break;
      case 'hostdev':
        alias = next('hostdev');
        break;
      case 'filesystem':
        alias = next('fs');
        break;
      case 'sound':
        alias = next('sound');
        break;
      case 'video':
        alias = next('video');
        break;
      case 'redirdev':
        alias = next('redir');
        break;
      case 'serial':
        alias = next('serial');
        break;
      case 'parallel':
        alias = next('parallel');
        break;
      case 'channel':
        alias = next('channel');
        break;
      case 'console': {
        const idx = counters.get('console') ?? 0;
        const tt = d.el.element('target')?.attr('type');
        if (idx === 0 && (tt === 'serial' || tt === undefined)) alias = 'serial0';
        else alias = `console${idx}`;
        counters.set('console', idx + 1);
        break;
      }
      case 'smartcard':
        alias = next('smartcard');
        break;
      case 'input':
        alias = next('input');
        break;
      case 'watchdog':
        alias = next('watchdog');
        break;
      case 'memballoon':
        alias = next('balloon');
        break;
      case 'rng':
        alias = next('rng');
        break;
      case 'tpm':
        alias = next('tpm');
        break;
      case 'hub':
        alias = next('hub');
        break;
      case 'shmem':
        alias = d.el.attr('name') ? `shmem${counters.get('shmem') ?? 0}` : next('shmem');
        counters.set('shmem', (counters.get('shmem') ?? 0) + (d.el.attr('name') ? 1 : 0));
        break;
      case 'vsock':
        alias = 'vsock0';
        break;
      case 'iommu':
        alias = 'iommu0';
        break;
      case 'memory': {
        const model = d.el.attr('model') ?? 'dimm';
        const pfx: Record<string, string> = {
          dimm: 'dimm',
          nvdimm: 'nvdimm',
          'virtio-pmem': 'virtiopmem',
          'virtio-mem': 'virtiomem',
          'sgx-epc': 'epc',
        };
        const slot = d.address?.type === 'other' && d.address.typeName === 'dimm' ? d.address.attrs.get('slot') : undefined;
        if ((model === 'dimm' || model === 'nvdimm') && slot !== undefined) alias = `${pfx[model]}${slot}`;
        else alias = next(pfx[model] ?? model);
        break;
      }
      case 'crypto':
        alias = next('crypto');
        break;
      case 'panic':
        alias = next('panic');
        break;
      default:
        break;
    }
    const implicit =
      d.kind === 'controller' &&
      ((d.controller?.type === 'pci' && (d.controller.model === 'pci-root' || d.controller.model === 'pcie-root')) ||
        (d.controller?.index === 0 && (d.controller.type === 'ide' || (d.controller.type === 'sata' && isQ35Machine(def)))));
    if (ua && !implicit) alias = ua;
    if (alias) map.set(d, alias);
  }
  return map;
}
