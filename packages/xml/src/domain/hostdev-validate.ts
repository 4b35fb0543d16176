/**
 * virDomainDefHostdevValidate: no host device twice, and at most one mediated device with a
 * ramfb display.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { serializeElement } from '../preserved';
import type { DomainDef } from './types';

export function validateHostdevs(def: DomainDef): void {
  const hostdevs = def.devices.filter((d) => d.kind === 'hostdev');
  // The same mode, type and source is the same host device (virDomainHostdevMatch).
  const seen = new Set<string>();
  for (const d of hostdevs) {
    const source = d.el.element('source');
    const key = `${d.el.attr('mode') ?? 'subsystem'} ${d.el.attr('type') ?? ''} ${source ? serializeElement(source) : ''}`;
    if (seen.has(key)) throw VirError.xml('Hostdev already exists in the domain configuration', ErrorDomain.VIR_FROM_DOMAIN);
    seen.add(key);
  }
  const ramfb = hostdevs.filter((d) => d.el.attr('type') === 'mdev' && d.el.attr('ramfb') === 'on');
  if (ramfb.length > 1) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_DOMAIN,
      "Only one vgpu device can have 'ramfb' enabled",
    );
  }
}
