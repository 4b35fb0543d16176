import { type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { applyOverrides, deviceOverrides } from './qemu-namespace';
import type { QemuBuildContext } from './types';

export class CmdBuilder {
  readonly argv: string[] = [];
  readonly env: Array<[string, string]> = [];
  /** Next fd-set number for `-add-fd`. */
  fdset = 0;
  /** Block node-name index per disk source (keyed by the source element). */
  readonly nodeIndex = new Map<XmlElement, number>();

  constructor(
    readonly def: DomainDef,
    readonly caps: QemuCaps,
    readonly ctx: QemuBuildContext,
  ) {
    this.overrides = deviceOverrides(def);
  }

  add(...args: string[]): void {
    this.argv.push(...args);
  }

  /** `<qemu:override>` device properties, by alias. */
  private readonly overrides: Map<string, Array<{ name: string; value: unknown }>>;

  /** `opt '{json}'`; a `-device` gets its `<qemu:override>` properties. */
  json(opt: string, obj: object): void {
    const props = opt === '-device' ? applyOverrides(obj as Record<string, unknown>, this.overrides) : obj;
    this.argv.push(opt, toJson(props));
  }

  has(flag: string): boolean {
    return this.caps.flags.has(flag);
  }

  get shortName(): string {
    return `${this.ctx.domainId}-${truncateBytes(this.def.name, 20)}`;
  }

  get privateDir(): string {
    return `${this.ctx.config.libDir}/domain-${this.shortName}`;
  }

  /** Top-level element kept as read (`features`, `cpu`, `clock`, ...). */
  top(name: string): XmlElement | undefined {
    return this.def.preserved.get(name)?.[0];
  }

  devices(kind: string): DomainDevice[] {
    return this.def.devices.filter((d) => d.kind === kind);
  }

  /** Pass an fd through `-add-fd`; returns `/dev/fdset/N`. */
  addFd(fd: number, opaque: string): string {
    const n = this.fdset++;
    this.add('-add-fd', `set=${n},fd=${fd},opaque=${opaque}`);
    return `/dev/fdset/${n}`;
  }
}

/** The first `n` bytes of a UTF-8 string (libvirt truncates names by bytes). */
export function truncateBytes(s: string, n: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= n ? s : b.subarray(0, n).toString('utf8');
}

/** QEMU option-value escaping: commas doubled. */
export function qemuEscape(s: string): string {
  return s.replace(/,/g, ',,');
}

/** A feature switch (`<acpi/>`, `<hpet state='off'/>`...) under `<features>`: on / off / undefined. */
export function featureState(features: XmlElement | undefined, name: string): 'on' | 'off' | undefined {
  const el = features?.element(name);
  if (!el) return undefined;
  const st = el.attr('state');
  if (st === undefined) return 'on';
  return st === 'off' || st === 'no' ? 'off' : 'on';
}

/** Scaled size element (`<size unit='KiB'>1024</size>`) in KiB. */
export function sizeKiB(el: XmlElement | undefined, defUnit = 'KiB'): number | undefined {
  if (!el) return undefined;
  const v = Number(el.text().trim());
  return Math.floor((v * unitBytes(el.attr('unit') ?? defUnit)) / 1024);
}

export function unitBytes(unit: string): number {
  const u = unit.toLowerCase();
  const table: Record<string, number> = {
    b: 1,
    bytes: 1,
    k: 1024,
    kib: 1024,
    kb: 1000,
    m: 1024 ** 2,
    mib: 1024 ** 2,
    mb: 1e6,
    g: 1024 ** 3,
    gib: 1024 ** 3,
    gb: 1e9,
    t: 1024 ** 4,
    tib: 1024 ** 4,
    tb: 1e12,
  };
  return table[u] ?? 1;
}

/** PCI address as `bus`/`addr` JSON properties, given the bus alias. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Compact JSON as libvirt writes it; bigint values are written as plain numbers, undefined members dropped. */
export function toJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (val === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${toJson(val)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}
