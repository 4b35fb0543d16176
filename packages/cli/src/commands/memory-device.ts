/**
 * update-memory-device: one `<memory>` device of the domain XML, chosen by --node or --alias,
 * its virtio-mem `<requested>` size set, printed (--print-xml) or handed to
 * virDomainUpdateDeviceFlags, as virsh 9.0 does. The device is cut from the XML text so it prints
 * as libxml2 dumps a node (double quotes, the document's own indentation).
 */
import { DomainModificationImpact as Impact, DomainXMLFlags } from '@virtkit/core';
import { parseXml } from '@virtkit/xml';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str, uint } from '../opt';
import { scaled } from '../opt-numbers';
import type { CmdDef } from '../types';
import { libxmlQuotes } from './disk-xml';

const ULLONG_MAX = 0xffffffffffffffffn;

/** The texts of the `<memory>` elements under `<devices>`, in order. */
function memoryDeviceTexts(xml: string): string[] {
  const devices = /<devices>[\s\S]*<\/devices>/.exec(xml)?.[0] ?? '';
  return devices.match(/<memory[\s>][\s\S]*?<\/memory>|<memory\b[^>]*\/>/g) ?? [];
}

export const memoryDeviceCommands: CmdDef[] = [
  {
    name: 'update-memory-device',
    group: 'domain',
    help: 'update memory device of a domain',
    opts: [],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'current', 'live');
      exclusive(ctl, opts, 'current', 'config');
      exclusive(ctl, opts, 'node', 'alias');
      let flags = 0;
      if (flag(opts, 'config')) flags |= Impact.VIR_DOMAIN_AFFECT_CONFIG;
      if (flag(opts, 'live')) flags |= Impact.VIR_DOMAIN_AFFECT_LIVE;
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const xml = await dom.getXMLDesc(flags & Impact.VIR_DOMAIN_AFFECT_CONFIG ? DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE : 0);
      const alias = str(ctl, opts, 'alias');
      const node = uint(ctl, opts, 'node');
      const devices = parseXml(xml).element('devices')?.elements('memory') ?? [];
      const texts = memoryDeviceTexts(xml);
      const chosen = devices
        .map((d, i) => ({ d, text: texts[i] ?? '' }))
        .filter(({ d }) => {
          const target = d.elements('target');
          if (node !== null) return target.some((t) => t.elements('node').some((n) => n.text() === String(node)));
          if (alias !== null) return d.elements('alias').some((a) => a.attr('name') === alias);
          return true;
        });
      if (chosen.length === 0) ctl.fail('no memory device found');
      if (chosen.length > 1) ctl.fail('multiple memory devices found, use --alias or --node to select one');
      let text = libxmlQuotes(chosen[0]!.text);
      if (opts.has('requested-size')) {
        const bytes = scaled(ctl, opts, 'requested-size', 1024n, ULLONG_MAX)!;
        const kib = (bytes + 1023n) / 1024n;
        const requested = /<requested\b[^>]*?(\/>|>[\s\S]*?<\/requested>)/;
        if (!chosen[0]!.d.elements('target').some((t) => t.element('requested'))) ctl.fail('virtio-mem device is missing <requested/>');
        text = text.replace(requested, (m: string, end: string) =>
          end === '/>' ? `${m.slice(0, -2)}>${kib}</requested>` : `${m.slice(0, m.indexOf('>') + 1)}${kib}</requested>`,
        );
      }
      if (flag(opts, 'print-xml')) ctl.print(text);
      else await dom.updateDeviceFlags(text, flags);
      return true;
    },
  },
];
