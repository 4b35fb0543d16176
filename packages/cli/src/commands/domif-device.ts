/**
 * The NIC device commands of virsh: attach-interface and detach-interface (virsh-domain.c) and
 * domif-setlink / domif-getlink, with virsh's XML, option rules and texts. An interface cut out
 * of the domain XML is sent as libxml2 dumps it (double-quoted attributes, the document's
 * indentation), as virsh sends it.
 */
import { DomainDeviceModifyFlags as F, DomainXMLFlags, type Domain } from '@virtkit/core';
import { parseXml, type XmlElement } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { flag, req, str } from '../opt';
import type { CmdDef, Opts } from '../types';
import { escapeXml } from '../xmlinfo';
import { modifyFlags } from './device';
import { libxmlQuotes } from './disk-xml';
import { DOMAIN_OPT } from './shared-options';

const TYPES = new Set(['network', 'bridge', 'direct', 'vhostuser', 'hostdev']);
const RATE_FIELDS = ['average', 'peak', 'burst', 'floor'];

const isMac = (s: string) => /^([0-9a-f]{1,2}[:-]){5}[0-9a-f]{1,2}$/i.test(s);
const sameMac = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** virshParseRateStr: `average[,peak[,burst[,floor]]]` as attributes. */
function rateAttrs(ctl: Ctl, text: string): string {
  return text
    .split(',')
    .map((v, i) => {
      const name = RATE_FIELDS[i];
      if (!name || !/^\d+$/.test(v)) ctl.fail(`field '${name ?? RATE_FIELDS[0]}' is malformed`);
      return ` ${name}='${v}'`;
    })
    .join('');
}

/** The `<source>` of a new interface of `type`. */
function sourceXml(ctl: Ctl, type: string, source: string, mode: string | null): string {
  const e = escapeXml(source);
  if (type === 'network') return `  <source network='${e}'/>\n`;
  if (type === 'bridge') return `  <source bridge='${e}'/>\n`;
  if (type === 'direct') return `  <source dev='${e}'/>\n`;
  if (type === 'vhostuser') return `  <source type='unix' path='${e}' mode='${mode}'/>\n`;
  const m = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(source);
  if (!m) ctl.fail(`cannot parse pci address '${source}' for network interface`);
  const hex = (v: string | undefined, w: number) => `0x${(v ?? '0').padStart(w, '0')}`;
  return `  <source>\n    <address type='pci' domain='${hex(m[1], 4)}' bus='${hex(m[2], 2)}' slot='${hex(m[3], 2)}' function='${hex(m[4], 1)}'/>\n  </source>\n`;
}

/** cmdAttachInterface's XML. */
function attachInterfaceXml(ctl: Ctl, opts: Opts): string {
  const type = req(ctl, opts, 'type');
  const source = req(ctl, opts, 'source');
  const mode = str(ctl, opts, 'source-mode');
  if (mode !== null && mode !== 'server' && mode !== 'client') ctl.fail(`Invalid source mode: ${mode}`);
  if (!TYPES.has(type)) ctl.fail(`No support for ${type} in command 'attach-interface'`);
  if (type === 'vhostuser' && mode === null) ctl.fail('source-mode is mandatory');
  const managed = flag(opts, 'managed') && type === 'hostdev';
  let xml = `<interface type='${type}'${managed ? " managed='yes'" : ''}>\n${sourceXml(ctl, type, source, mode)}`;
  const el = (opt: string, tag: string, attr: string) => {
    const v = str(ctl, opts, opt);
    if (v !== null) xml += `  <${tag} ${attr}='${escapeXml(v)}'/>\n`;
  };
  el('target', 'target', 'dev');
  el('mac', 'mac', 'address');
  el('script', 'script', 'path');
  el('model', 'model', 'type');
  el('alias', 'alias', 'name');
  const inbound = str(ctl, opts, 'inbound');
  const outbound = str(ctl, opts, 'outbound');
  if (inbound !== null || outbound !== null) {
    xml += '  <bandwidth>\n';
    if (inbound !== null) xml += `    <inbound${rateAttrs(ctl, inbound)}/>\n`;
    if (outbound !== null) xml += `    <outbound${rateAttrs(ctl, outbound)}/>\n`;
    xml += '  </bandwidth>\n';
  }
  return `${xml}</interface>\n`;
}

/** The `<interface>` elements of a domain XML with their text as libxml2 dumps them. */
function interfacesOf(domainXml: string): Array<{ el: XmlElement; text: string }> {
  const els = parseXml(domainXml).element('devices')?.elements('interface') ?? [];
  const texts = domainXml.match(/<interface[\s>][\s\S]*?<\/interface>|<interface[^>]*\/>/g) ?? [];
  return els.map((el, i) => ({ el, text: libxmlQuotes(texts[i] ?? '') }));
}

