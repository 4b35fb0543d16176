/** domxml-to-native: a domain's XML (of a domain, or from a file) in a hypervisor's native format. */
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
];
