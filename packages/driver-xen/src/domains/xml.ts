/** Reading domain XML for the Xen driver: only `type='xen'` guests of the host's capabilities. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { mkEl, parseDomainXml, type Capabilities, type DomainDef } from '@virtkit/xml';

/** libxlDomainDefPostParse, its console part: a paravirtual guest always has a PV console. */
function addPvConsole(def: DomainDef): void {
  if (def.os.type === 'hvm' || def.devices.some((d) => d.kind === 'console')) return;
  const target = mkEl('target', [
    ['type', 'xen'],
    ['port', '0'],
  ]);
  def.devices.push({ kind: 'console', el: mkEl('console', [['type', 'pty']], [target]) });
}

export function parseXenDomain(xml: string, caps: Capabilities, inactive: boolean): DomainDef {
  const def = parseDomainXml(xml, { inactive, hostArch: caps.host.cpu.arch });
  if (def.name.includes('/')) {
    throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN, `name ${def.name} cannot contain '/'`);
  }
  const arch = def.os.arch ?? caps.host.cpu.arch;
  // Paravirt guests are spelled 'linux' in definitions and 'xen' in capabilities.
  const osType = def.os.type === 'linux' ? 'xen' : def.os.type;
  const supported = caps.guests.some((g) => g.osType === osType && g.arch === arch && g.domains.some((d) => d.type === def.virtType));
  if (!supported) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INVALID_ARG,
      ErrorDomain.VIR_FROM_CAPABILITIES,
      `could not find capabilities for ostype=${osType} arch=${arch} domaintype=${def.virtType}`,
    );
  }
  addPvConsole(def);
  return def;
}
