/** domxml-to-native: a domain's XML (of a domain, or from a file) in a hypervisor's native format. */
import { ErrorDomain, ErrorNumber, VirError, type Connect } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, req, str } from '../opt';
import { readXmlFile } from './domain-lifecycle';

/**
 * virConnectDomainXMLToNative. The API does not define this call yet, so no driver can serve
 * it: vsh makes libvirt's checks (a read-only connection is refused first) and then fails as
 * for any driver without the call. Once the call is generated this becomes
 * `conn.domainXMLToNative(format, xml, 0)`; driver-qemu has the converter (domainXmlToQemuArgv).
 */
async function domainXmlToNative(conn: Connect, _format: string, _xml: string): Promise<string> {
  const c = 'virConnectDomainXMLToNative';
  if (conn.isReadOnly()) {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_DENIED, ErrorDomain.VIR_FROM_NONE, `read only access prevents ${c}`);
  }
  throw VirError.noSupport(c);
}

export const nativeCommands: CmdDef[] = [
  {
    name: 'domxml-to-native', group: 'domain', help: 'Convert domain XML to native config',
    opts: [{ name: 'format', type: 'string', required: true }, { name: 'domain', type: 'string', namedOnly: true },
      { name: 'xml', type: 'string' }],
    async handler(ctl, opts) {
      const format = req(ctl, opts, 'format');
      exclusive(ctl, opts, 'domain', 'xml');
      const domText = str(ctl, opts, 'domain');
      const file = str(ctl, opts, 'xml');
      if (domText === null && file === null) ctl.fail('need either domain or domain XML');
      const xml = domText !== null ? await (await lookupDomain(ctl, domText)).getXMLDesc() : readXmlFile(file!);
      ctl.print(await domainXmlToNative(ctl.c, format, xml));
      return true;
    },
  },
];
