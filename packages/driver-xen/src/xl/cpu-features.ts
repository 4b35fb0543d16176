/** CPU feature names that libxl's cpuid option spells differently from libvirt's CPU map. */
const LIBVIRT_TO_LIBXL: ReadonlyArray<readonly [string, string]> = [
  ['cx16', 'cmpxchg16'],
  ['cid', 'cntxid'],
  ['ds_cpl', 'dscpl'],
  ['pclmuldq', 'pclmulqdq'],
  ['pni', 'sse3'],
  ['ht', 'htt'],
  ['pn', 'psn'],
  ['clflush', 'clfsh'],
  ['sep', 'sysenter'],
  ['cx8', 'cmpxchg8'],
  ['nodeid_msr', 'nodeid'],
  ['cr8legacy', 'altmovcr8'],
  ['lahf_lm', 'lahfsahf'],
  ['cmp_legacy', 'cmplegacy'],
  ['fxsr_opt', 'ffxsr'],
  ['pdpe1gb', 'page1gb'],
  ['spec-ctrl', 'ibrsb'],
];

export function cpuFeatureFromLibxl(name: string): string {
  return LIBVIRT_TO_LIBXL.find(([, xl]) => xl === name)?.[0] ?? name;
}

export function cpuFeatureToLibxl(name: string): string {
  return LIBVIRT_TO_LIBXL.find(([lv]) => lv === name)?.[1] ?? name;
}
