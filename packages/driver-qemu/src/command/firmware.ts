import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { insertChildOrdered, mkEl, normalizeFeatures, OS_CHILD_ORDER, type DomainDef, type XmlElement } from '@virtkit/xml';
import { featureState, type CmdBuilder } from './builder';
import type { QemuBuildContext } from './types';
import { buildChain, type SourceLayer } from './blockdev';

const DESCRIPTOR_DIRS = ['/etc/qemu/firmware', '/usr/share/qemu/firmware'];

interface Descriptor {
  'interface-types'?: string[];
  mapping: {
    device: string;
    mode?: string;
    filename?: string;
    executable?: { filename: string; format?: string };
    'nvram-template'?: { filename: string; format?: string };
  };
  targets: Array<{ architecture: string; machines: string[] }>;
  features?: string[];
}

export interface FirmwareSetup {
  type: 'pflash' | 'rom';
  path: string;
  readonly: boolean;
  secure: boolean;
  /** NVRAM varstore: a file path or a network source element. */
  nvram?: { path?: string; el?: XmlElement };
}

/** Descriptors by file name, `/etc` overriding, empty files removing; sorted by name. */
function loadDescriptors(ctx: QemuBuildContext): Descriptor[] {
  const byName = new Map<string, string>();
  for (const dir of [...DESCRIPTOR_DIRS].reverse()) {
    for (const name of ctx.listDir(dir)) {
      if (!name.endsWith('.json')) continue;
      byName.set(name, ctx.readFile(`${dir}/${name}`) ?? '');
    }
  }
  const out: Descriptor[] = [];
  for (const name of [...byName.keys()].sort()) {
    const text = byName.get(name) ?? '';
    if (text.trim() === '') continue;
    try {
      out.push(JSON.parse(text) as Descriptor);
    } catch {
      /* unreadable descriptors are skipped */
    }
  }
  return out;
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(s);
}

/** A descriptor's feature list (qemuFirmwareFeature names). */
function has(d: Descriptor, feature: string): boolean {
  return (d.features ?? []).includes(feature);
}

/** `<nvram>`'s local file: its text or `<source file>`; undefined for network-backed NVRAM. */
function nvramFile(nv: XmlElement): string | undefined {
  const type = nv.attr('type');
  if (type === 'network') return undefined;
  return nv.text().trim() || nv.element('source')?.attr(type === 'block' ? 'dev' : 'file');
}

/** qemuFirmwareMatchDomain: whether descriptor `d` satisfies the domain's firmware wishes. */
function matchesDomain(def: DomainDef, d: Descriptor): boolean {
  const os = def.os.el;
  const loader = os.element('loader');
  const fw = os.attr('firmware');
  let want = fw === 'efi' ? 'uefi' : fw === 'bios' ? 'bios' : undefined;
  if (!want && loader) {
    want = loader.attr('type') === 'pflash' ? 'uefi' : loader.attr('type') === 'rom' ? 'bios' : undefined;
    if (d.mapping.device !== 'flash' || loader.text().trim() !== d.mapping.executable?.filename) return false;
  }
  if (!want || !(d['interface-types'] ?? []).includes(want)) return false;
  const arch = def.os.arch ?? 'x86_64';
  const machine = def.os.machine ?? '';
  if (!d.targets.some((t) => t.architecture === arch && t.machines.some((m) => globMatch(m, machine)))) return false;
  const pm = def.preserved.get('pm')?.[0];
  if (pm?.element('suspend-to-mem')?.attr('enabled') === 'yes' && !has(d, 'acpi-s3')) return false;
  if (pm?.element('suspend-to-disk')?.attr('enabled') === 'yes' && !has(d, 'acpi-s4')) return false;
  for (const f of os.element('firmware')?.elements('feature') ?? []) {
    const name = f.attr('name');
    if (name !== 'secure-boot' && name !== 'enrolled-keys') continue;
    if ((f.attr('enabled') === 'yes') !== has(d, name)) return false;
  }
  if (loader?.attr('secure') === 'yes' && !has(d, 'requires-smm')) return false;
  if (d.mapping.device === 'flash') {
    const mode = d.mapping.mode ?? 'split';
    if ((loader?.attr('stateless') === 'yes') !== (mode === 'stateless')) return false;
  }
  const sev = def.preserved.get('launchSecurity')?.[0];
  if (sev?.attr('type') === 'sev') {
    if (!has(d, 'amd-sev')) return false;
    if (Number(sev.element('policy')?.text().trim() ?? 0) & 0x04 && !has(d, 'amd-sev-es')) return false;
  }
  return true;
}

