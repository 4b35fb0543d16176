/**
 * `<features>` in virDomainDefFormatFeatures' shape: features in libvirt's enum order, and the
 * on/off features written with their state (an element without `state` was read as on).
 */
import type { XmlElement } from '../tree';
import { sortChildren } from './node';

/** virDomainFeature's order. */
const FEATURE_ORDER = [
  'acpi',
  'apic',
  'pae',
  'hap',
  'viridian',
  'privnet',
  'hyperv',
  'kvm',
  'pvspinlock',
  'capabilities',
  'pmu',
  'vmport',
  'gic',
  'smm',
  'ioapic',
  'hpt',
  'vmcoreinfo',
  'htm',
  'nested-hv',
  'msrs',
  'ccf-assist',
  'xen',
  'cfpc',
  'sbbc',
  'ibs',
  'tcg',
];

/** Features written as `<name state='on|off'/>`. */
const STATE_FEATURES = new Set(['vmcoreinfo', 'hap', 'pmu', 'pvspinlock', 'vmport', 'htm', 'nested-hv', 'ccf-assist', 'smm']);

export function normalizeFeatures(features: XmlElement): void {
  sortChildren(features, FEATURE_ORDER);
  // virDomainFeaturesHyperVDefParse: the mode defaults to 'custom' and is always written.
  const hyperv = features.element('hyperv');
  if (hyperv && hyperv.attr('mode') === undefined) {
    const rest = [...hyperv.attrs];
    hyperv.attrs.clear();
    hyperv.attrs.set('mode', 'custom');
    for (const [k, v] of rest) hyperv.attrs.set(k, v);
  }
  for (const f of features.elements()) {
    if (!STATE_FEATURES.has(f.name) || f.attr('state') !== undefined) continue;
    const rest = [...f.attrs];
    f.attrs.clear();
    f.attrs.set('state', 'on');
    for (const [k, v] of rest) f.attrs.set(k, v);
  }
}

/** The process capabilities `<features><capabilities>` keeps or drops (virDomainProcessCapsFeature), in libvirt's order. */
export const PROCESS_CAPS: readonly string[] = [
  'audit_control',
  'audit_write',
  'block_suspend',
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'ipc_lock',
  'ipc_owner',
  'kill',
  'lease',
  'linux_immutable',
  'mac_admin',
  'mac_override',
  'mknod',
  'net_admin',
  'net_bind_service',
  'net_broadcast',
  'net_raw',
  'setgid',
  'setfcap',
  'setpcap',
  'setuid',
  'sys_admin',
  'sys_boot',
  'sys_chroot',
  'sys_module',
  'sys_nice',
  'sys_pacct',
  'sys_ptrace',
  'sys_rawio',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'syslog',
  'wake_alarm',
];
