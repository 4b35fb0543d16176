/**
 * Character device backends (serial, parallel, console, channel, and the chardev inside
 * smartcards, redirdevs and RNG backends): the checks of virDomainChrSourceDefValidate and the
 * normalisation libvirt's formatter applies (default `mode`, `<protocol type='raw'/>`).
 */
import { ErrorDomain, VirError } from '@virtkit/core';
import { propEnum, propUInt, propYesNo } from '../props';
import type { XmlElement } from '../tree';
import { mkEl, orderAttrs, sortChildren } from './node';

/** The chardev backend types libvirt knows (virDomainChrType), in its order. */
export const CHR_TYPES = [
  'null',
  'vc',
  'pty',
  'dev',
  'file',
  'pipe',
  'stdio',
  'udp',
  'tcp',
  'unix',
  'spicevmc',
  'spiceport',
  'nmdm',
  'qemu-vdagent',
  'dbus',
];

/** Kinds of element that carry a chardev backend directly. */
export const CHR_DEVICES = ['serial', 'parallel', 'console', 'channel'];

/** Errors that libvirt reports when validating the definition rather than while parsing it. */
const VALIDATION_ERRORS = new WeakSet<Error>();

/** A validation-phase error (virDomainChrSourceDefValidate reports VIR_ERR_INTERNAL_ERROR). */
function invalidSource(detail: string): VirError {
  const e = VirError.internal(detail, ErrorDomain.VIR_FROM_DOMAIN);
  VALIDATION_ERRORS.add(e);
  return e;
}

const missing = (what: string) => invalidSource(`Missing source ${what} attribute for char device`);

/** Whether a chardev error belongs to the validation phase (virDomainChrSourceDefValidate). */
export function isChrValidationError(e: unknown): e is VirError {
  return e instanceof Error && VALIDATION_ERRORS.has(e);
}

/** The source's mode (virXMLPropEnumDefault: `connect` when absent). */
const sourceMode = (src: XmlElement) => propEnum(src, 'mode', ['connect', 'bind'] as const) ?? 'connect';

/**
 * virDomainChrSourceReconnectDefParseXML plus its format: `enabled` is a tristate, `timeout` is
 * required when enabled and dropped when not. Returns whether reconnecting is enabled.
 */
function normalizeReconnect(src: XmlElement): boolean {
  const el = src.element('reconnect');
  if (!el) return false;
  const enabled = propYesNo(el, 'enabled');
  if (enabled === 'yes') propUInt(el, 'timeout', { required: true });
  else el.attrs.delete('timeout');
  if (enabled === undefined) src.children.splice(src.children.indexOf(el), 1);
  return enabled === 'yes';
}

/**
 * UDP keeps the first `connect` and the first `bind` source that set a host or service
 * (virDomainChrSourceDefParseUDP) and formats bind before connect, with the mode spelled out.
 */
function normalizeUdp(holder: XmlElement, sources: XmlElement[]): void {
  const kept = new Map<string, XmlElement>();
  for (const src of sources) {
    const mode = sourceMode(src);
    if (!kept.has(mode) && (src.attr('host') !== undefined || src.attr('service') !== undefined)) {
      kept.set(
        mode,
        mkEl('source', [
          ['mode', mode],
          ...(['host', 'service'] as const).flatMap((a): Array<[string, string]> => (src.attr(a) === undefined ? [] : [[a, src.attr(a)!]])),
        ]),
      );
    }
  }
  const at = sources.length ? holder.children.indexOf(sources[0]) : 0;
  for (const src of sources) holder.children.splice(holder.children.indexOf(src), 1);
  holder.children.splice(at, 0, ...['bind', 'connect'].flatMap((m) => kept.get(m) ?? []));
  if (!kept.get('connect')?.attr('service')) throw missing('service');
}

/** The checks on the number of `<source>`, `<log>` and `<protocol>` children (parse phase). */
function checkChildCounts(holder: XmlElement, type: string, sources: XmlElement[]): void {
  if (sources.length > 1 && type !== 'udp')
    throw VirError.xml('only one source element is allowed for character device', ErrorDomain.VIR_FROM_DOMAIN);
  if (sources.length > 2) throw VirError.xml('only two source elements are allowed for character device', ErrorDomain.VIR_FROM_DOMAIN);
  for (const what of ['log', 'protocol']) {
    if (holder.elements(what).length > 1)
      throw VirError.xml(`only one ${what} element is allowed for character device`, ErrorDomain.VIR_FROM_DOMAIN);
  }
}