function unsupportedFormat(what: string, format: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, `unsupported ${what} format '${format}'`);
}

/** Set `<loader>`'s attributes in libvirt's order (readonly, secure, type, stateless). */
function setLoaderAttrs(loader: XmlElement, set: Record<string, string>): void {
  const merged = new Map(loader.attrs);
  for (const [k, v] of Object.entries(set)) merged.set(k, v);
  loader.attrs.clear();
  for (const k of ['readonly', 'secure', 'type', 'stateless']) {
    const v = merged.get(k);
    if (v !== undefined) loader.attrs.set(k, v);
    merged.delete(k);
  }
  for (const [k, v] of merged) loader.attrs.set(k, v);
}

function setText(el: XmlElement, text: string): void {
  el.children.splice(0, el.children.length, { kind: 'text', text });
}

/** The `<os>` child `name`, made in libvirt's place when absent. */
function osChild(os: XmlElement, name: string): XmlElement {
  let el = os.element(name);
  if (!el) {
    el = mkEl(name, []);
    insertChildOrdered(os, el, OS_CHILD_ORDER);
  }
  return el;
}

/** qemuFirmwareEnableFeatures: write the chosen firmware into the definition. */
function enableFeatures(def: DomainDef, ctx: QemuBuildContext, d: Descriptor): void {
  const os = def.os.el;
  const m = d.mapping;
  if (m.device === 'flash') {
    const loader = osChild(os, 'loader');
    setLoaderAttrs(loader, { readonly: 'yes', type: 'pflash' });
    if ((m.executable?.format ?? 'raw') !== 'raw') throw unsupportedFormat('flash', m.executable!.format!);
    setText(loader, m.executable?.filename ?? '');
    if ((m.mode ?? 'split') === 'split') {
      const tmpl = m['nvram-template'];
      if ((tmpl?.format ?? 'raw') !== 'raw') throw unsupportedFormat('nvram template', tmpl!.format!);
      let nv = os.element('nvram');
      if (!nv) {
        nv = mkEl('nvram', [], [], `${ctx.config.nvramDir}/${def.name}_VARS.fd`);
        insertChildOrdered(os, nv, OS_CHILD_ORDER);
      }
      const rest = [...nv.attrs].filter(([k]) => k !== 'template');
      nv.attrs.clear();
      nv.attrs.set('template', tmpl?.filename ?? '');
      for (const [k, v] of rest) nv.attrs.set(k, v);
    }
  } else if (m.device === 'kernel') {
    setText(osChild(os, 'kernel'), m.filename ?? '');
  } else if (m.device === 'memory') {
    const loader = osChild(os, 'loader');
    setLoaderAttrs(loader, { type: 'rom' });
    setText(loader, m.filename ?? '');
  }
  if (has(d, 'requires-smm')) {
    let features = def.preserved.get('features')?.[0];
    const smm = featureState(features, 'smm');
    if (smm === 'off') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_INVALID,
        ErrorDomain.VIR_FROM_QEMU,
        'domain has SMM turned off but chosen firmware requires it',
      );
    }
    if (!smm) {
      if (!features) {
        features = mkEl('features', []);
        def.preserved.set('features', [features]);
      }
      features.children.push(mkEl('smm', [['state', 'on']]));
      normalizeFeatures(features);
    }
    setLoaderAttrs(osChild(os, 'loader'), { secure: 'yes' });
  }
}

