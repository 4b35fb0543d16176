/**
 * Serial ports, parallel ports and consoles: target port numbering, and the old meaning of the
 * first `<console>` of an HVM guest, which stands for serial port 0 (libvirt keeps a serial
 * device behind it and writes that device back in the console's place).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { XmlElement } from '../tree';
import { mkEl, orderAttrs } from './node';
import type { DomainDef, DomainDevice } from './types';

/** Children written after a chardev's `<target>` (the device-info block). */
const AFTER_TARGET = ['alias', 'address', 'acpi'];

function setTarget(el: XmlElement, target: XmlElement): void {
  const i = el.children.findIndex((c) => c.kind === 'element' && c.name === 'target');
  if (i >= 0) {
    el.children[i] = target;
    return;
  }
  const after = el.children.findIndex((c) => c.kind === 'element' && AFTER_TARGET.includes(c.name));
  if (after >= 0) el.children.splice(after, 0, target);
  else el.children.push(target);
}

function targetOf(el: XmlElement): XmlElement {
  let target = el.element('target');
  if (!target) {
    target = mkEl('target');
    setTarget(el, target);
  }
  return target;
}

function targetPort(dev: DomainDevice): number | undefined {
  const p = dev.el.element('target')?.attr('port');
  return p === undefined || !/^\d+$/.test(p) ? undefined : Number(p);
}

/**
 * Serial and parallel ports without a port number get one more than the highest port of their
 * kind, counting every device of that kind numbered so far (those after it too); consoles are
 * numbered by position, whatever port they name.
 */
export function numberChrTargets(def: DomainDef): void {
  for (const kind of ['serial', 'parallel']) {
    const devs = def.devices.filter((d) => d.kind === kind);
    let max = Math.max(-1, ...devs.map((d) => targetPort(d) ?? -1));
    for (const dev of devs) {
      if (targetPort(dev) === undefined) setPort(dev.el, ++max);
    }
  }
  def.devices.filter((d) => d.kind === 'console').forEach((dev, i) => setPort(dev.el, i));
}

function setPort(el: XmlElement, port: number): void {
  const target = targetOf(el);
  target.attrs.set('port', String(port));
  orderAttrs(target, ['type', 'port']);
}

/** Whether a console is of serial type (or of no type, which HVM guests read as serial). */
function isSerialConsole(dev: DomainDevice): boolean {
  const type = dev.el.element('target')?.attr('type');
  return type === undefined || type === 'serial';
}

function serialConsoleStub(): XmlElement {
  // Never written: the serial port it stands for is written in its place.
  return mkEl(
    'console',
    [['type', 'null']],
    [
      mkEl('target', [
        ['type', 'serial'],
        ['port', 0],
      ]),
    ],
  );
}

/**
 * virDomainDefAddConsoleCompat: in an HVM guest, a first console of serial type with no serial
 * port becomes serial port 0 and the console an alias of it; a first console of serial type next
 * to existing serial ports is an alias of serial port 0; and an ISA (or untyped) serial port 0
 * without a serial console gets one. Only the first console may be of serial type.
 */
export function addConsoleCompat(def: DomainDef): void {
  const consoles = def.devices.filter((d) => d.kind === 'console');
  if (consoles.slice(1).some(isSerialConsole)) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_DOMAIN,
      'Only the first console can be a serial port',
    );
  }
  if (def.os.type !== 'hvm') return;
  const serials = def.devices.filter((d) => d.kind === 'serial');
  const first = consoles[0];
  if (first && isSerialConsole(first)) {
    if (serials.length === 0) {
      first.kind = 'serial';
      first.el.name = 'serial';
      setTarget(first.el, mkEl('target', [['port', 0]]));
      def.devices.push({ kind: 'console', el: serialConsoleStub() });
    } else {
      const target = targetOf(first.el);
      target.attrs.set('type', 'serial');
      orderAttrs(target, ['type', 'port']);
    }
    return;
  }
  const serialType = serials[0]?.el.element('target')?.attr('type');
  if (serials.length && (serialType === undefined || serialType === 'isa-serial')) {
    const idx = first ? def.devices.indexOf(first) : def.devices.length;
    def.devices.splice(idx, 0, { kind: 'console', el: serialConsoleStub() });
  }
}

/** The serial port a console stands for: in HVM guests, a serial-type console at position N is serial port N. */
export function serialBehindConsole(def: DomainDef, dev: DomainDevice): DomainDevice | undefined {
  const index = def.devices.filter((d) => d.kind === 'console').indexOf(dev);
  if (index < 0 || def.os.type !== 'hvm' || !isSerialConsole(dev)) return undefined;
  return def.devices.filter((d) => d.kind === 'serial')[index];
}

/** Turn the element written for `serial` into the console standing for it. */
export function asSerialConsole(el: XmlElement, serial: DomainDevice): XmlElement {
  el.name = 'console';
  setTarget(
    el,
    mkEl('target', [
      ['type', 'serial'],
      ['port', targetPort(serial) ?? 0],
    ]),
  );
  return el;
}
