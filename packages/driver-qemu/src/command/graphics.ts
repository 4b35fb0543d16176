import { type DomainDevice, type XmlElement } from '@virtkit/xml';
import { addressProps } from './address';
import { qemuEscape } from './builder';
import type { DeviceCtx } from './device-ctx';
import { virtioOptions } from './virtio';

const AUDIO_DRIVERS: Record<string, string> = { pulseaudio: 'pa', file: 'wav' };

function audioDirection(type: string, el: XmlElement | undefined): Record<string, unknown> | undefined {
  if (!el) return undefined;
  const out: Record<string, unknown> = {};
  const yn = (k: string, q: string) => {
    const v = el.attr(k);
    if (v !== undefined) out[q] = v === 'yes';
  };
  const n = (k: string, q: string) => {
    const v = el.attr(k);
    if (v !== undefined) out[q] = Number(v);
  };
  yn('mixingEngine', 'mixing-engine');
  yn('fixedSettings', 'fixed-settings');
  n('voices', 'voices');
  n('bufferLength', 'buffer-length');
  const st = el.element('settings');
  if (st) {
    if (st.attr('frequency')) out.frequency = Number(st.attr('frequency'));
    if (st.attr('channels')) out.channels = Number(st.attr('channels'));
    if (st.attr('format')) out.format = st.attr('format');
  }
  switch (type) {
    case 'pulseaudio':
      if (el.attr('name')) out.name = el.attr('name');
      if (el.attr('streamName')) out['stream-name'] = el.attr('streamName');
      n('latency', 'latency');
      break;
    case 'sdl':
    case 'coreaudio':
      n('bufferCount', 'buffer-count');
      break;
    case 'alsa':
      if (el.attr('dev')) out.dev = el.attr('dev');
      break;
    case 'oss':
      if (el.attr('dev')) out.dev = el.attr('dev');
      n('bufferCount', 'buffer-count');
      yn('tryPoll', 'try-poll');
      break;
    case 'jack':
      if (el.attr('serverName')) out['server-name'] = el.attr('serverName');
      if (el.attr('clientName')) out['client-name'] = el.attr('clientName');
      if (el.attr('connectPorts')) out['connect-ports'] = el.attr('connectPorts');
      yn('exactName', 'exact-name');
      break;
    default:
      break;
  }
  return Object.keys(out).length ? out : undefined;
}

export function buildAudio(dc: DeviceCtx): void {
  for (const d of dc.b.devices('audio')) {
    const el = d.el;
    const type = el.attr('type') ?? 'none';
    const out: Record<string, unknown> = { id: `audio${el.attr('id') ?? 1}`, driver: AUDIO_DRIVERS[type] ?? type };
    if (el.attr('timerPeriod')) out['timer-period'] = Number(el.attr('timerPeriod'));
    if (type === 'pulseaudio' && el.attr('serverName')) out.server = el.attr('serverName');
    if (type === 'file' && el.attr('path')) out.path = el.attr('path');
    if (type === 'oss') {
      if (el.attr('tryMMap')) out['try-mmap'] = el.attr('tryMMap') === 'yes';
      if (el.attr('exclusive')) out.exclusive = el.attr('exclusive') === 'yes';
      if (el.attr('dspPolicy')) out['dsp-policy'] = Number(el.attr('dspPolicy'));
    }
    const inp = audioDirection(type, el.element('input'));
    if (inp) out.in = inp;
    const outp = audioDirection(type, el.element('output'));
    if (outp) out.out = outp;
    dc.b.json('-audiodev', out);
  }
}

function firstAudioId(dc: DeviceCtx): string | undefined {
  const a = dc.b.devices('audio')[0];
  return a ? `audio${a.el.attr('id') ?? 1}` : undefined;
}

function listenOf(g: XmlElement): XmlElement | undefined {
  return g.elements('listen')[0];
}

