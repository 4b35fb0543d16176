/**
 * A CPU definition as libvirt's x86 CPU code reads it (virCPUDefParseXML): a host CPU (with
 * `<arch>`) or a guest CPU, its model, vendor and features with their policies.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';

/** A feature's policy in a CPU definition. */
export type FeaturePolicy = 'force' | 'require' | 'optional' | 'disable' | 'forbid';

/** A feature of a CPU definition. */
export interface CpuFeature {
  name: string;
  policy: FeaturePolicy;
}

/** A CPU definition as x86Compute reads it. */
export interface CpuDef {
  /** A host CPU (it has `<arch>`): its features are all required. */
  host: boolean;
  arch?: string;
  vendor?: string;
  model?: string;
  match: string;
  features: CpuFeature[];
}

/** virCPUDefParseXML's reading of the fields the comparison uses. */
export function parseCpuDef(xml: string): CpuDef {
  let el: XmlElement;
  try {
    el = parseXml(xml);
  } catch (e) {
    throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_XML, (e as Error).message);
  }
  if (el.name !== 'cpu')
    throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_CPU, "XML does not contain expected 'cpu' element");
  const host = el.attr('type') ? el.attr('type') === 'host' : el.element('arch') !== undefined;
  return {
    host,
    arch: el.element('arch')?.text().trim(),
    vendor: el.element('vendor')?.text().trim(),
    model: el.element('model')?.text().trim(),
    match: el.attr('match') ?? 'exact',
    features: el.elements('feature').map((f) => ({
      name: f.attr('name') ?? '',
      policy: (host ? 'require' : (f.attr('policy') ?? 'require')) as FeaturePolicy,
    })),
  };
}
