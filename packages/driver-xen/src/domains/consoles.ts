/**
 * The consoles of a running Xen domain (libvirt's libxlConsoleCallback and libxlDomainOpenConsole):
 * xenconsoled gives each PV console and emulated serial port a pty, named in xenstore; the live
 * definition records it as `<source path>`, and a console stream joins it.
 */
import { mkEl, type DomainDef, type DomainDevice } from '@virtkit/xml';
import { ErrorNumber } from '@virtkit/core';
import { libxlError } from '../errors';
import type { XenToolstack } from '../toolstack/xl';

const isPty = (d: DomainDevice) => d.el.attr('type') === 'pty';
const portOf = (d: DomainDevice) => Number(d.el.element('target')?.attr('port') ?? 0);
const aliasOf = (d: DomainDevice) => d.el.element('alias')?.attr('name');

/** The first console, or the serial port it stands for when its target is `serial` (libvirt keeps them as one). */
function primaryConsole(def: DomainDef): DomainDevice | undefined {
  const console = def.devices.find((d) => d.kind === 'console');
  if (console?.el.element('target')?.attr('type') === 'serial') return def.devices.find((d) => d.kind === 'serial');
  return console;
}

function setPtyPath(dev: DomainDevice, path: string | null): void {
  let source = dev.el.element('source');
  if (!path) {
    if (source) dev.el.children.splice(dev.el.children.indexOf(source), 1);
    return;
  }
  if (!source) {
    source = mkEl('source', []);
    dev.el.children.unshift(source);
  }
  source.attrs.set('path', path);
}

/** Name each serial port `serialN` and record the ptys of the consoles and serial ports of `live` (its `id` set). */
export async function recordConsoles(xl: XenToolstack, live: DomainDef): Promise<void> {
  const serials = live.devices.filter((d) => d.kind === 'serial');
  serials.forEach((d, i) => {
    if (aliasOf(d)) return;
    const alias = mkEl('alias', [['name', `serial${i}`]]);
    const at = d.el.children.findIndex((c) => c.kind === 'element' && c.name === 'address');
    d.el.children.splice(at >= 0 ? at : d.el.children.length, 0, alias);
  });
  const consoles = live.devices.filter((d) => d.kind === 'console').map((d, i) => (i === 0 ? primaryConsole(live)! : d));
  for (const dev of new Set([...consoles, ...serials])) {
    if (!isPty(dev)) continue;
    setPtyPath(dev, await xl.consoleTty(live.id, dev.kind === 'serial' ? 'serial' : 'pv', portOf(dev)));
  }
}

/**
 * The pty a console stream opens: the serial port with alias `devName`, else the first console
 * (through its serial port when it stands for one).
 */
export function consolePty(live: DomainDef, devName: string | null): string {
  const chr = devName === null ? primaryConsole(live) : live.devices.find((d) => d.kind === 'serial' && aliasOf(d) === devName);
  if (!chr) throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `cannot find character device ${devName ?? '<null>'}`);
  const path = chr.el.element('source')?.attr('path');
  if (!isPty(chr) || !path) {
    throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `character device ${devName ?? aliasOf(chr) ?? '<null>'} is not using a PTY`);
  }
  return path;
}
