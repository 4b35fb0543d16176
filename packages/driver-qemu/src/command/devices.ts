/**
 * Smaller device families: input, sound, watchdog, memballoon, RNG, panic, vsock, IOMMU, TPM,
 * smartcard, USB redirection and hubs, shared memory.
 */
import { addressProps } from './address';
import { qemuEscape } from './builder';
import { buildChardev } from './chardev';
import type { DeviceCtx } from './device-ctx';
import { virtioOptions, virtioPciName } from './virtio';

export function buildInputs(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('input')) {
    const el = d.el;
    const type = el.attr('type');
    // A passed-through evdev device sits on no bus.
    const bus = el.attr('bus') ?? (type === 'evdev' ? 'none' : 'ps2');
    const id = dc.alias(d);
    if (bus === 'ps2' || bus === 'xen') continue;
    if (type === 'evdev') {
      const src = el.element('source');
      const out: Record<string, unknown> = { 'qom-type': 'input-linux', id, evdev: src?.attr('dev') };
      if (src?.attr('repeat')) out.repeat = src.attr('repeat') === 'on';
      if (src?.attr('grab') === 'all') out['grab_all'] = true;
      if (src?.attr('grabToggle')) out['grab-toggle'] = src.attr('grabToggle');
      b.json('-object', out);
      continue;
    }
    const out: Record<string, unknown> = {};
    if (bus === 'usb') {
      out.driver = type === 'mouse' ? 'usb-mouse' : type === 'tablet' ? 'usb-tablet' : 'usb-kbd';
      out.id = id;
    } else if (bus === 'virtio') {
      const model = el.attr('model');
      const base =
        type === 'mouse'
          ? 'virtio-mouse'
          : type === 'tablet'
            ? 'virtio-tablet'
            : type === 'keyboard'
              ? 'virtio-keyboard'
              : 'virtio-input-host';
      out.driver = virtioPciName(base, model === 'virtio' ? undefined : model);
      Object.assign(out, virtioOptions(el.element('driver')));
      out.id = id;
      if (type === 'passthrough') out.evdev = el.element('source')?.attr('evdev');
    }
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  }
}

const SOUND: Record<string, string> = {
  es1370: 'ES1370',
  sb16: 'sb16',
  ac97: 'AC97',
  ich6: 'intel-hda',
  ich9: 'ich9-intel-hda',
  ich7: 'intel-hda',
  usb: 'usb-audio',
  ich7x: 'x',
};

export function buildSounds(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('sound')) {
    const el = d.el;
    const model = el.attr('model') ?? 'es1370';
    const id = dc.alias(d);
    if (model === 'pcspk') continue;
    const audioEl = el.element('audio')?.attr('id');
    const audio = `audio${audioEl ?? b.devices('audio')[0]?.el.attr('id') ?? 1}`;
    const out: Record<string, unknown> = { driver: SOUND[model] ?? model, id };
    const hda = model === 'ich6' || model === 'ich9' || model === 'ich7';
    if (!hda) out.audiodev = audio;
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
    if (hda) {
      const codecs = el.elements('codec');
      const list = codecs.length ? codecs : [undefined];
      list.forEach((c, i) => {
        const ct = c?.attr('type') ?? 'duplex';
        b.json('-device', { driver: `hda-${ct}`, id: `${id}-codec${i}`, bus: `${id}.0`, cad: i, audiodev: audio });
      });
    }
  }
}

export function buildWatchdogs(dc: DeviceCtx): void {
  const b = dc.b;
  const wds = b.devices('watchdog');
  for (const d of wds) {
    const model = d.el.attr('model') ?? 'i6300esb';
    b.json('-device', { driver: model === 'itco' ? 'ICH9-LPC' : model, id: dc.alias(d), ...addressProps(dc, d) });
  }
  const action = wds[0]?.el.attr('action');
  if (action && action !== 'reset') {
    const a = action === 'dump' ? 'pause' : action === 'inject-nmi' ? 'inject-nmi' : action;
    b.add('-watchdog-action', a);
  }
}

export function buildMemballoon(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('memballoon')) {
    const model = d.el.attr('model') ?? 'virtio';
    if (model === 'none') continue;
    const out: Record<string, unknown> = {
      driver: virtioPciName('virtio-balloon', model === 'virtio' ? undefined : model),
      ...virtioOptions(d.el.element('driver')),
      id: dc.alias(d),
    };
    const dfo = d.el.attr('autodeflate');
    if (dfo) out['deflate-on-oom'] = dfo === 'on';
    const fpr = d.el.attr('freePageReporting');
    if (fpr) out['free-page-reporting'] = fpr === 'on';
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  }
}

export function buildRngs(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('rng')) {
    const el = d.el;
    const id = dc.alias(d);
    const backend = el.element('backend');
    const bm = backend?.attr('model') ?? 'random';
    const obj = `obj${id}`;
    if (bm === 'random') {
      b.json('-object', { 'qom-type': 'rng-random', id: obj, filename: backend?.text().trim() || '/dev/urandom' });
    } else if (bm === 'egd') {
      const chr = buildChardev(dc, backend!, id);
      b.json('-object', { 'qom-type': 'rng-egd', id: obj, chardev: chr });
    } else {
      b.json('-object', { 'qom-type': 'rng-builtin', id: obj });
    }
    const model = el.attr('model') ?? 'virtio';
    const out: Record<string, unknown> = {
      driver: virtioPciName('virtio-rng', model === 'virtio' ? undefined : model),
      ...virtioOptions(el.element('driver')),
      rng: obj,
      id,
    };
    const rate = el.element('rate');
    if (rate) {
      out['max-bytes'] = Number(rate.attr('bytes'));
      out.period = Number(rate.attr('period') ?? 1000);
    }
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  }
}

