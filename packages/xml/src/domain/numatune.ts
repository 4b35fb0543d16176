/**
 * `<numatune>` as numa_conf.c reads, changes and writes it (virDomainNumatuneParseXML,
 * virDomainNumatuneSet, virDomainNumatuneFormatXML): the domain-wide `<memory>` policy always
 * has a mode (strict unless given) and a placement (static with a nodeset; automatic when the
 * vCPUs are placed automatically, which then also holds without a `<memory>`), nodesets are
 * written as ranges, and the per-cell `<memnode>`s are checked against the guest's NUMA cells and
 * written in cell order. The definition keeps the element in this canonical form.
 */
import {
  ErrorDomain,
  ErrorNumber,
  TypedParameterType as T,
  typedParams,
  validateTypedParams,
  VirError,
  type TypedParams,
} from '@virtkit/core';
import { propEnum, propUInt } from '../props';
import type { XmlElement } from '../tree';
import { formatBitmap, mkEl, parseBitmap, parseMask } from './node';
import type { DomainDef } from './types';

/** virDomainNumatuneMemMode, in libvirt's order (the values of VIR_DOMAIN_NUMA_MODE). */
export const NUMATUNE_MODES = ['strict', 'preferred', 'interleave', 'restrictive'] as const;
export type NumatuneMode = (typeof NUMATUNE_MODES)[number];
const PLACEMENTS = ['default', 'static', 'auto'] as const;
type Placement = (typeof PLACEMENTS)[number];

/** The domain-wide policy of `<numatune><memory>`. */
export interface NumatuneMemory {
  mode: NumatuneMode;
  placement: 'static' | 'auto';
  /** The host nodes, for a static placement. */
  nodeset?: number[];
}

const err = (code: ErrorNumber, detail: string) => VirError.create(code, ErrorDomain.VIR_FROM_DOMAIN, detail);
const unsupported = (detail: string) => err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, detail);
const xmlError = (detail: string) => err(ErrorNumber.VIR_ERR_XML_ERROR, detail);

/** virBitmapParse into a nodeset that names at least one node. */
function parseNodeset(text: string): number[] {
  const bits = parseMask(text);
  if (bits.length === 0) throw unsupported(`Invalid value of 'nodeset': ${text}`);
  return bits;
}

/** The domain's `<numatune>` element, if it has one. */
const numatuneOf = (def: DomainDef): XmlElement | undefined => def.preserved.get('numatune')?.[0];

/** Does the vCPU placement leave the memory placement static (libvirt's `placement_static`)? */
const placementStatic = (def: DomainDef) => def.vcpuPlacement !== 'auto';

/** The domain-wide policy, or undefined when the definition has none. */
export function numatuneMemory(def: DomainDef): NumatuneMemory | undefined {
  const mem = numatuneOf(def)?.element('memory');
  if (!mem) return undefined;
  const nodeset = mem.attr('nodeset');
  return {
    mode: (mem.attr('mode') ?? 'strict') as NumatuneMode,
    placement: nodeset === undefined ? 'auto' : 'static',
    nodeset: nodeset === undefined ? undefined : parseBitmap(nodeset),
  };
}

/**
 * virDomainNumatuneSet: merge a mode, placement and nodeset (each optional) into `current`; a
 * static placement needs a nodeset, an automatic one drops it.
 */
