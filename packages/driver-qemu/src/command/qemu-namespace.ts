/**
 * The QEMU driver's XML namespace (`xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'`,
 * qemuDomainXmlNsDef) on the command line: `<qemu:commandline>` arguments and environment,
 * `<qemu:deprecation behavior>` as `-compat`, and `<qemu:override>` properties of a device.
 * `<qemu:capabilities>` changes what libvirt thinks the binary can do and is not applied.
 */
import type { DomainDef, XmlElement } from '@virtkit/xml';
import type { CmdBuilder } from './builder';

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** The namespace's elements of `def` named `local` (whatever prefix the document bound). */
function nsElements(def: DomainDef, local: string): XmlElement[] {
  const prefixes = def.rootAttrs.filter(([k, v]) => k.startsWith('xmlns:') && v === QEMU_NS).map(([k]) => k.slice(6));
  return def.namespaceEls.filter((el) => prefixes.some((p) => el.name === `${p}:${local}`));
}

const children = (el: XmlElement, local: string) => el.elements().filter((c) => c.name.endsWith(`:${local}`));

/** `<qemu:arg>` values in order. */
export function namespaceArgs(def: DomainDef): string[] {
  return nsElements(def, 'commandline').flatMap((c) => children(c, 'arg').map((a) => a.attr('value') ?? ''));
}

/** `<qemu:env>` pairs in order (a missing value is the empty string, NULLSTR_EMPTY). */
export function namespaceEnv(def: DomainDef): Array<[string, string]> {
  return nsElements(def, 'commandline').flatMap((c) =>
    children(c, 'env').map((e) => [e.attr('name') ?? '', e.attr('value') ?? ''] as [string, string]),
  );
}

/** qemuBuildCompatDeprecatedCommandLine for `<qemu:deprecation behavior>` (qemu.conf's default is none). */
export function buildCompatDeprecated(b: CmdBuilder): void {
  const behavior = nsElements(b.def, 'deprecation')[0]?.attr('behavior') ?? 'none';
  if (behavior === 'none' || !b.has('compat-deprecated')) return;
  const input = behavior === 'reject' ? 'reject' : behavior === 'crash' ? 'crash' : undefined;
  b.json('-compat', { 'deprecated-output': 'hide', ...(input ? { 'deprecated-input': input } : {}) });
}

type Override = { name: string; value: unknown };

/** `<qemu:override><qemu:device alias><qemu:frontend>` properties by device alias; undefined removes. */
export function deviceOverrides(def: DomainDef): Map<string, Override[]> {
  const out = new Map<string, Override[]>();
  for (const override of nsElements(def, 'override')) {
    for (const dev of children(override, 'device')) {
      const props = children(dev, 'frontend').flatMap((f) => children(f, 'property'));
      const list = out.get(dev.attr('alias') ?? '') ?? [];
      for (const p of props) list.push({ name: p.attr('name') ?? '', value: propertyValue(p) });
      out.set(dev.attr('alias') ?? '', list);
    }
  }
  return out;
}

function propertyValue(p: XmlElement): unknown {
  const value = p.attr('value') ?? '';
  switch (p.attr('type')) {
    case 'signed':
    case 'unsigned':
      return Number(value);
    case 'bool':
      return value === 'true';
    case 'remove':
      return undefined;
    default:
      return value;
  }
}

/** qemuBuildDeviceCommandlineHandleOverrides: each property replaced (moved last) or removed. */
export function applyOverrides(props: Record<string, unknown>, overrides: Map<string, Override[]>): Record<string, unknown> {
  const list = typeof props.id === 'string' ? overrides.get(props.id) : undefined;
  if (!list) return props;
  const out = { ...props };
  for (const { name, value } of list) {
    delete out[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
