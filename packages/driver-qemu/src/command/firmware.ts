import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { mkEl, type XmlElement } from '@virtkit/xml';
import type { CmdBuilder } from './builder';
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
  smm: boolean;
  /** NVRAM varstore: a file path or a network source element. */
  nvram?: { path?: string; el?: XmlElement };
}

/** Descriptors by file name, `/etc` overriding, empty files removing; sorted by name. */
function loadDescriptors(b: CmdBuilder): Descriptor[] {
  const byName = new Map<string, string>();
  for (const dir of [...DESCRIPTOR_DIRS].reverse()) {
    for (const name of b.ctx.listDir(dir)) {
      if (!name.endsWith('.json')) continue;
      byName.set(name, b.ctx.readFile(`${dir}/${name}`) ?? '');
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

function autoSelect(b: CmdBuilder, fw: string): FirmwareSetup {
  const os = b.def.os.el;
  const loader = os.element('loader');
  const stateless = loader?.attr('stateless') === 'yes';
  const wantSecure = loader?.attr('secure');
  const feats = (os.element('firmware')?.elements('feature') ?? []).map(
    (f) => [f.attr('name') ?? '', f.attr('enabled') === 'yes'] as const,
  );
  const arch = b.def.os.arch ?? 'x86_64';
  const machine = b.def.os.machine ?? '';
  const iface = fw === 'efi' ? 'uefi' : 'bios';
  for (const d of loadDescriptors(b)) {
    if (!(d['interface-types'] ?? []).includes(iface)) continue;
    if (!d.targets.some((t) => t.architecture === arch && t.machines.some((m) => globMatch(m, machine)))) continue;
    const features = d.features ?? [];
    const mode = d.mapping.mode ?? 'split';
    if (d.mapping.device === 'flash') {
      if (stateless !== (mode === 'stateless')) continue;
      if (loader?.attr('type') === 'rom') continue;
    } else if (loader?.attr('type') === 'pflash') continue;
    if (feats.some(([name, en]) => features.includes(name) !== en)) continue;
    if (wantSecure === 'yes' && !features.includes('secure-boot')) continue;
    if (wantSecure === 'no' && features.includes('secure-boot')) continue;
    if (d.mapping.device === 'memory') {
      return { type: 'rom', path: d.mapping.filename ?? '', readonly: true, secure: false, smm: false };
    }
    const setup: FirmwareSetup = {
      type: 'pflash',
      path: d.mapping.executable?.filename ?? '',
      readonly: true,
      secure: features.includes('secure-boot') && features.includes('requires-smm'),
      smm: features.includes('requires-smm'),
    };
    if (mode === 'split' && d.mapping['nvram-template']) setup.nvram = { path: nvramPath(b) };
    return setup;
  }
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, `Unable to find any firmware to satisfy '${fw}'`);
}

function nvramPath(b: CmdBuilder): string {
  return `${b.ctx.config.nvramDir}/${b.def.name}_VARS.fd`;
}

/** The firmware set-up of the domain, if it has one. */
export function resolveFirmware(b: CmdBuilder): FirmwareSetup | undefined {
  const os = b.def.os.el;
  const fw = os.attr('firmware');
  if (fw) return autoSelect(b, fw);
  const loader = os.element('loader');
  const path = loader?.text().trim();
  if (!loader || !path) return undefined;
  const type = loader.attr('type') === 'pflash' ? 'pflash' : 'rom';
  const setup: FirmwareSetup = {
    type,
    path,
    readonly: loader.attr('readonly') === 'yes',
    secure: loader.attr('secure') === 'yes',
    smm: false,
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
