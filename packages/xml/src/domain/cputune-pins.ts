/**
 * Thread pins of a domain definition's `<cputune>` as libvirt writes them: `<vcpupin vcpu='N'
 * cpuset='...'/>` in vCPU order, `<emulatorpin cpuset='...'/>`, then `<iothreadpin>`; the IOThread
 * ids of `<iothreads>`/`<iothreadids>`; and CPU maps (one bit per host CPU) to and from cpuset text.
 */
import { XmlElement } from '../tree';
import type { DomainDef } from './types';

/** virBitmapFormat: the set bits of a CPU map as ranges (`0-2,5`). */
export function cpusetOf(map: Uint8Array): string {
  const bits: number[] = [];
  map.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) bits.push(i * 8 + b);
  });
  const parts: string[] = [];
  for (let i = 0; i < bits.length;) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
    parts.push(i === j ? `${bits[i]}` : `${bits[i]}-${bits[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** virBitmapToDataBuf of a cpuset text (as cpusetOf writes it) into `maplen` bytes. */
export function mapOf(cpuset: string, maplen: number): Uint8Array {
  const buf = new Uint8Array(Math.max(maplen, 0));
  for (const part of cpuset.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a; c <= (b ?? a); c++) if (c >> 3 < buf.length) buf[c >> 3] |= 1 << (c & 7);
  }
  return buf;
}

function cputune(def: DomainDef, create: boolean): XmlElement | undefined {
  const found = def.preserved.get('cputune')?.[0];
  if (found || !create) return found;
  const el = new XmlElement('cputune');
  def.preserved.set('cputune', [el]);
  return el;
}

/** Replace the pin element matching `match`, or insert it before the first child `after` says follows it. */
function putPin(tune: XmlElement, el: XmlElement, match: (e: XmlElement) => boolean, follows: (e: XmlElement) => boolean): void {
  const kids = tune.children;
  const at = kids.findIndex((k) => k.kind === 'element' && match(k));
  if (at >= 0) kids[at] = el;
  else {
    const before = kids.findIndex((k) => k.kind === 'element' && follows(k));
    kids.splice(before < 0 ? kids.length : before, 0, el);
  }
}

const vcpuOf = (e: XmlElement) => Number(e.attr('vcpu'));

/** Pin vCPU `vcpu` to `cpuset` in `<cputune>`, keeping libvirt's order. */
export function setVcpuPin(def: DomainDef, vcpu: number, cpuset: string): void {
  const el = new XmlElement('vcpupin');
  el.attrs.set('vcpu', String(vcpu));
  el.attrs.set('cpuset', cpuset);
  putPin(
    cputune(def, true)!,
    el,
    (e) => e.name === 'vcpupin' && vcpuOf(e) === vcpu,
    (e) =>
      (e.name === 'vcpupin' && vcpuOf(e) > vcpu) ||
      !['vcpupin', 'shares', 'period', 'quota', 'global_period', 'global_quota'].includes(e.name),
  );
}

/** Pin the emulator threads to `cpuset` in `<cputune>`. */
export function setEmulatorPin(def: DomainDef, cpuset: string): void {
  const el = new XmlElement('emulatorpin');
  el.attrs.set('cpuset', cpuset);
  const before = ['shares', 'period', 'quota', 'global_period', 'global_quota', 'vcpupin'];
  putPin(
    cputune(def, true)!,
    el,
    (e) => e.name === 'emulatorpin',
    (e) => !before.includes(e.name),
  );
}

/** The cpuset vCPU `vcpu` is pinned to, if any. */
export const vcpuPin = (def: DomainDef, vcpu: number): string | undefined =>
  cputune(def, false)
    ?.elements('vcpupin')
    .find((e) => vcpuOf(e) === vcpu)
    ?.attr('cpuset');

/** The cpuset the emulator threads are pinned to, if any. */
export const emulatorPin = (def: DomainDef): string | undefined => cputune(def, false)?.element('emulatorpin')?.attr('cpuset');

/** The IOThread ids of a definition, `<iothreadids>` first, then the lowest free ids up to the count. */
export function iothreadIds(def: DomainDef): number[] {
  const ids = (def.preserved.get('iothreadids')?.[0]?.elements('iothread') ?? []).map((t) => Number(t.attr('id')));
  const count = Number(def.preserved.get('iothreads')?.[0]?.text().trim() ?? 0);
  for (let next = 1; ids.length < count; next++) if (!ids.includes(next)) ids.push(next);
  return ids;
}

/** Write the ids back as libvirt formats them: the count, then every id. */
export function setIothreadIds(def: DomainDef, ids: number[]): void {
  if (ids.length === 0) {
    def.preserved.delete('iothreads');
    def.preserved.delete('iothreadids');
    return;
  }
  const count = new XmlElement('iothreads');
  count.children.push({ kind: 'text', text: String(ids.length) });
  const list = new XmlElement('iothreadids');
  for (const id of ids) {
    const el = new XmlElement('iothread');
    el.attrs.set('id', String(id));
    list.children.push(el);
  }
  def.preserved.set('iothreads', [count]);
  def.preserved.set('iothreadids', [list]);
}

const iothreadPins = (def: DomainDef) => def.preserved.get('cputune')?.[0]?.elements('iothreadpin') ?? [];
/** The cpuset IOThread `id` is pinned to, if any. */
export const iothreadPin = (def: DomainDef, id: number): string | undefined =>
  iothreadPins(def)
    .find((p) => Number(p.attr('iothread')) === id)
    ?.attr('cpuset');

/** Pin IOThread `id` to `cpuset` in `<cputune>`, after the vCPU and emulator pins. */
export function setIothreadPin(def: DomainDef, id: number, cpuset: string): void {
  let tune = def.preserved.get('cputune')?.[0];
  if (!tune) {
    tune = new XmlElement('cputune');
    def.preserved.set('cputune', [tune]);
  }
  const el = new XmlElement('iothreadpin');
  el.attrs.set('iothread', String(id));
  el.attrs.set('cpuset', cpuset);
  const kids = tune.children;
  const at = kids.findIndex((k) => k.kind === 'element' && k.name === 'iothreadpin' && Number(k.attr('iothread')) === id);
  if (at >= 0) kids[at] = el;
  else {
    const after = ['shares', 'period', 'quota', 'global_period', 'global_quota', 'vcpupin', 'emulatorpin', 'iothreadpin'];
    const before = kids.findIndex((k) => k.kind === 'element' && !after.includes(k.name));
    kids.splice(before < 0 ? kids.length : before, 0, el);
  }
}
