/** How the API definition's type names map onto TypeScript, for the public API and the SPI. */
import type { ApiModel, CallModel, StructDef } from './model';

export const HANDLE_KINDS = [
  'Domain',
  'DomainSnapshot',
  'DomainCheckpoint',
  'StoragePool',
  'StorageVol',
  'Network',
  'NetworkPort',
  'Interface',
  'Secret',
  'NodeDevice',
];

const SCALARS: Record<string, string> = {
  string: 'string',
  'string?': 'string | null',
  xml: 'string',
  uuid: 'string',
  int: 'number',
  uint: 'number',
  long: 'Wide',
  ulong: 'Wide',
  double: 'number',
  bool: 'boolean',
  void: 'void',
  'string[]': 'string[]',
  'int[]': 'number[]',
  'uint[]': 'number[]',
  'ulong[]': 'Wide[]',
  bytes: 'Uint8Array',
  TypedParams: 'TypedParams',
  Stream: 'VirStream',
  Callback: 'DomainEventCallback',
  Connect: 'Connect',
};

/** A handle type reference split into its kind and shape (`Domain[]` → Domain, list). */
export function handleOf(type: string): { kind: string; shape: 'one' | 'nullable' | 'list' } | null {
  const m = /^([A-Za-z]+)(\?|\[\])?$/.exec(type);
  if (!m || !HANDLE_KINDS.includes(m[1])) return null;
  return { kind: m[1], shape: m[2] === '[]' ? 'list' : m[2] === '?' ? 'nullable' : 'one' };
}

/** The handle-typed fields of a record (`DomainStatsRecord.dom`), which drivers fill with refs. */
export function handleFields(struct: StructDef): { name: string; kind: string }[] {
  return struct.fields.flatMap((f) => {
    const h = handleOf(f.type);
    return h && h.shape === 'one' ? [{ name: f.name, kind: h.kind }] : [];
  });
}

/** A record type reference (`BlockInfo`, `BlockInfo?`, `MemoryStat[]`) split into its record and shape. */
export function recordOf(type: string, model: ApiModel): { struct: StructDef; shape: 'one' | 'nullable' | 'list' } | null {
  const m = /^([A-Za-z]+)(\?|\[\])?$/.exec(type);
  const struct = m && model.structs.find((s) => s.name === m[1]);
  if (!m || !struct) return null;
  return { struct, shape: m[2] === '[]' ? 'list' : m[2] === '?' ? 'nullable' : 'one' };
}

function mapType(type: string, model: ApiModel, handle: (kind: string) => string, refs: boolean): string {
  if (SCALARS[type]) return SCALARS[type];
  const h = handleOf(type);
  if (h) {
    const t = handle(h.kind);
    return h.shape === 'list' ? `${t}[]` : h.shape === 'nullable' ? `${t} | null` : t;
  }
  const record = recordOf(type, model);
  if (record) {
    const name = `R.${record.struct.name}${refs && handleFields(record.struct).length ? 'Ref' : ''}`;
    return record.shape === 'list' ? `${name}[]` : record.shape === 'nullable' ? `${name} | null` : name;
  }
  throw new Error(`unknown type '${type}'`);
}

/** Type in the public API: handles are classes. */
export function publicType(type: string, model: ApiModel): string {
  return mapType(type, model, (k) => k, false);
}

/** Type in the driver SPI: handles are plain refs, also inside records. */
export function spiType(type: string, model: ApiModel): string {
  return mapType(type, model, (k) => `${k}Ref`, true);
}

/** Name of the owning handle's parameter in SPI methods (libvirt's usual argument names). */
export const OWNER_PARAM: Record<string, string> = {
  Domain: 'dom',
  DomainSnapshot: 'snapshot',
  DomainCheckpoint: 'checkpoint',
  StoragePool: 'pool',
  StorageVol: 'vol',
  Network: 'net',
  NetworkPort: 'port',
  Interface: 'iface',
  Secret: 'secret',
  NodeDevice: 'dev',
};

/** Bitmask of every flag a call accepts (0 for reserved flags). */
export function flagsMask(call: CallModel, model: ApiModel): number {
  if (!call.flags || call.flags === 'reserved') return 0;
  const e = model.enums.find((x) => x.name === call.flags);
  if (!e) throw new Error(`${call.file}: ${call.c} names unknown flags enum ${call.flags}`);
  return e.members.reduce((m, x) => (m | x.value) >>> 0, 0);
}
