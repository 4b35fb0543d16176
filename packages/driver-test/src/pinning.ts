/**
 * vCPU and emulator pinning of the test driver (testDomainPinVcpuFlags, testDomainPinEmulator and
 * the pin-info getters): pins live in the definition's `<cputune>` as libvirt writes them
 * (`<vcpupin vcpu='N' cpuset='...'/>` in vCPU order, then `<emulatorpin cpuset='...'/>`); a vCPU or
 * emulator without one may run on every host CPU.
 */
import { DomainModificationImpact as M, ErrorNumber, type DomainRef } from '@virtkit/core';
import { XmlElement } from '@virtkit/xml';
import { vcpus, type DomainDef } from './domain-xml';
import { oneDefState } from './domain-info';
import { checkFlags, err, FROM_DOMAIN, invalidArg } from './errors';
import type { TestState } from './state';
import { hostCpus } from './stats';

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

const allCpus = (state: TestState) => `0-${hostCpus(state) - 1}`;

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

function setVcpuPin(def: DomainDef, vcpu: number, cpuset: string): void {
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

function setEmulatorPin(def: DomainDef, cpuset: string): void {
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

const vcpuPin = (def: DomainDef, vcpu: number) =>
  cputune(def, false)
    ?.elements('vcpupin')
    .find((e) => vcpuOf(e) === vcpu)
    ?.attr('cpuset');

/** testDomainPinVcpuFlags: no flag is accepted; the running domain's vCPU gets the map. */
export function pinVcpuFlags(state: TestState, ref: DomainRef, vcpu: number, cpumap: Uint8Array, flags: number): void {
  checkFlags(flags, 0, 'testDomainPinVcpuFlags');
  const d = state.domObj(ref);
  if (!d.active) throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot pin vcpus on an inactive domain');
  if (vcpu >= vcpus(d.def)) throw invalidArg(`requested vcpu '${vcpu}' is not present in the domain`);
  setVcpuPin(d.def, vcpu, cpusetOf(cpumap));
}

/** testDomainGetVcpuPinInfo: each vCPU's pin, else every host CPU. */
export function getVcpuPinInfo(state: TestState, ref: DomainRef, ncpumaps: number, maplen: number, flags: number) {
  const { def } = oneDefState(state.domObj(ref), flags);
  const n = Math.min(ncpumaps, def.vcpu);
  const cpumaps = new Uint8Array(n * maplen);
  for (let i = 0; i < n; i++) cpumaps.set(mapOf(vcpuPin(def, i) ?? allCpus(state), maplen), i * maplen);
  return { cpumaps, num: n };
}

/** testDomainPinEmulator: the live and/or persistent definition the flags name. */
export function pinEmulator(state: TestState, ref: DomainRef, cpumap: Uint8Array, flags: number): void {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG, 'testDomainPinEmulator');
  const d = state.domObj(ref);
  const cpuset = cpusetOf(cpumap);
  if (!cpuset) throw invalidArg('Empty cpu list for pinning', FROM_DOMAIN);
  if (flags & M.VIR_DOMAIN_AFFECT_LIVE && flags & M.VIR_DOMAIN_AFFECT_CONFIG) {
    setEmulatorPin(oneDefState(d, M.VIR_DOMAIN_AFFECT_LIVE).def, cpuset);
    setEmulatorPin(oneDefState(d, M.VIR_DOMAIN_AFFECT_CONFIG).def, cpuset);
    return;
  }
  setEmulatorPin(oneDefState(d, flags).def, cpuset);
}

/** testDomainGetEmulatorPinInfo: the emulator's pin, else every host CPU. */
export function getEmulatorPinInfo(state: TestState, ref: DomainRef, maplen: number, flags: number) {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG, 'testDomainGetEmulatorPinInfo');
  const { def } = oneDefState(state.domObj(ref), flags);
  const pin = cputune(def, false)?.element('emulatorpin')?.attr('cpuset');
  return { cpumaps: mapOf(pin ?? allCpus(state), maplen), ret: 1 };
}
