import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { mkEl, orderAttrs, type CpuFeature, type DomainDef, type FeaturePolicy, type XmlElement } from '@virtkit/xml';
import type { QemuAccel, QemuCaps } from '../caps/types';
import { decodeHostCpu, hostHasFeature, translateCpu } from './decode';
import { x86Map } from './map';

/** Features libvirt never passes to QEMU (host-only or obsolete bits; virQEMUCapsCPUFilterFeatures). */
export const NEVER_PASSED = new Set(['cmt', 'mbm_total', 'mbm_local', 'osxsave', 'ospke']);
/** Features QEMU no longer knows how to turn off; a request to disable them is dropped. */
const DISABLE_DROPPED = new Set(['pconfig']);

function readFeatures(cpu: XmlElement): CpuFeature[] {
  return cpu.elements('feature').map((f) => ({ name: f.attr('name') ?? '', policy: (f.attr('policy') ?? 'require') as FeaturePolicy }));
}

/** Set a feature's policy, adding it when absent (virCPUDefUpdateFeature). */
function updateFeature(list: CpuFeature[], name: string, policy: FeaturePolicy): void {
  const f = list.find((x) => x.name === name);
  if (f) f.policy = policy;
  else list.push({ name, policy });
}

function writeCpu(cpu: XmlElement, model: string, vendor: string | undefined, features: CpuFeature[]): void {
  const keep = cpu.elements().filter((e) => e.name !== 'model' && e.name !== 'vendor' && e.name !== 'feature');
  const modelEl = mkEl(
    'model',
    [
      ['fallback', 'forbid'],
      ['vendor_id', cpu.element('model')?.attr('vendor_id')],
    ],
    [],
    model,
  );
  const vendorEl = vendor ? [mkEl('vendor', [], [], vendor)] : [];
  const featureEls = features.map((f) =>
    mkEl('feature', [
      ['policy', f.policy],
      ['name', f.name],
    ]),
  );
  const numa = keep.filter((e) => e.name === 'numa');
  const rest = keep.filter((e) => e.name !== 'numa');
  cpu.children.length = 0;
  cpu.children.push(modelEl, ...vendorEl, ...rest, ...featureEls, ...numa);
}

function isX86(arch: string | undefined): boolean {
  return arch === 'x86_64' || arch === 'i686';
}

/** Update the `<cpu>` of a definition about to be started with the binary described by `caps`. */
export function updateGuestCpu(def: DomainDef, caps: QemuCaps): void {
  const cpu = def.preserved.get('cpu')?.[0];
  if (!cpu || !isX86(def.os.arch)) return;
  const mode = cpu.attr('mode') ?? 'custom';
  if (mode === 'host-passthrough' || mode === 'maximum') return;
  if (mode === 'custom' && !cpu.element('model')?.text().trim()) return;
  const accel: QemuAccel = def.virtType === 'kvm' ? 'kvm' : 'tcg';
  const props = caps.hostCpuProps?.[accel];
  const map = x86Map();
  let features = readFeatures(cpu);
  let model = cpu.element('model')?.text().trim() ?? '';
  let vendor = cpu.childText('vendor')?.trim();
  if (mode === 'host-model') {
    if (!props) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        ErrorDomain.VIR_FROM_QEMU,
        `CPU mode 'host-model' for ${def.os.arch} ${def.virtType} domain on ${def.os.arch} host is not supported by hypervisor`,
      );
    }
    const host = decodeHostCpu(props, caps.cpuModels[accel], map, true);
    const requested = features;
    ({ model, vendor, features } = host);
    for (const f of requested) updateFeature(features, f.name, f.policy);
    cpu.attrs.set('mode', 'custom');
    cpu.attrs.set('match', 'exact');
    orderAttrs(cpu, ['mode', 'match', 'check', 'migratable']);
  }
  for (const f of features) {
    if (f.policy === 'optional') f.policy = props && hostHasFeature(props, f.name, map) ? 'require' : 'disable';
  }
  // Features QEMU dropped from the requested model are turned off, whatever model describes it.
  const removed = map.model(model)?.removed ?? [];
  if (!caps.cpuModels[accel].some((m) => m.name === model)) {
    if (cpu.element('model')?.attr('fallback') === 'forbid') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        ErrorDomain.VIR_FROM_CPU,
        `CPU model ${model} is not supported by hypervisor`,
      );
    }
    ({ model, vendor, features } = translateCpu({ model, vendor, features }, caps.cpuModels[accel], map));
  }
  for (const name of removed) {
    if (!features.some((f) => f.name === name)) features.push({ name, policy: 'disable' });
  }
  features = features.filter(
    (f) => !NEVER_PASSED.has(f.name) && !(DISABLE_DROPPED.has(f.name) && (f.policy === 'disable' || f.policy === 'forbid')),
  );
  writeCpu(cpu, model, vendor, features);
}
