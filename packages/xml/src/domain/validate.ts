/**
 * Generic validation of a post-processed definition (virDomainDefValidate's driver-independent
 * checks that virtkit implements).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { validateDisk, validateDriveAddresses } from './disk-validate';
import { validateHostdevs } from './hostdev-validate';
import { validateOsFirmware } from './os-validate';
import type { DomainDef } from './types';

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);

/** What the driver supports that changes the generic rules. */
export interface ValidateFeatures {
  firmwareAutoselect: boolean;
}

export function validateDomainDef(def: DomainDef, features: ValidateFeatures): void {
  if (def.vcpuCurrent !== undefined && def.vcpuCurrent > def.vcpu) {
    throw unsupported('requested vcpus is greater than max allowable vcpus for the live domain');
  }
  for (const d of def.devices) if (d.disk) validateDisk(d);
  const targets = new Map<string, string | undefined>();
  for (const d of def.devices) {
    if (!d.disk) continue;
    if (targets.has(d.disk.targetDev)) {
      const a = targets.get(d.disk.targetDev) ?? '<null>';
      const b = d.disk.source.path ?? '<null>';
      throw VirError.xml(`target '${d.disk.targetDev}' duplicated for disk sources '${a}' and '${b}'`);
    }
    targets.set(d.disk.targetDev, d.disk.source.path);
  }
  validateDriveAddresses(def);
  validateHostdevs(def);
  const invalid = def.devices.find((d) => d.invalid)?.invalid;
  if (invalid) throw invalid;
  validateOsFirmware(def, features.firmwareAutoselect);
}
