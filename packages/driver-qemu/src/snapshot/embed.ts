import { PreservedDomain, formatDomainXml, parseXml, type DomainDef, type EmbeddedDomain } from '@virtkit/xml';
import type { BackupDisk } from '../backup/disks';
import { parseStored } from '../domains/parse';

/** The definition as a snapshot embeds it. */
export function embed(def: DomainDef): PreservedDomain {
  return new PreservedDomain(parseXml(formatDomainXml(def, { inactive: true, secure: true })));
}

/** The embedded definition as a domain definition (to revert to). */
export function embeddedDef(dom: EmbeddedDomain): DomainDef {
  return parseStored((dom as PreservedDomain).toXml(), false);
}

/** The embedded definition as `snapshot-dumpxml` writes it: without secrets unless asked. */
export function embeddedForFormat(dom: EmbeddedDomain | undefined, secure: boolean): EmbeddedDomain | undefined {
  if (!dom || secure) return dom;
  return new PreservedDomain(parseXml(formatDomainXml(embeddedDef(dom), { inactive: true, secure: false })));
}

const SOURCE_ATTR: Record<string, string> = { file: 'file', block: 'dev' };

/** The disks of an embedded definition, in device order. */
export function embeddedDisks(dom: EmbeddedDomain): BackupDisk[] {
  const devices = (dom as PreservedDomain).element.element('devices');
  return (devices?.elements('disk') ?? []).map((el) => {
    const type = el.attr('type') ?? 'file';
    const device = el.attr('device') ?? 'disk';
    const attr = SOURCE_ATTR[type];
    return {
      target: el.element('target')?.attr('dev') ?? '',
      type,
      path: attr ? el.element('source')?.attr(attr) : undefined,
      format: el.element('driver')?.attr('type'),
      readonly: !!el.element('readonly') || device === 'cdrom' || device === 'floppy',
    };
  });
}
