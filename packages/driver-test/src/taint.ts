/**
 * testDomainObjCheckTaint: the taints (and the one deprecation) the test driver records for a
 * domain it loads from a node file, read from the domain's XML as given. Domains defined through
 * the API are never tainted by the test driver.
 */
import type { XmlElement } from '@virtkit/xml';

/** virDomainTaintFlags: bit numbers, in virDomainTaintMessage's order. */
export const DomainTaint = {
  HIGH_PRIVILEGES: 2,
  SHELL_SCRIPTS: 3,
  CDROM_PASSTHROUGH: 8,
  CUSTOM_DTB: 9,
  DEPRECATED_CONFIG: 12,
} as const;

/** virDomainTaintMessage, indexed by taint bit. */
export const TAINT_MESSAGES = [
  'custom configuration parameters specified',
  'custom monitor control commands issued',
  'running with undesirable elevated privileges',
  'network configuration using opaque shell scripts',
  'potentially unsafe disk format probing',
  'managing externally launched configuration',
  'potentially unsafe use of host CPU passthrough',
  'configuration potentially modified by hook script',
  'use of host cdrom passthrough',
  'custom device tree blob used',
  'custom guest agent control commands issued',
  'hypervisor feature autodetection override',
  'use of deprecated configuration settings',
  'custom device configuration',
];

export interface Taint {
  /** Bit set of DomainTaint values. */
  taint: number;
  deprecations: string[];
}

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

/** virDomainObjGetMessages: `tainted: …` lines in bit order, then `deprecated configuration: …`. */
export function taintMessages(t: Taint, tainting: boolean, deprecation: boolean): string[] {
  const out: string[] = [];
  if (tainting) TAINT_MESSAGES.forEach((m, bit) => t.taint & (1 << bit) && out.push(`tainted: ${m}`));
  if (deprecation) out.push(...t.deprecations.map((d) => `deprecated configuration: ${d}`));
  return out;
}
