/**
 * Commands that read a running domain's XML for how to reach it: domdisplay, vncdisplay,
 * ttyconsole and domiflist, with virsh's texts. Each `first*` helper answers what virsh's
 * `string(/domain/devices/...)` XPath gives: the first match in document order, null when empty.
 */
import * as net from 'node:net';
import { DomainXMLFlags, parseUri, type Domain } from '@virtkit/core';
import { parseXml, type XmlElement } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import { printTable } from '../table';
import type { CmdDef } from '../types';

/** string(graphics[@type=T]/@A): the first such attribute over all graphics of that type. */
function firstAttr(graphics: XmlElement[], name: string): string | null {
  for (const g of graphics) {
    const v = g.attr(name);
    if (v !== undefined) return v === '' ? null : v;
  }
  return null;
}

/** string(graphics[@type=T]/listen/@A). */
function firstListenAttr(graphics: XmlElement[], name: string): string | null {
  return firstAttr(
    graphics.flatMap((g) => g.elements('listen')),
    name,
  );
}

/** virXPathInt: the text as a whole decimal int, else null. */
function xpathInt(v: string | null): number | null {
  return v !== null && /^[+-]?\d+$/.test(v) && Math.abs(Number(v)) <= 0x7fffffff ? Number(v) : null;
}

/** virSocketAddrIsWildcard on a numeric address: 0.0.0.0 or ::. */
function isWildcard(addr: string): boolean {
  const kind = net.isIP(addr);
  if (kind === 4) return addr.split('.').every((p) => Number(p) === 0);
  if (kind === 6) return addr.split(/::|:/).every((p) => p === '' || /^0+$/.test(p));
  return false;
}

/** The domain's graphics devices of one type. */
function graphicsOf(root: XmlElement, type: string): XmlElement[] {
  return (root.element('devices')?.elements('graphics') ?? []).filter((g) => g.attr('type') === type);
}

/** virshGetOneDisplay: the URI of one graphics type, or null when the domain has no usable one. */
async function oneDisplay(ctl: Ctl, root: XmlElement, scheme: string): Promise<string | null> {
  const graphics = graphicsOf(root, scheme);
  if (scheme === 'dbus') {
    const addr = firstAttr(graphics, 'address');
    if (addr === null) return null;
    if (addr.startsWith('unix:path=')) return `dbus+unix://${addr.slice(10)}`;
    ctl.error(`'${addr}' D-Bus address is not handled`);
    return null;
  }
  let port = xpathInt(firstAttr(graphics, 'port')) ?? 0;
  const tlsPort = xpathInt(firstAttr(graphics, 'tlsPort')) ?? 0;
  let listen = firstAttr(graphics, 'listen');
  const sockpath = firstListenAttr(graphics, 'type') === 'socket' ? firstListenAttr(graphics, 'socket') : null;
  if (!port && !tlsPort && !sockpath) return null;
  if (listen === null) listen = firstListenAttr(graphics, 'address');
  else if (isWildcard(listen)) listen = parseUri(await ctl.c.getURI()).host || null;
  const passwd = firstAttr(graphics, 'passwd');
  let uri = sockpath ? `${scheme}+unix://` : `${scheme}://`;
  if (scheme === 'vnc' && passwd !== null) uri += `:${passwd}@`;
  if (sockpath) uri += sockpath;
  else if (listen === null) uri += 'localhost';
  else uri += listen.includes(':') ? `[${listen}]` : listen;
  if (port) {
    // VNC clients take the display number, the port less 5900.
    if (scheme === 'vnc') port -= 5900;
    uri += `:${port}`;
  }
  let query = '';
  if (tlsPort) query += `tls-port=${tlsPort}&`;
  if (scheme === 'spice' && passwd !== null) query += `password=${passwd}&`;
  return `${uri}?${query}`.slice(0, -1);
}

/** Fail with "Domain is not running" only on a definite "inactive" (virsh tests `!virDomainIsActive()`, and an error is -1). */
async function requireRunning(ctl: Ctl, dom: Domain): Promise<void> {
  if ((await dom.isActive().catch(() => true)) === false) ctl.fail('Domain is not running');
}

export const displayCommands: CmdDef[] = [
  {
    name: 'domdisplay',
    group: 'domain',
    help: 'domain display connection URI',
    opts: [],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'all', 'type');
      const name = req(ctl, opts, 'domain');
      const all = flag(opts, 'all');
      const secure = flag(opts, 'include-password') ? DomainXMLFlags.VIR_DOMAIN_XML_SECURE : 0;
      const dom = await lookupDomain(ctl, name);
      await requireRunning(ctl, dom);
      const type = str(ctl, opts, 'type');
      const root = parseXml(await dom.getXMLDesc(secure));
      let found = false;
      for (const scheme of ['vnc', 'spice', 'rdp', 'dbus']) {
        if (!all && type !== null && type !== scheme) continue;
        const display = await oneDisplay(ctl, root, scheme);
        if (display === null) continue;
        ctl.print(display);
        found = true;
        if (!all) break;
        ctl.print('\n');
      }
      if (!found) ctl.fail(type !== null ? `No graphical display with type '${type}' found` : 'No graphical display found');
      return true;
    },
  },
  {
    name: 'vncdisplay',
    group: 'domain',
    help: 'vnc display',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      await requireRunning(ctl, dom);
      const root = parseXml(await dom.getXMLDesc(0));
      const graphics = graphicsOf(root, 'vnc');
      const port = xpathInt(firstAttr(graphics, 'port'));
      if (port === null) return ctl.fail('Failed to get VNC port. Is this domain using VNC?');
      const listen = firstAttr(graphics, 'listen') ?? firstListenAttr(graphics, 'address');
      ctl.print(`${listen === null || listen === '0.0.0.0' ? '' : listen}:${port - 5900}\n`);
      return true;
    },
  },
  {
    name: 'ttyconsole',
    group: 'domain',
    help: 'tty console',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const root = parseXml(await dom.getXMLDesc(0));
      const consoles = root.element('devices')?.elements('console') ?? [];
      const tty = firstAttr(consoles, 'tty');
      // virsh fails here with no message of its own.
      if (tty === null) return false;
      ctl.print(`${tty}\n`);
      return true;
    },
  },
  {
    name: 'domiflist',
    group: 'monitor',
    help: 'list all domain virtual interfaces',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const root = parseXml(await dom.getXMLDesc(flag(opts, 'inactive') ? DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE : 0));
      const rows = (root.element('devices')?.elements('interface') ?? []).map((i) => {
        const one = (el: string, a: string) => firstAttr(i.elements(el), a) ?? '-';
        // The first of source's bridge|dev|network|name|path attributes, in the element's own order.
        const source = i
          .elements('source')
          .flatMap((s) => [...s.attrs].filter(([k, v]) => SOURCE_ATTRS.includes(k) && v !== ''))
          .map(([, v]) => v)[0];
        return [one('target', 'dev'), i.attr('type') ?? '', source ?? '-', one('model', 'type'), one('mac', 'address')];
      });
      printTable(ctl, ['Interface', 'Type', 'Source', 'Model', 'MAC'], rows);
      return true;
    },
  },
];

const SOURCE_ATTRS = ['bridge', 'dev', 'network', 'name', 'path'];