function mergeMemory(
  current: NumatuneMemory | undefined,
  isStatic: boolean,
  asked: { mode?: NumatuneMode; placement?: Placement; nodeset?: number[] },
): NumatuneMemory | undefined {
  if (asked.mode === undefined && asked.placement === undefined && asked.nodeset === undefined) return current;
  let placement = asked.placement ?? (current ? undefined : 'default');
  const nodeset = asked.nodeset ?? current?.nodeset;
  if (asked.nodeset && placement === undefined) placement = 'static';
  if (placement === 'default') placement = nodeset || isStatic ? 'static' : 'auto';
  placement ??= current!.placement;
  if (placement === 'static' && !nodeset) throw unsupported("nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
  return {
    mode: asked.mode ?? current?.mode ?? 'strict',
    placement,
    nodeset: placement === 'static' ? nodeset : undefined,
  };
}

/** virDomainNumatuneFormatXML's `<memory>`: the mode, then the nodeset or the placement. */
function memoryElement(m: NumatuneMemory): XmlElement {
  return mkEl('memory', [['mode', m.mode], m.placement === 'static' ? ['nodeset', formatBitmap(m.nodeset!)] : ['placement', 'auto']]);
}

/** Store `<numatune>` with `memory` and the given `<memnode>`s (dropped when there is neither). */
function store(def: DomainDef, memory: NumatuneMemory | undefined, memnodes: XmlElement[]): void {
  if (!memory && !memnodes.length) {
    def.preserved.delete('numatune');
    return;
  }
  const el = mkEl('numatune');
  if (memory) el.children.push(memoryElement(memory));
  el.children.push(...memnodes);
  def.preserved.set('numatune', [el]);
}

/** The guest's NUMA cells (`<cpu><numa><cell>`): how many there are. */
const guestCells = (def: DomainDef) => def.preserved.get('cpu')?.[0]?.element('numa')?.elements('cell').length ?? 0;

/** virDomainNumatuneNodeParseXML: the `<memnode>`s, checked and in cell order. */
function parseMemnodes(def: DomainDef, nt: XmlElement | undefined, memory: NumatuneMemory | undefined): XmlElement[] {
  const els = nt?.elements('memnode') ?? [];
  if (!els.length) return [];
  if (memory?.placement === 'auto') throw unsupported('Per-node binding is not compatible with automatic NUMA placement.');
  const cells = guestCells(def);
  if (!cells) throw xmlError("Element 'memnode' is invalid without any guest NUMA cells");
  const byCell = new Map<number, XmlElement>();
  for (const el of els) {
    const cellid = propUInt(el, 'cellid', { required: true })!;
    if (cellid >= cells) throw xmlError("Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell");
    if (byCell.has(cellid)) throw xmlError(`Multiple memnode elements with cellid ${cellid}`);
    const mode = propEnum(el, 'mode', NUMATUNE_MODES) ?? 'strict';
    if (memory?.mode === 'restrictive' && mode !== 'restrictive')
      throw xmlError("'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element");
    const text = el.attr('nodeset');
    if (text === undefined) throw xmlError('Missing required nodeset attribute in memnode element');
    const nodeset = parseNodeset(text);
    byCell.set(
      cellid,
      mkEl('memnode', [
        ['cellid', String(cellid)],
        ['mode', mode],
        ['nodeset', formatBitmap(nodeset)],
      ]),
    );
  }
  return [...byCell.entries()].sort(([a], [b]) => a - b).map(([, el]) => el);
}

/** A pinning that keeps the vCPUs' placement static even when the memory is placed automatically. */
function hasCpuPinning(def: DomainDef): boolean {
  const cputune = def.preserved.get('cputune')?.[0];
  return (
    def.vcpuCpuset !== undefined ||
    (cputune?.elements().some((c) => c.name === 'vcpupin' || c.name === 'emulatorpin' || c.name === 'iothreadpin') ?? false)
  );
}

/**
 * virDomainNumatuneParseXML and what virDomainDefParseXML does after it: canonicalize the parsed
 * `<numatune>` in place, and place the vCPUs automatically where the memory is and nothing pins them.
 */
export function normalizeNumatune(def: DomainDef): void {
  const all = def.preserved.get('numatune') ?? [];
  if (all.length > 1) throw xmlError('only one numatune is supported');
  const nt = all[0];
  const mem = nt?.element('memory');
  const isStatic = placementStatic(def);
  const asked: { mode?: NumatuneMode; placement?: Placement; nodeset?: number[] } = {};
  if (!isStatic && !mem) asked.placement = 'auto';
  if (mem) {
    const mode = mem.attr('mode');
    if (mode !== undefined) {
      if (!NUMATUNE_MODES.includes(mode as NumatuneMode)) throw unsupported(`Unsupported NUMA memory tuning mode '${mode}'`);
      asked.mode = mode as NumatuneMode;
    }
    const placement = mem.attr('placement');
    if (placement !== undefined) {
      if (!PLACEMENTS.includes(placement as Placement)) throw unsupported(`Unsupported NUMA memory placement mode '${placement}'`);
      asked.placement = placement as Placement;
    }
    const nodeset = mem.attr('nodeset');
    if (nodeset !== undefined) asked.nodeset = parseNodeset(nodeset);
  }
  const memory = mergeMemory(undefined, isStatic, asked);
  store(def, memory, parseMemnodes(def, nt, memory));
  if (memory?.placement === 'auto' && !hasCpuPinning(def)) def.vcpuPlacement = 'auto';
}

/**
 * virDomainNumatuneSet for virDomainSetNumaParameters: change the domain-wide mode and/or
 * nodeset of `def`, keeping its `<memnode>`s.
 */
export function setNumatuneMemory(def: DomainDef, mode: NumatuneMode | undefined, nodeset: number[] | undefined): void {
  const memory = mergeMemory(numatuneMemory(def), placementStatic(def), { mode, nodeset });
  store(def, memory, numatuneOf(def)?.elements('memnode') ?? []);
}

/**
 * virDomainGetNumaParameters: the domain-wide mode (strict when unset) and nodeset (empty when
 * the memory is placed automatically or not at all).
 */
export function numaParameters(def: DomainDef): TypedParams {
  const memory = numatuneMemory(def);
  return typedParams([
    { field: 'numa_mode', type: T.VIR_TYPED_PARAM_INT, value: NUMATUNE_MODES.indexOf(memory?.mode ?? 'strict') },
    { field: 'numa_nodeset', type: T.VIR_TYPED_PARAM_STRING, value: formatBitmap(memory?.nodeset ?? []) },
  ]);
}

/** What a virDomainSetNumaParameters call asks for, checked as libvirt's drivers check it. */
export function numaParamsRequest(params: TypedParams, from: ErrorDomain): { mode?: NumatuneMode; nodeset?: number[] } {
  validateTypedParams(params, { numa_mode: T.VIR_TYPED_PARAM_INT, numa_nodeset: T.VIR_TYPED_PARAM_STRING });
  const out: { mode?: NumatuneMode; nodeset?: number[] } = {};
  if (params.numa_mode !== undefined) {
    const mode = Number(params.numa_mode);
    if (!(mode >= 0 && mode < NUMATUNE_MODES.length))
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, from, `unsupported numatune mode: '${mode}'`);
    out.mode = NUMATUNE_MODES[mode];
  }
  if (params.numa_nodeset !== undefined) {
    const text = String(params.numa_nodeset);
    const bits = parseMask(text);
    if (!bits.length) throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, from, `Invalid nodeset of 'numatune': ${text}`);
    out.nodeset = bits;
  }
  return out;
}