/** virshDomainGetEditMetadata's choice for NIC commands: the persistent XML for --config. */
async function domainXml(dom: Domain, config: boolean): Promise<string> {
  return dom.getXMLDesc(config ? DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE : 0);
}

/** The NIC named by MAC address or host device name, as domif-getlink/setlink find it. */
function findByMacOrDev(nics: Array<{ el: XmlElement; text: string }>, iface: string) {
  return nics.find(({ el }) =>
    isMac(iface) ? sameMac(el.element('mac')?.attr('address'), iface) : el.element('target')?.attr('dev') === iface,
  );
}

export const domifDeviceCommands: CmdDef[] = [
  {
    name: 'attach-interface',
    group: 'domain',
    help: 'attach network interface',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const xml = attachInterfaceXml(ctl, opts);
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      const { flags, explicit } = await modifyFlags(ctl, opts, dom);
      await ctl.attempt('Failed to attach interface', () => (explicit ? dom.attachDeviceFlags(xml, flags) : dom.attachDevice(xml)));
      ctl.printExtra('Interface attached successfully\n');
      return true;
    },
  },
  {
    name: 'detach-interface',
    group: 'domain',
    help: 'detach network interface',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const type = req(ctl, opts, 'type');
      const mac = str(ctl, opts, 'mac');
      const { flags, explicit } = await modifyFlags(ctl, opts, dom);
      const nics = interfacesOf(
        await domainXml(dom, (flags & F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG) !== 0 && !(flags & F.VIR_DOMAIN_DEVICE_MODIFY_LIVE)),
      );
      const ofType = nics.filter(({ el }) => el.attr('type') === type);
      const fail = (why: string): never => {
        ctl.error(why);
        return ctl.fail('Failed to detach interface');
      };
      if (!ofType.length) fail(`No interface found whose type is ${type}`);
      const found = mac === null ? ofType : ofType.filter(({ el }) => sameMac(el.element('mac')?.attr('address'), mac));
      if (mac !== null && !found.length) fail(`No interface with MAC address ${mac} was found`);
      if (found.length > 1) fail(`Domain has ${found.length} interfaces. Please specify which one to detach using --mac`);
      const text = found[0]!.text;
      if (flag(opts, 'print-xml')) {
        ctl.print(`${text}\n`);
        return true;
      }
      await ctl.attempt('Failed to detach interface', () => (explicit ? dom.detachDeviceFlags(text, flags) : dom.detachDevice(text)));
      ctl.printExtra('Interface detached successfully\n');
      return true;
    },
  },
  {
    name: 'domif-setlink',
    group: 'domain',
    help: 'set link state of a virtual interface',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const iface = req(ctl, opts, 'interface');
      const state = req(ctl, opts, 'state');
      const config = flag(opts, 'config');
      if (state !== 'up' && state !== 'down') ctl.fail(`invalid link state '${state}'`);
      const found = findByMacOrDev(interfacesOf(await domainXml(dom, config)), iface);
      if (!found) return ctl.fail(`interface '${iface}' not found`);
      // libxml2 edits the node: an existing <link> gets the state, else one is appended last.
      const text = /<link\b[^>]*\/>/.test(found.text)
        ? found.text.replace(/<link\b[^>]*\/>/, `<link state="${state}"/>`)
        : found.text.replace(/<\/interface>$/, `<link state="${state}"/></interface>`);
      if (flag(opts, 'print-xml')) {
        ctl.print(`${text}\n`);
        return true;
      }
      const flags = config || !(await dom.isActive()) ? F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG : F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;
      await ctl.attempt('Failed to update interface link state', () => dom.updateDeviceFlags(text, flags));
      ctl.printExtra('Device updated successfully\n');
      return true;
    },
  },
  {
    name: 'domif-getlink',
    group: 'domain-monitor',
    help: 'get link state of a virtual interface',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const iface = req(ctl, opts, 'interface');
      const found = findByMacOrDev(interfacesOf(await domainXml(dom, flag(opts, 'config'))), iface);
      if (!found) return ctl.fail(`Interface (${isMac(iface) ? 'mac' : 'dev'}: ${iface}) not found.`);
      // virsh prints no newline of its own: the blank line after the command ends the line.
      ctl.print(`${iface} ${found.el.element('link')?.attr('state') ?? 'up'}`);
      return true;
    },
  },
];
