import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { VirError } from '@virtkit/core';
import { capsFromReplies } from '../../src/caps/replay';
import { parseQemuCapsXml } from '../../src/caps/libvirt-xml';
import type { QemuCaps } from '../../src/caps/types';
import { qemuParseHooks } from '../../src/domain-postparse';
import { decodeHostCpu } from '../../src/cpu/decode';
import { updateGuestCpu } from '../../src/cpu/guest';
import { cpuMapDir, x86Map } from '../../src/cpu/map';

const PKG = path.resolve(__dirname, '../..');
const CAPS_DIR = path.resolve(__dirname, '../../../../test/fixtures/qemucaps');
const caps: QemuCaps = parseQemuCapsXml(readFileSync(path.join(CAPS_DIR, 'caps_8.0.0.x86_64.xml'), 'utf8'));

/** What libvirt 9.0 starts `<cpu mode='host-model'/>` as on the KVM host of caps_8.0.0 (AMD Ryzen 9 3900X). */
const EPYC_ROME_EXTRA = [
  'x2apic',
  'tsc-deadline',
  'hypervisor',
  'tsc_adjust',
  'stibp',
  'arch-capabilities',
  'ssbd',
  'xsaves',
  'cmp_legacy',
  'amd-ssbd',
  'virt-ssbd',
  'lbrv',
  'tsc-scale',
  'vmcb-clean',
  'pause-filter',
  'pfthreshold',
  'v-vmsave-vmload',
  'vgif',
  'svme-addr-chk',
  'rdctl-no',
  'skip-l1dfl-vmentry',
  'mds-no',
  'pschange-mc-no',
];

function domainWithCpu(cpu: string, type = 'kvm') {
  return parseDomainXml(
    `<domain type='${type}'><name>t</name><memory>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>${cpu}<devices/></domain>`,
    qemuParseHooks(true),
  );
}

function cpuXml(def: ReturnType<typeof domainWithCpu>): string {
  const xml = formatDomainXml(def, { inactive: true });
  return xml.slice(xml.indexOf('  <cpu'), xml.indexOf('</cpu>') + 6);
}

describe('CPU map', () => {
  it('is found from the sources and from the built bundle', () => {
    const want = path.join(PKG, 'data', 'cpu_map');
    expect(cpuMapDir(__dirname)).toBe(want);
    expect(cpuMapDir(path.join(PKG, 'dist'))).toBe(want);
    expect(() => cpuMapDir('/')).toThrow(VirError);
  });

  it('reads libvirt 9.0 x86 vendors, features and models', () => {
    const map = x86Map();
    expect(map.vendors.map((v) => v.name)).toEqual(['Intel', 'AMD', 'Hygon']);
    expect(map.features[0].name).toBe('fpu');
    expect(map.features).toHaveLength(212);
    expect(map.models).toHaveLength(58);
    expect(map.featureFromQemu('pclmulqdq')?.name).toBe('pclmuldq');
    expect(map.model('Icelake-Server')?.removed).toEqual(['intel-pt']);
    // A removed feature is not part of the model's bits.
    expect(map.model('EPYC')?.data.contains(map.feature('monitor')!.data)).toBe(false);
    expect(map.model('EPYC')?.data.contains(map.feature('sse2')!.data)).toBe(true);
  });
});

describe('host CPU decoding', () => {
  it('probing records the host CPU expansion libvirt recorded', async () => {
    const probed = await capsFromReplies(readFileSync(path.join(CAPS_DIR, 'caps_8.0.0.x86_64.replies'), 'utf8'));
    const byName = (c: QemuCaps) => [...(c.hostCpuProps?.kvm ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(probed)).toEqual(byName(caps));
    expect(probed.hostCpuProps?.kvm?.find((p) => p.name === 'invtsc')).toEqual({ name: 'invtsc', value: true, migratable: false });
  });

  it('decodes the KVM host of caps_8.0.0 as EPYC-Rome plus the extra features', () => {
    const cpu = decodeHostCpu(caps.hostCpuProps!.kvm!, caps.cpuModels.kvm, x86Map(), true);
    expect(cpu.model).toBe('EPYC-Rome');
    expect(cpu.vendor).toBe('AMD');
    expect(cpu.features).toEqual(EPYC_ROME_EXTRA.map((name) => ({ name, policy: 'require' })));
  });

  it('keeps non-migratable features only when asked to', () => {
    const all = decodeHostCpu(caps.hostCpuProps!.kvm!, caps.cpuModels.kvm, x86Map(), false);
    expect(all.features.map((f) => f.name)).toContain('invtsc');
  });
});

describe('guest CPU at start', () => {
  it('turns host-model into the decoded model, keeping the requested features', () => {
    const def = domainWithCpu(
      "<cpu mode='host-model'><feature policy='disable' name='xsaves'/><feature policy='require' name='vmx'/></cpu>",
    );
    updateGuestCpu(def, caps);
    const xml = cpuXml(def);
    expect(xml).toContain("<cpu mode='custom' match='exact' check='partial'>");
    expect(xml).toContain("<model fallback='forbid'>EPYC-Rome</model>\n    <vendor>AMD</vendor>");
    expect(xml).toContain("<feature policy='disable' name='xsaves'/>");
    expect(xml.indexOf("name='vmx'")).toBeGreaterThan(xml.indexOf("name='pschange-mc-no'"));
  });

  it('turns off features QEMU removed from the model and drops those it cannot take', () => {
    const def = domainWithCpu(
      "<cpu mode='custom' match='exact' check='none'><model>Icelake-Server</model><feature policy='disable' name='pconfig'/>" +
        "<feature policy='disable' name='avx'/><feature policy='require' name='cmt'/></cpu>",
    );
    updateGuestCpu(def, caps);
    expect(cpuXml(def)).toBe(`  <cpu mode='custom' match='exact' check='none'>
    <model fallback='forbid'>Icelake-Server</model>
    <feature policy='disable' name='avx'/>
    <feature policy='disable' name='intel-pt'/>
  </cpu>`);
  });

  it('settles optional features against the host', () => {
    const def = domainWithCpu(
      "<cpu mode='custom' check='none'><model>qemu64</model><feature policy='optional' name='vmx'/><feature policy='optional' name='svm'/></cpu>",
    );
    updateGuestCpu(def, caps);
    expect(cpuXml(def)).toContain("<feature policy='disable' name='vmx'/>\n    <feature policy='require' name='svm'/>");
  });

  it('refuses a model the binary does not know when fallback is forbidden', () => {
    const def = domainWithCpu("<cpu mode='custom' check='none'><model fallback='forbid'>Icelake-Client-noTSX</model></cpu>");
    expect(() => updateGuestCpu(def, caps)).toThrow(
      'unsupported configuration: CPU model Icelake-Client-noTSX is not supported by hypervisor',
    );
  });

  it('describes such a model with a known one when fallback is allowed', () => {
    const def = domainWithCpu("<cpu mode='custom' check='none'><model fallback='allow'>Icelake-Client-noTSX</model></cpu>");
    updateGuestCpu(def, caps);
    const model = /<model fallback='forbid'>([^<]+)</.exec(cpuXml(def))?.[1];
    expect(caps.cpuModels.kvm.some((m) => m.name === model)).toBe(true);
  });

  it('refuses host-model when the binary reported no host CPU', () => {
    const def = domainWithCpu("<cpu mode='host-model'/>");
    expect(() => updateGuestCpu(def, { ...caps, hostCpuProps: {} })).toThrow(
      "CPU mode 'host-model' for x86_64 kvm domain on x86_64 host is not supported by hypervisor",
    );
  });
});
