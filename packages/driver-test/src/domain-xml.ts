import { formatDomainXml as coreFormat, parseDomainXml as coreParse, type DomainDef, type XmlElement } from '@virtkit/xml';
import { TEST_DEFAULT_ARCH, testDomainPostParse } from './domain-postparse';

export type { DomainDef };
export { generateIfnames, testNamespaceOf, type TestNamespace } from './domain-postparse';

/** Parse `<domain>` as an inactive definition (virDomainDefParseString with the test driver's xmlopt). */
export function parseDomainXml(src: string | XmlElement): DomainDef {
  return coreParse(src, { inactive: true, hostArch: TEST_DEFAULT_ARCH, postParse: testDomainPostParse });
}

export interface DomainFormatOptions {
  /** The runtime id, written when the definition is live (not `inactive`). */
  id?: number;
  inactive?: boolean;
  secure?: boolean;
}

/** virDomainDefFormat. */
export function formatDomainXml(def: DomainDef, opts: DomainFormatOptions = {}): string {
  const id = opts.id ?? def.id;
  return coreFormat(id === def.id ? def : { ...def, id }, { inactive: opts.inactive, secure: opts.secure });
}

/** A deep copy (virDomainDefCopy: format inactive + secure, parse again). */
export function copyDomainDef(def: DomainDef): DomainDef {
  return parseDomainXml(formatDomainXml(def, { id: -1, inactive: true, secure: true }));
}

/** What snapshots and checkpoints need to know of a disk. */
export interface DomainDisk {
  dst: string;
  device: string;
  hasSource: boolean;
  readonly: boolean;
}

/** The disks of a definition, in device order. */
export function domainDisks(def: DomainDef): DomainDisk[] {
  return def.devices
    .filter((d) => d.disk)
    .map((d) => ({
      dst: d.disk!.targetDev,
      device: d.disk!.device,
      hasSource: d.disk!.source.path !== undefined,
      readonly: d.el.element('readonly') !== undefined,
    }));
}

/** Maximum memory in KiB. */
export const maxMemory = (def: DomainDef): number => Number(def.memory);
/** Current memory in KiB. */
export const currentMemory = (def: DomainDef): number => Number(def.currentMemory);
/** Current vCPU count. */
export { onlineVcpus as vcpus } from '@virtkit/xml';
