import { type DomainDevice, type XmlElement } from '@virtkit/xml';
import { addressProps } from './address';
import { qemuEscape } from './builder';
import type { DeviceCtx } from './device-ctx';

const onOff = (v: boolean) => (v ? 'on' : 'off');

/**
 * Emit `-chardev` for the backend held by `holder` (type attribute + `<source>`/`<log>`).
 * `alias` is the device alias; the chardev id is `char<alias>` unless `id` is given.
 */
export function buildChardev(
  dc: DeviceCtx,
  holder: XmlElement,
  alias: string,
  opts: { id?: string; parallel?: boolean; unixPath?: string } = {},
): string {
  const b = dc.b;
  const id = opts.id ?? `char${alias}`;
  const type = holder.attr('type') ?? 'pty';
  const srcs = holder.elements('source');
  const src = srcs[0];
  let s: string;
  switch (type) {
    case 'null':
    case 'vc':
    case 'pty':
    case 'stdio':
      s = `${type},id=${id}`;
      break;
    case 'dev':
      s = `${opts.parallel ? 'parallel' : 'serial'},id=${id},path=${qemuEscape(src?.attr('path') ?? '')}`;
      break;
    case 'file': {
      const path = b.addFd(b.ctx.openChardevFile(src?.attr('path') ?? '', 'source'), `${alias}-source`);
      s = `file,id=${id},path=${path},append=on`;
      break;
    }
    case 'pipe':
      s = `pipe,id=${id},path=${qemuEscape(src?.attr('path') ?? '')}`;
      break;
    case 'udp': {
      // Both ends are always given: an absent bind address is '' and an absent bind port 0.
      const connect = srcs.find((x) => (x.attr('mode') ?? 'connect') === 'connect');
      const bind = srcs.find((x) => x.attr('mode') === 'bind');
      s = `udp,id=${id},host=${connect?.attr('host') ?? ''},port=${connect?.attr('service') ?? ''}`;
      s += `,localaddr=${bind?.attr('host') ?? ''},localport=${bind?.attr('service') ?? '0'}`;
      break;
    }
    case 'tcp': {
      const telnet = holder.element('protocol')?.attr('type') === 'telnet';
      s = `socket,id=${id},host=${src?.attr('host')},port=${src?.attr('service')}`;
      if (telnet) s += ',telnet=on';
      if (src?.attr('mode') === 'bind') s += ',server=on,wait=off';
      const rc = src?.element('reconnect');
      if (rc?.attr('enabled') === 'yes') s += `,reconnect=${rc.attr('timeout')}`;
      break;
    }
    case 'unix': {
      // A virtio channel given without a path is one QEMU listens on, whatever its mode
      // (qemuDomainChrDefPostParse), on the path libvirt generates for it.
      const listen = src?.attr('mode') === 'bind' || (src?.attr('path') === undefined && opts.unixPath !== undefined);
      const path = src?.attr('path') ?? opts.unixPath ?? '';
      if (listen) {
        const fd = b.ctx.openListenSocket(path);
        s = `socket,id=${id},${fd === undefined ? `path=${qemuEscape(path)}` : `fd=${fd}`},server=on,wait=off`;
      } else {
        s = `socket,id=${id},path=${qemuEscape(path)}`;
        const rc = src?.element('reconnect');
        if (rc?.attr('enabled') === 'yes') s += `,reconnect=${rc.attr('timeout')}`;
      }
      break;
    }
    case 'spicevmc':
      s = `spicevmc,id=${id},name=${spicevmcName(holder)}`;
      break;
    case 'spiceport':
      s = `spiceport,id=${id},name=${qemuEscape(src?.attr('channel') ?? '')}`;
      break;
    case 'qemu-vdagent': {
      s = `qemu-vdagent,id=${id},name=vdagent`;
      const copypaste = src?.element('clipboard')?.attr('copypaste');
      if (copypaste) s += `,clipboard=${copypaste === 'yes' ? 'on' : 'off'}`;
      const mouse = src?.element('mouse')?.attr('mode');
      if (mouse === 'client') s += ',mouse=on';
      else if (mouse === 'server') s += ',mouse=off';
      break;
    }
    case 'dbus':
      s = `dbus,id=${id},name=${src?.attr('channel') ?? ''}`;
      break;
    default:
      s = `${type},id=${id}`;
  }
  const log = holder.element('log');
  if (log?.attr('file')) {
    const path = b.addFd(b.ctx.openChardevFile(log.attr('file')!, 'log'), `${alias}-log`);
    s += `,logfile=${path},logappend=on`;
  }
  b.add('-chardev', s);
  return id;
}

