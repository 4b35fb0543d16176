/**
 * A domain's taints and their messages (libvirt's virDomainTaintFlags, virDomainTaintMessage and
 * virDomainObjGetMessages), shared by the drivers that record taints.
 */

/** virDomainTaintFlags: bit numbers, in virDomainTaintMessage's order. */
export const DomainTaintFlag = {
  CUSTOM_ARGV: 0,
  CUSTOM_MONITOR: 1,
  HIGH_PRIVILEGES: 2,
  SHELL_SCRIPTS: 3,
  DISK_PROBING: 4,
  EXTERNAL_LAUNCH: 5,
  HOST_CPU: 6,
  HOOK: 7,
  CDROM_PASSTHROUGH: 8,
  CUSTOM_DTB: 9,
  CUSTOM_GA_COMMAND: 10,
  CUSTOM_HYPERVISOR_FEATURE: 11,
  DEPRECATED_CONFIG: 12,
  CUSTOM_DEVICE: 13,
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
  /** Bit set of DomainTaintFlag values. */
  taint: number;
  deprecations: string[];
}

/** virDomainObjGetMessages: `tainted: …` lines in bit order, then `deprecated configuration: …`. */
export function taintMessages(t: Taint, tainting: boolean, deprecation: boolean): string[] {
  const out: string[] = [];
  if (tainting) TAINT_MESSAGES.forEach((m, bit) => t.taint & (1 << bit) && out.push(`tainted: ${m}`));
  if (deprecation) out.push(...t.deprecations.map((d) => `deprecated configuration: ${d}`));
  return out;
}