/**
 * Check and normalise the backend held by `holder` (whose `type` attribute names it).
 * `pathOptional` is true for virtio/xen channels, whose UNIX socket path can be generated.
 */
export function normalizeChrSource(holder: XmlElement, pathOptional: boolean): void {
  const type = holder.attr('type') ?? 'pty';
  if (!CHR_TYPES.includes(type)) throw VirError.xml(`unknown type presented to host for character device: ${type}`);
  const sources = holder.elements('source');
  checkChildCounts(holder, type, sources);
  switch (type) {
    case 'tcp': {
      const src = sources[0];
      const listen = src !== undefined && sourceMode(src) === 'bind';
      const reconnect = src !== undefined && normalizeReconnect(src);
      if (!src || src.attr('host') === undefined) throw missing('host');
      if (src.attr('service') === undefined) throw missing('service');
      if (listen && reconnect) throw invalidSource('chardev reconnect is possible only for connect mode');
      if (src.attr('mode') === undefined) src.attrs.set('mode', 'connect');
      orderAttrs(src, ['mode', 'host', 'service', 'tls']);
      if (!holder.element('protocol')) {
        const idx = holder.children.indexOf(src);
        holder.children.splice(idx + 1, 0, mkEl('protocol', [['type', 'raw']]));
      }
      break;
    }
    case 'udp':
      normalizeUdp(holder, sources);
      break;
    case 'unix': {
      const src = sources[0];
      const listen = src !== undefined && sourceMode(src) === 'bind';
      const reconnect = src !== undefined && normalizeReconnect(src);
      const path = src?.attr('path');
      if (!path) {
        if (!pathOptional) throw missing('path');
        if (src && src.attr('mode') !== 'bind') holder.children.splice(holder.children.indexOf(src), 1);
        break;
      }
      if (listen && reconnect) throw invalidSource('chardev reconnect is possible only for connect mode');
      if (src.attr('mode') === undefined) src.attrs.set('mode', 'connect');
      orderAttrs(src, ['mode', 'path', 'reconnect']);
      break;
    }
    case 'file':
    case 'dev':
    case 'pipe': {
      if (!sources[0]?.attr('path')) throw missing('path');
      break;
    }
    case 'qemu-vdagent':
      normalizeVdagent(sources[0]);
      break;
    default:
      break;
  }
  sortChildren(holder, CHR_CHILD_ORDER);
}

/** virDomainChrDefFormat writes the backend (sources, protocol, log) before the target and the rest. */
const CHR_CHILD_ORDER = ['source', 'protocol', 'log'];

/**
 * virDomainChrSourceDefParseQemuVdagent: `copypaste` and `mode` are required on their elements
 * (a mode of 'default' is no mode); the source is formatted clipboard first, and only when it sets one.
 */
function normalizeVdagent(src: XmlElement | undefined): void {
  if (!src) return;
  const clipboard = src.element('clipboard');
  if (clipboard) propYesNo(clipboard, 'copypaste', { required: true });
  const mouse = src.element('mouse');
  if (mouse) propEnum(mouse, 'mode', ['default', 'server', 'client'] as const, { required: true, nonzero: true });
  sortChildren(src, ['clipboard', 'mouse']);
}

/** Normalise the chardev backend of a device element, whatever kind it is. */
export function normalizeDeviceChardev(kind: string, el: XmlElement): void {
  if (CHR_DEVICES.includes(kind)) {
    const target = el.element('target');
    const ttype = target?.attr('type');
    const optional = kind === 'channel' && (ttype === 'virtio' || ttype === 'xen');
    normalizeChrSource(el, optional);
  } else if (kind === 'smartcard') {
    if (el.attr('mode') === 'passthrough') normalizeChrSource(el, false);
  } else if (kind === 'redirdev') {
    normalizeChrSource(el, false);
  } else if (kind === 'rng') {
    const backend = el.element('backend');
    if (backend && backend.attr('model') === 'egd') normalizeChrSource(backend, false);
  }
}
