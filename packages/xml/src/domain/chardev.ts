/**
 * Character device backends (serial, parallel, console, channel, and the chardev inside
 * smartcards, redirdevs and RNG backends): the checks of virDomainChrSourceDefValidate and the
 * normalisation libvirt's formatter applies (default `mode`, `<protocol type='raw'/>`).
 */
import { VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { mkEl, orderAttrs } from './node';

const CHR_TYPES = [
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

function missing(what: string): VirError {
  const e = VirError.xml(`Missing source ${what} attribute for char device`);
  VALIDATION_ERRORS.add(e);
  return e;
}

/** Whether a chardev error belongs to the validation phase (virDomainChrSourceDefValidate). */
export function isChrValidationError(e: unknown): e is VirError {
  return e instanceof Error && VALIDATION_ERRORS.has(e);
}

/**
 * Check and normalise the backend held by `holder` (whose `type` attribute names it).
 * `pathOptional` is true for virtio/xen channels, whose UNIX socket path can be generated.
 */
export function normalizeChrSource(holder: XmlElement, pathOptional: boolean): void {
  const type = holder.attr('type') ?? 'pty';
  if (!CHR_TYPES.includes(type)) throw VirError.xml(`unknown type presented to host for character device: ${type}`);
  const sources = holder.elements('source');
  switch (type) {
    case 'tcp': {
      if (sources.length > 1) throw VirError.xml('Multiple source elements are not allowed for a TCP character device');
      const src = sources[0];
      if (!src || src.attr('host') === undefined) throw missing('host');
      if (src.attr('service') === undefined) throw missing('service');
      if (src.attr('mode') === undefined) src.attrs.set('mode', 'connect');
      orderAttrs(src, ['mode', 'host', 'service', 'tls']);
      if (!holder.element('protocol')) {
        const idx = holder.children.indexOf(src);
        holder.children.splice(idx + 1, 0, mkEl('protocol', [['type', 'raw']]));
      }
      break;
    }
    case 'udp': {
      for (const src of sources) {
        const mode = src.attr('mode') ?? 'connect';
        if (mode === 'connect' && src.attr('service') === undefined) throw missing('service');
      }
      if (!sources.some((s) => (s.attr('mode') ?? 'connect') === 'connect')) throw missing('service');
      break;
    }
    case 'unix': {
      const src = sources[0];
      const path = src?.attr('path');
      if (!path) {
        if (!pathOptional) throw missing('path');
        if (src && src.attr('mode') !== 'bind') holder.children.splice(holder.children.indexOf(src), 1);
        break;
      }
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
    default:
      break;
  }
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