export function buildPanics(dc: DeviceCtx): void {
  for (const d of dc.b.devices('panic')) {
    const model = d.el.attr('model') ?? 'isa';
    if (model === 'isa') {
      const a = d.address;
      const out: Record<string, unknown> = { driver: 'pvpanic' };
      if (a?.type === 'other' && a.typeName === 'isa' && a.attrs.get('iobase')) out.ioport = Number(a.attrs.get('iobase'));
      dc.b.json('-device', out);
    } else if (model === 'pvpanic') {
      dc.b.json('-device', { driver: 'pvpanic-pci', id: dc.alias(d), ...addressProps(dc, d) });
    }
  }
}

export function buildVsock(dc: DeviceCtx): void {
  for (const d of dc.b.devices('vsock')) {
    const cidEl = d.el.element('cid');
    const auto = cidEl?.attr('auto') === 'yes';
    const { fd, cid } = dc.b.ctx.openVhostVsock(auto ? undefined : Number(cidEl?.attr('address') ?? 3));
    const model = d.el.attr('model') ?? 'virtio';
    dc.b.json('-device', {
      driver: virtioPciName('vhost-vsock', model === 'virtio' ? undefined : model),
      ...virtioOptions(d.el.element('driver')),
      id: dc.alias(d),
      'guest-cid': cid,
      vhostfd: String(fd),
      ...addressProps(dc, d),
    });
  }
}

export function buildIommu(dc: DeviceCtx): void {
  for (const d of dc.b.devices('iommu')) {
    const model = d.el.attr('model') ?? 'intel';
    const drv = d.el.element('driver');
    if (model === 'intel') {
      const out: Record<string, unknown> = { driver: 'intel-iommu', id: dc.alias(d) };
      if (drv?.attr('intremap')) out.intremap = drv.attr('intremap');
      if (drv?.attr('caching_mode')) out['caching-mode'] = drv.attr('caching_mode') === 'on';
      if (drv?.attr('eim')) out.eim = drv.attr('eim');
      if (drv?.attr('iotlb')) out['device-iotlb'] = drv.attr('iotlb') === 'on';
      if (drv?.attr('aw_bits')) out['aw-bits'] = Number(drv.attr('aw_bits'));
      dc.b.json('-device', out);
    }
  }
}

export function buildVirtioIommu(dc: DeviceCtx): void {
  for (const d of dc.b.devices('iommu')) {
    if (d.el.attr('model') === 'virtio') dc.b.json('-device', { driver: 'virtio-iommu', id: dc.alias(d), ...addressProps(dc, d) });
  }
}

export function buildTpms(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('tpm')) {
    const el = d.el;
    const backend = el.element('backend');
    const bt = backend?.attr('type') ?? 'passthrough';
    const id = dc.alias(d);
    if (bt === 'emulator') {
      b.add('-chardev', `socket,id=chrtpm,path=${qemuEscape(b.ctx.tpmEmulatorSocket(b.shortName, id))}`);
      b.add('-tpmdev', `emulator,id=tpm-${id},chardev=chrtpm`);
    } else if (bt === 'external') {
      const path = backend?.element('source')?.attr('path') ?? '';
      b.add('-chardev', `socket,id=chrtpm,path=${qemuEscape(path)}`);
      b.add('-tpmdev', `emulator,id=tpm-${id},chardev=chrtpm`);
    } else {
      const fds = b.ctx.openTpmPassthrough(backend?.element('device')?.attr('path') ?? '/dev/tpm0');
      const dev = b.addFd(fds.fd, `${id}-tpm`);
      const cancel = b.addFd(fds.cancelFd, `${id}-cancel`);
      b.add('-tpmdev', `passthrough,id=tpm-${id},path=${dev},cancel-path=${cancel}`);
    }
    const model = el.attr('model') ?? 'tpm-tis';
    b.json('-device', { driver: model, tpmdev: `tpm-${id}`, id, ...addressProps(dc, d) });
  }
}

export function buildSmartcards(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('smartcard')) {
    const el = d.el;
    const mode = el.attr('mode');
    const id = dc.alias(d);
    const out: Record<string, unknown> = {};
    if (mode === 'host') {
      out.driver = 'ccid-card-emulated';
      out.backend = 'nss-emulated';
    } else if (mode === 'host-certificates') {
      out.driver = 'ccid-card-emulated';
      out.backend = 'certificates';
      el.elements('certificate').forEach((c, i) => (out[`cert${i + 1}`] = c.text()));
      out.db = el.childText('database') ?? '/etc/pki/nssdb';
    } else {
      const chr = buildChardev(dc, el, id);
      out.driver = 'ccid-card-passthru';
      out.chardev = chr;
    }
    out.id = id;
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  }
}

export function buildRedirdevs(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('redirdev')) {
    const id = dc.alias(d);
    const chr = buildChardev(dc, d.el, id);
    const out: Record<string, unknown> = { driver: 'usb-redir', chardev: chr, id };
    const boot = dc.bootIndex.get(d);
    if (boot !== undefined) out.bootindex = boot;
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  }
}

export function buildHubs(dc: DeviceCtx): void {
  for (const d of dc.b.devices('hub')) dc.b.json('-device', { driver: 'usb-hub', id: dc.alias(d), ...addressProps(dc, d) });
}