/**
 * qemuFirmwareFillDomain, as a domain starts afresh: `<os firmware>` picks the first matching
 * descriptor (none is an error) and becomes that firmware's `<loader>`, `<nvram template>` and
 * SMM, the live XML showing them instead of the attribute. A read-only UEFI loader given by path
 * with no template and no varstore yet gets its template from the descriptor of that file, if any.
 */
export function fillFirmware(def: DomainDef, ctx: QemuBuildContext): void {
  const os = def.os.el;
  const fw = os.attr('firmware');
  if (!fw) {
    const loader = os.element('loader');
    if (loader?.attr('type') !== 'pflash' || loader.attr('readonly') !== 'yes') return;
    const nv = os.element('nvram');
    if (nv?.attr('template') !== undefined) return;
    if (nv) {
      const file = nvramFile(nv);
      if (file === undefined || ctx.fileExists(file)) return;
    }
  }
  const chosen = loadDescriptors(ctx).find((d) => matchesDomain(def, d));
  if (!chosen) {
    if (!fw) return;
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      ErrorDomain.VIR_FROM_QEMU,
      `Unable to find any firmware to satisfy '${fw}'`,
    );
  }
  enableFeatures(def, ctx, chosen);
  os.attrs.delete('firmware');
}

function nvramPath(b: CmdBuilder): string {
  return `${b.ctx.config.nvramDir}/${b.def.name}_VARS.fd`;
}

/** The firmware set-up of the domain (after fillFirmware), if it has one. */
export function resolveFirmware(b: CmdBuilder): FirmwareSetup | undefined {
  const os = b.def.os.el;
  const loader = os.element('loader');
  const path = loader?.text().trim();
  if (!loader || !path) return undefined;
  const type = loader.attr('type') === 'pflash' ? 'pflash' : 'rom';
  const setup: FirmwareSetup = {
    type,
    path,
    readonly: loader.attr('readonly') === 'yes',
    secure: loader.attr('secure') === 'yes',
  };
  const nv = os.element('nvram');
  if (type === 'pflash' && loader.attr('stateless') !== 'yes') {
    if (nv?.attr('type') === 'network' || nv?.attr('type') === 'block') setup.nvram = { el: nv };
    else if (nv?.text().trim()) setup.nvram = { path: nv.text().trim() };
    else if (nv?.element('source')?.attr('file')) setup.nvram = { path: nv.element('source')!.attr('file') };
    else if (nv || loader.attr('readonly') === 'yes') setup.nvram = { path: nvramPath(b) };
  }
  return setup;
}

/** `-blockdev`s for pflash0/pflash1; returns the node names for `-machine pflashN=`. */
export function buildPflash(b: CmdBuilder, fw: FirmwareSetup | undefined): string[] {
  if (!fw || fw.type !== 'pflash') return [];
  const out: string[] = [];
  const one = (idx: number, type: string, src: XmlElement, readonly: boolean) => {
    const holder = mkEl('nvram', [['type', type]]);
    const layer: SourceLayer = { holder, type, source: src, index: 0, chainEnd: false, readonly };
    out.push(buildChain(b, holder, [layer], { device: 'disk', nodePrefix: `libvirt-pflash${idx}` }));
  };
  const fileSrc = (path: string) => mkEl('source', [['file', path]]);
  one(0, 'file', fileSrc(fw.path), fw.readonly);
  if (fw.nvram?.path) one(1, 'file', fileSrc(fw.nvram.path), false);
  else if (fw.nvram?.el) one(1, fw.nvram.el.attr('type') ?? 'file', fw.nvram.el.element('source')!, false);
  return out;
}

/** `-bios` or the secure-flash global (qemuBuildDomainLoaderCommandLine). */
export function buildLoader(b: CmdBuilder, fw: FirmwareSetup | undefined): void {
  if (!fw) return;
  if (fw.type === 'rom') b.add('-bios', fw.path);
  else if (fw.secure) b.add('-global', 'driver=cfi.pflash01,property=secure,value=on');
}
