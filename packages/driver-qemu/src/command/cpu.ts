/** `-cpu`: guest CPU model, features and KVM/Hyper-V enlightenments (qemuBuildCpuCommandLine). */
import { CmdBuilder } from './builder';

/** libvirt feature names that QEMU spells differently. */
const FEATURE_TO_QEMU: Record<string, string> = {
  cmp_legacy: 'cmp-legacy',
  ds_cpl: 'ds-cpl',
  fxsr_opt: 'fxsr-opt',
  kvm_pv_eoi: 'kvm-pv-eoi',
  kvm_pv_unhalt: 'kvm-pv-unhalt',
  lahf_lm: 'lahf-lm',
  nodeid_msr: 'nodeid-msr',
  pclmuldq: 'pclmulqdq',
  perfctr_core: 'perfctr-core',
  perfctr_nb: 'perfctr-nb',
  tsc_adjust: 'tsc-adjust',
};

const HV_ORDER = [
  'relaxed',
  'vapic',
  'spinlocks',
  'vpindex',
  'runtime',
  'synic',
  'stimer',
  'reset',
  'vendor_id',
  'frequencies',
  'reenlightenment',
  'tlbflush',
  'ipi',
  'evmcs',
  'avic',
  'emsr_bitmap',
  'xmm_input',
];

export function buildCpu(b: CmdBuilder): void {
  const cpu = b.top('cpu');
  const features = b.top('features');
  const mode = cpu?.attr('mode') ?? 'custom';
  const parts: string[] = [];
  if (mode === 'host-passthrough' || mode === 'maximum') {
    parts.push(mode === 'maximum' ? 'max' : 'host');
    const mig = cpu?.attr('migratable');
    if (mig) parts.push(`migratable=${mig}`);
  } else {
    // A host-model CPU was turned into a named model by updateGuestCpu.
    const model = cpu?.element('model')?.text().trim();
    parts.push(model || 'qemu64');
  }
  for (const f of cpu?.elements('feature') ?? []) {
    const name = f.attr('name') ?? '';
    const q = FEATURE_TO_QEMU[name] ?? name;
    const pol = f.attr('policy') ?? 'require';
    if (pol === 'require' || pol === 'force') parts.push(`${q}=on`);
    else if (pol === 'disable' || pol === 'forbid') parts.push(`${q}=off`);
  }
  const timers = b.top('clock')?.elements('timer') ?? [];
  for (const t of timers) {
    const present = t.attr('present');
    if (t.attr('name') === 'kvmclock' && present) parts.push(`kvmclock=${present === 'yes' ? 'on' : 'off'}`);
    if (t.attr('name') === 'hypervclock' && present === 'yes') parts.push('hv-time=on');
  }
  const eoi = features?.element('apic')?.attr('eoi');
  if (eoi) parts.push(`kvm-pv-eoi=${eoi}`);
  const pvs = features?.element('pvspinlock')?.attr('state');
  if (pvs) parts.push(`kvm-pv-unhalt=${pvs}`);
  const hv = features?.element('hyperv');
  const hvMode = hv?.attr('mode') ?? 'custom';
  if (hv && hvMode === 'passthrough') parts.push('hv-passthrough=on');
  if (hv && hvMode === 'custom') {
    const kids = new Map(hv.elements().map((e) => [e.name, e]));
    for (const name of HV_ORDER) {
      const e = kids.get(name);
      if (!e || e.attr('state') !== 'on') continue;
      const qn = `hv-${name.replace(/_/g, '-')}`;
      if (name === 'spinlocks') parts.push(`${qn}=0x${Number(e.attr('retries') ?? '0').toString(16)}`);
      else if (name === 'vendor_id') parts.push(`hv-vendor-id=${e.attr('value') ?? ''}`);
      else parts.push(`${qn}=on`);
      // Direct synthetic timers go with stimer only (VIR_CPU_x86_HV_STIMER_DIRECT).
      if (name === 'stimer' && e.element('direct')?.attr('state') === 'on') parts.push('hv-stimer-direct=on');
    }
  }
  if (b.devices('panic').some((p) => p.el.attr('model') === 'hyperv')) parts.push('hv-crash');
  b.add('-cpu', parts.join(','));
}
