/**
 * testDomainObjCheckTaint: the taints (and the one deprecation) the test driver records for a
 * domain it loads from a node file, read from the domain's XML as given. Domains defined through
 * the API are never tainted by the test driver.
 */
import { DomainTaintFlag, type Taint, type XmlElement } from '@virtkit/xml';

/** The taints the test driver looks for. */
export const DomainTaint = {
  HIGH_PRIVILEGES: DomainTaintFlag.HIGH_PRIVILEGES,
  SHELL_SCRIPTS: DomainTaintFlag.SHELL_SCRIPTS,
  CDROM_PASSTHROUGH: DomainTaintFlag.CDROM_PASSTHROUGH,
  CUSTOM_DTB: DomainTaintFlag.CUSTOM_DTB,
  DEPRECATED_CONFIG: DomainTaintFlag.DEPRECATED_CONFIG,
} as const;

/** The taints of one `<domain>` element (disks, SCSI hostdevs, interface scripts, CPU model, dtb). */
export function domainTaint(domain: XmlElement): Taint {
  let taint = 0;
  const deprecations: string[] = [];
  const mark = (bit: number): void => {
    taint |= 1 << bit;
  };
  const devices = domain.element('devices');
  for (const disk of devices?.elements('disk') ?? []) {
    if (disk.attr('rawio') === 'yes') mark(DomainTaint.HIGH_PRIVILEGES);
    if (disk.attr('device') === 'cdrom' && disk.attr('type') === 'block' && disk.element('source')?.attr('dev')) {
      mark(DomainTaint.CDROM_PASSTHROUGH);
    }
  }
  for (const hostdev of devices?.elements('hostdev') ?? []) {
    if (hostdev.attr('type') === 'scsi' && hostdev.attr('rawio') === 'yes') mark(DomainTaint.HIGH_PRIVILEGES);
  }
  for (const net of devices?.elements('interface') ?? []) {
    if (net.element('script')?.attr('path') !== undefined) mark(DomainTaint.SHELL_SCRIPTS);
  }
  const cpu = domain.element('cpu');
  // A <cpu> without mode is custom mode.
  if (cpu && (cpu.attr('mode') ?? 'custom') === 'custom' && cpu.childText('model')?.trim() === 'Deprecated-Test') {
    mark(DomainTaint.DEPRECATED_CONFIG);
    deprecations.push('CPU model Deprecated-Test');
  }
  if (domain.element('os')?.element('dtb')) mark(DomainTaint.CUSTOM_DTB);
  return { taint, deprecations };
}