function spicevmcName(holder: XmlElement): string {
  return holder.name === 'redirdev' ? 'usbredir' : holder.name === 'smartcard' ? 'smartcard' : 'vdagent';
}

export function buildSerials(dc: DeviceCtx): void {
  for (const d of dc.b.devices('serial')) {
    const alias = dc.alias(d);
    const chr = buildChardev(dc, d.el, alias);
    const target = d.el.element('target');
    // Post-parse gave every serial target of a known type its model.
    const driver = target?.element('model')?.attr('name') ?? 'isa-serial';
    const out: Record<string, unknown> = { driver, chardev: chr, id: alias };
    // ... and a port number (a serial console became serial port 0).
    if (driver === 'isa-serial') out.index = Number(target?.attr('port') ?? 0);
    Object.assign(out, addressProps(dc, d));
    dc.b.json('-device', out);
  }
}

export function buildParallels(dc: DeviceCtx): void {
  for (const d of dc.b.devices('parallel')) {
    const alias = dc.alias(d);
    const chr = buildChardev(dc, d.el, alias, { parallel: true });
    dc.b.json('-device', { driver: 'isa-parallel', chardev: chr, id: alias, ...addressProps(dc, d) });
  }
}

function virtioSerialPort(dc: DeviceCtx, d: DomainDevice, driver: string, chr: string): Record<string, unknown> {
  const out: Record<string, unknown> = { driver };
  Object.assign(out, addressProps(dc, d));
  out.chardev = chr;
  out.id = dc.alias(d);
  const name = d.el.element('target')?.attr('name');
  if (name && driver === 'virtserialport') out.name = name;
  return out;
}

export function buildChannels(dc: DeviceCtx): void {
  const b = dc.b;
  for (const d of b.devices('channel')) {
    const target = d.el.element('target');
    const ttype = target?.attr('type');
    const alias = dc.alias(d);
    if (ttype === 'guestfwd') {
      const chr = buildChardev(dc, d.el, alias);
      b.json('-netdev', {
        type: 'user',
        guestfwd: [{ str: `tcp:${target?.attr('address')}:${target?.attr('port')}-chardev:${chr}` }],
        id: alias,
      });
      continue;
    }
    // libvirt generates the socket path of virtio channels given without one
    const unixPath = `${b.ctx.config.channelTargetDir}/domain-${b.shortName}/${target?.attr('name') ?? alias}`;
    const chr = buildChardev(dc, d.el, alias, { unixPath });
    b.json('-device', virtioSerialPort(dc, d, 'virtserialport', chr));
  }
}

export function buildConsoles(dc: DeviceCtx): void {
  const b = dc.b;
  const consoles = b.devices('console');
  consoles.forEach((d, i) => {
    const ttype = d.el.element('target')?.attr('type') ?? 'serial';
    if (ttype === 'serial' && i === 0) return;
    const alias = dc.alias(d);
    if (ttype === 'virtio') {
      const chr = buildChardev(dc, d.el, alias);
      b.json('-device', virtioSerialPort(dc, d, 'virtconsole', chr));
    } else if (ttype === 'sclp' || ttype === 'sclplm') {
      const chr = buildChardev(dc, d.el, alias);
      b.json('-device', { driver: ttype === 'sclp' ? 'sclpconsole' : 'sclplmconsole', chardev: chr, id: alias });
    }
  });
}

export { onOff };
