/**
 * domxml-to-native and domxml-from-native: a domain's XML (of a domain, or from a file) in a
 * hypervisor's native format, and a native configuration file as domain XML.
 */
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, req, str } from '../opt';
import { readXmlFile } from './shared-options';

export const nativeCommands: CmdDef[] = [
  {
    name: 'domxml-to-native',
    group: 'domain',
    help: 'Convert domain XML to native config',
    opts: [
      { name: 'format', type: 'string', required: true },
      { name: 'domain', type: 'string', namedOnly: true },
      { name: 'xml', type: 'string' },
    ],
    async handler(ctl, opts) {
      const format = req(ctl, opts, 'format');
      exclusive(ctl, opts, 'domain', 'xml');
      const domText = str(ctl, opts, 'domain');
      const file = str(ctl, opts, 'xml');
      if (domText === null && file === null) ctl.fail('need either domain or domain XML');
      const xml = domText !== null ? await (await lookupDomain(ctl, domText)).getXMLDesc() : readXmlFile(file!);
      ctl.print(await ctl.c.domainXMLToNative(format, xml));
      return true;
    },
  },
  {
    name: 'domxml-from-native',
    group: 'domain',
    help: 'Convert native config to domain XML',
    opts: [
      { name: 'format', type: 'string', required: true },
      { name: 'config', type: 'string', required: true },
    ],
    async handler(ctl, opts) {
      const format = req(ctl, opts, 'format');
      const config = readXmlFile(req(ctl, opts, 'config'));
      ctl.print(await ctl.c.domainXMLFromNative(format, config));
      return true;
    },
  },
];
