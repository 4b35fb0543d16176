/** The `lxc-tools` native format: LXC container configurations read as domain definitions. */
import type { Capabilities, DomainDef } from '@virtkit/xml';
import { parseLxcDomain } from '../domains/xml';
import { lxcConfigDocument } from './to-xml';

/** lxcParseConfigString: an LXC configuration as a (live-parsed) definition of the LXC driver. */
export function lxcConfigToDomain(config: string, caps: Capabilities): DomainDef {
  const doc = lxcConfigDocument(config);
  const def = parseLxcDomain(doc.xml, caps, false);
  // libvirt builds this definition in memory: the XML parser's default architecture never applies.
  if (!doc.hasArch) def.os.arch = undefined;
  return def;
}