function buildVnc(dc: DeviceCtx, g: XmlElement): void {
  const b = dc.b;
  const l = listenOf(g);
  let s: string;
  if (l?.attr('type') === 'socket') {
    const sock = l.attr('socket') ?? `${b.privateDir}/vnc.sock`;
    s = `vnc=unix:${qemuEscape(sock)}`;
  } else if (l?.attr('type') === 'none') {
    s = 'none';
  } else {
    let addr = l?.attr('address') ?? g.attr('listen') ?? '127.0.0.1';
    if (addr.includes(':')) addr = `[${addr}]`;
    const port = g.attr('autoport') === 'yes' || g.attr('port') === undefined || g.attr('port') === '-1' ? 5900 : Number(g.attr('port'));
    s = `${addr}:${port - 5900}`;
    const ws = g.attr('websocket');
    if (ws) s += `,websocket=${ws}`;
  }
  const share = g.attr('sharePolicy');
  if (share) s += `,share=${share}`;
  if (g.attr('passwd') !== undefined) s += ',password=on';
  if (g.attr('powerControl') === 'yes') s += ',power-control=on';
  // The display's own <audio id> names its audiodev; otherwise the first backend (qemuBuildGraphicsVNCCommandLine).
  const own = g.element('audio')?.attr('id');
  const audio = own !== undefined ? `audio${own}` : firstAudioId(dc);
  if (audio) s += `,audiodev=${audio}`;
  b.add('-vnc', s);
}

/**
 * The ports of an autoport SPICE display in a command line for a domain that is not started (the
 * corpus, domxml-to-native): qemuProcessSPICEAllocatePorts without allocating gives 5901 when a
 * channel may go in plain text and 5902 when one may go over TLS (any channel, with spice_tls).
 */
function pretendSpicePorts(defaultMode: string, channels: XmlElement[], spiceTLS: boolean): { port?: string; tlsPort?: string } {
  const modes = [...channels.map((c) => c.attr('mode')), defaultMode];
  const needPort = modes.includes('insecure') || defaultMode === 'any';
  const needTLSPort = modes.includes('secure') || (defaultMode === 'any' && spiceTLS);
  return { port: needPort ? '5901' : undefined, tlsPort: needTLSPort ? '5902' : undefined };
}

function buildSpice(dc: DeviceCtx, g: XmlElement): void {
  const b = dc.b;
  const cfg = b.ctx.config;
  const l = listenOf(g);
  const parts: string[] = [];
  const autoport = g.attr('autoport') === 'yes';
  const channels = g.elements('channel');
  const defaultMode = g.attr('defaultMode') ?? 'any';
  const pretend = autoport && g.attr('port') === undefined ? pretendSpicePorts(defaultMode, channels, cfg.spiceTLS) : {};
  const port = g.attr('port') ?? pretend.port;
  const tlsPort = g.attr('tlsPort') ?? pretend.tlsPort;
  const needTls = cfg.spiceTLS && (tlsPort !== undefined || defaultMode === 'secure' || channels.some((c) => c.attr('mode') === 'secure'));
  if (l?.attr('type') === 'socket') {
    parts.push('unix', `addr=${qemuEscape(l.attr('socket') ?? `${b.privateDir}/spice.sock`)}`);
  } else if (l?.attr('type') === 'none') {
    parts.push('port=0');
  } else {
    if (port !== undefined && port !== '-1') parts.push(`port=${port}`);
    if (tlsPort !== undefined && tlsPort !== '-1' && cfg.spiceTLS) parts.push(`tls-port=${tlsPort}`);
    // An address listen without an address takes qemu.conf's spice_listen (127.0.0.1).
    const addr = l?.attr('address') ?? g.attr('listen') ?? '127.0.0.1';
    parts.push(`addr=${addr.includes(':') ? `[${addr}]` : addr}`);
  }
  const mouse = g.element('mouse')?.attr('mode');
  if (mouse === 'server') parts.push('agent-mouse=off');
  else if (mouse === 'client') parts.push('agent-mouse=on');
  if (g.attr('passwd') === undefined && !cfg.spicePassword) parts.push('disable-ticketing=on');
  if (needTls && l?.attr('type') !== 'none' && l?.attr('type') !== 'socket') parts.push(`x509-dir=${cfg.spiceTLSx509certdir}`);
  if (defaultMode === 'secure') parts.push('tls-channel=default');
  else if (defaultMode === 'insecure') parts.push('plaintext-channel=default');
  for (const c of channels) {
    const m = c.attr('mode');
    if (m === 'secure') parts.push(`tls-channel=${c.attr('name')}`);
    else if (m === 'insecure') parts.push(`plaintext-channel=${c.attr('name')}`);
  }
  const comp = (el: string, attr: string, q: string) => {
    const v = g.element(el)?.attr(attr);
    if (v) parts.push(`${q}=${v}`);
  };
  comp('image', 'compression', 'image-compression');
  comp('jpeg', 'compression', 'jpeg-wan-compression');
  comp('zlib', 'compression', 'zlib-glz-wan-compression');
  comp('playback', 'compression', 'playback-compression');
  comp('streaming', 'mode', 'streaming-video');
  if (g.element('clipboard')?.attr('copypaste') === 'no') parts.push('disable-copy-paste=on');
  if (g.element('filetransfer')?.attr('enable') === 'no') parts.push('disable-agent-file-xfer=on');
  const gl = g.element('gl');
  if (gl?.attr('enable') === 'yes') {
    parts.push('gl=on');
    const rn = gl.attr('rendernode') ?? b.ctx.defaultRenderNode();
    parts.push(`rendernode=${qemuEscape(rn)}`);
  }
  parts.push('seamless-migration=on');
  b.add('-spice', parts.join(','));
}

