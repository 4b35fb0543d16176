import { type DomainDevice, type XmlElement } from '@virtkit/xml';
import { addressProps } from './address';
import type { DeviceCtx } from './device-ctx';
import { virtioOptions, virtioPciName } from './virtio';

function netdevProps(dc: DeviceCtx, d: DomainDevice, hostAlias: string): Record<string, unknown> | undefined {
  const b = dc.b;
  const el = d.el;
  const type = el.attr('type') ?? 'user';
  const src = el.element('source');
  const model = el.element('model')?.attr('type');
  const queues = Number(el.element('driver')?.attr('queues') ?? 1);
  const isVirtio = model === 'virtio' || model === 'virtio-transitional' || model === 'virtio-non-transitional';
  switch (type) {
    case 'user':
      return { type: 'user', id: hostAlias };
    case 'server':
    case 'client':
    case 'mcast':
    case 'udp': {
      const key = type === 'server' ? 'listen' : type === 'client' ? 'connect' : type === 'mcast' ? 'mcast' : 'udp';
      const out: Record<string, unknown> = { type: 'socket', [key]: `${src?.attr('address') ?? ''}:${src?.attr('port') ?? ''}` };
      if (type === 'udp') out.localaddr = `${src?.element('local')?.attr('address')}:${src?.element('local')?.attr('port')}`;
      out.id = hostAlias;
      return out;
    }
    case 'ethernet':
    case 'network':
    case 'bridge':
    case 'direct': {
      const { ifname, fds } = b.ctx.openTap(el.element('target')?.attr('dev'), queues);
      const out: Record<string, unknown> = { type: 'tap' };
      if (fds.length === 0) {
        // libvirt always passes descriptors; a tap QEMU opens by name is the host context's way.
        out.ifname = ifname;
        out.script = 'no';
        out.downscript = 'no';
        if (queues > 1) out.queues = queues;
      } else if (fds.length > 1) out.fds = fds.join(':');
      else out.fd = String(fds[0]);
      const vfds = isVirtio && el.element('driver')?.attr('name') !== 'qemu' ? b.ctx.openVhostNet(queues) : [];
      if (vfds.length) {
        out.vhost = true;
        if (vfds.length > 1) out.vhostfds = vfds.join(':');
        else out.vhostfd = String(vfds[0]);
      }
      out.id = hostAlias;
      return out;
    }
    case 'vhostuser': {
      const chr = `char${dc.alias(d)}`;
      let s = `socket,id=${chr},path=${src?.attr('path')}`;
      if (src?.attr('mode') === 'server') s += ',server=on';
      b.add('-chardev', s);
      const out: Record<string, unknown> = { type: 'vhost-user', chardev: chr };
      if (queues > 1) out.queues = queues;
      out.id = hostAlias;
      return out;
    }
    case 'vdpa': {
      // qemuBuildInterfaceCommandLine: the device is opened by libvirt and passed as an fd set.
      const vhostdev = b.addFd(b.ctx.openVdpa(src?.attr('dev') ?? ''), `${dc.alias(d)}-vdpa`);
      const out: Record<string, unknown> = { type: 'vhost-vdpa', vhostdev };
      if (queues > 1) out.queues = queues;
      out.id = hostAlias;
      return out;
    }
    default:
      return undefined;
  }
}

export function buildNets(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('interface')) {
    const el = d.el;
    if (el.attr('type') === 'hostdev') continue;
    const alias = dc.alias(d);
    const hostAlias = `host${alias}`;
    const netdev = netdevProps(dc, d, hostAlias);
    if (!netdev) continue;
    b.json('-netdev', netdev);
    const model = el.element('model')?.attr('type') ?? 'rtl8139';
    const isVirtio = model.startsWith('virtio');
    const out: Record<string, unknown> = { driver: isVirtio ? virtioPciName('virtio-net', model === 'virtio' ? undefined : model) : model };
    if (isVirtio) Object.assign(out, virtioNetProps(el));
    out.netdev = hostAlias;
    out.id = alias;
    out.mac = el.element('mac')?.attr('address');
    const boot = dc.bootIndex.get(d);
    if (boot !== undefined) out.bootindex = boot;
    Object.assign(out, addressProps(dc, d));
    const rom = el.element('rom');
    if (rom?.attr('bar')) out.rombar = rom.attr('bar') === 'on' ? 1 : 0;
    if (rom?.attr('file')) out.romfile = rom.attr('file');
    b.json('-device', out);
  }
}

/** Host/guest offload switches in qemuBuildNicDevProps' order: [element, attribute, property]. */
const OFFLOADS: Array<[string, string, string]> = [
  ['host', 'csum', 'csum'],
  ['host', 'gso', 'gso'],
  ['host', 'tso4', 'host_tso4'],
  ['host', 'tso6', 'host_tso6'],
  ['host', 'ecn', 'host_ecn'],
  ['host', 'ufo', 'host_ufo'],
  ['host', 'mrg_rxbuf', 'mrg_rxbuf'],
  ['guest', 'csum', 'guest_csum'],
  ['guest', 'tso4', 'guest_tso4'],
  ['guest', 'tso6', 'guest_tso6'],
  ['guest', 'ecn', 'guest_ecn'],
  ['guest', 'ufo', 'guest_ufo'],
];

const TX_MODES: Record<string, string> = { iothread: 'bh', timer: 'timer' };

/** The virtio-net properties after the driver name, in qemuBuildNicDevProps' order. */
function virtioNetProps(el: XmlElement): Record<string, unknown> {
  const drv = el.element('driver');
  const out: Record<string, unknown> = { ...virtioOptions(drv) };
  const sw = (v: string | undefined, q: string) => {
    if (v !== undefined) out[q] = v === 'on';
  };
  const tx = drv?.attr('txmode');
  if (tx && TX_MODES[tx]) out.tx = TX_MODES[tx];
  sw(drv?.attr('ioeventfd'), 'ioeventfd');
  sw(drv?.attr('event_idx'), 'event_idx');
  for (const [holder, attr, prop] of OFFLOADS) sw(drv?.element(holder)?.attr(attr), prop);
  const queues = Number(drv?.attr('queues') ?? 1);
  if (queues > 1) {
    out.mq = true;
    out.vectors = 2 * queues + 2;
  }
  if (drv?.attr('rx_queue_size')) out.rx_queue_size = Number(drv.attr('rx_queue_size'));
  if (drv?.attr('tx_queue_size')) out.tx_queue_size = Number(drv.attr('tx_queue_size'));
  sw(drv?.attr('rss'), 'rss');
  sw(drv?.attr('rss_hash_report'), 'hash');
  const mtu = el.element('mtu')?.attr('size');
  if (mtu) out.host_mtu = Number(mtu);
  if (el.element('teaming')?.attr('type') === 'persistent') out.failover = true;
  return out;
}