export function buildGraphics(dc: DeviceCtx): void {
  for (const d of dc.b.devices('graphics')) {
    const g = d.el;
    switch (g.attr('type')) {
      case 'vnc':
        buildVnc(dc, g);
        break;
      case 'spice':
        buildSpice(dc, g);
        break;
      case 'egl-headless': {
        const node = g.element('gl')?.attr('rendernode') ?? dc.b.ctx.defaultRenderNode();
        dc.b.add('-display', `egl-headless,rendernode=${qemuEscape(node)}`);
        break;
      }
      case 'sdl': {
        const parts = ['sdl'];
        const gl = g.element('gl')?.attr('enable');
        if (gl) parts.push(`gl=${gl === 'yes' ? 'on' : 'off'}`);
        dc.b.add('-display', parts.join(','));
        break;
      }
      default:
        break;
    }
  }
}

function videoModelDriver(d: DomainDevice, primary: boolean): string {
  const model = d.el.element('model');
  const type = model?.attr('type') ?? 'cirrus';
  const accel3d = model?.element('acceleration')?.attr('accel3d') === 'yes';
  switch (type) {
    case 'cirrus':
      return 'cirrus-vga';
    case 'vga':
      return 'VGA';
    case 'vmvga':
      return 'vmware-svga';
    case 'qxl':
      return primary ? 'qxl-vga' : 'qxl';
    case 'virtio':
      if (d.el.element('driver')?.attr('name') === 'vhostuser') return primary ? 'vhost-user-vga' : 'vhost-user-gpu-pci';
      if (primary) return accel3d ? 'virtio-vga-gl' : 'virtio-vga';
      return accel3d ? 'virtio-gpu-gl-pci' : 'virtio-gpu-pci';
    case 'bochs':
      return 'bochs-display';
    case 'ramfb':
      return 'ramfb';
    default:
      return type;
  }
}

export function buildVideos(dc: DeviceCtx): void {
  const b = dc.b;
  const videos = b.devices('video');
  videos.forEach((d, i) => {
    const model = d.el.element('model');
    const type = model?.attr('type') ?? 'cirrus';
    if (type === 'none') return;
    const primary = i === 0 || model?.attr('primary') === 'yes';
    const driver = videoModelDriver(d, primary);
    const id = dc.alias(d);
    const vhost = d.el.element('driver')?.attr('name') === 'vhostuser';
    const out: Record<string, unknown> = { driver, ...(vhost && primary ? {} : virtioOptions(d.el.element('driver'))) };
    let chr: string | undefined;
    if (vhost) {
      chr = `chr-vu-${id}`;
      b.add('-chardev', `socket,id=${chr},fd=${b.ctx.openListenSocket(`${b.privateDir}/${id}-vhost-user-gpu.sock`)}`);
    }
    out.id = id;
    const heads = Number(model?.attr('heads') ?? 1);
    if (type === 'qxl') {
      out.max_outputs = heads;
      out.ram_size = Number(model?.attr('ram') ?? 65536) * 1024;
      out.vram_size = Number(model?.attr('vram') ?? 65536) * 1024;
      out.vram64_size_mb = Math.floor(Number(model?.attr('vram64') ?? 0) / 1024);
      out.vgamem_mb = Math.floor(Number(model?.attr('vgamem') ?? 16384) / 1024);
    } else if (type === 'virtio') {
      out.max_outputs = heads;
      if (chr) out.chardev = chr;
    } else if (type === 'vga' || type === 'vmvga') {
      const vram = model?.attr('vram');
      if (vram) out.vgamem_mb = Math.floor(Number(vram) / 1024);
    } else if (type === 'bochs') {
      const vram = model?.attr('vram');
      if (vram) out.vgamem = Number(vram) * 1024;
    }
    Object.assign(out, addressProps(dc, d));
    b.json('-device', out);
  });
}
