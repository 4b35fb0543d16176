/** How the API definition's type names map onto TypeScript, for the public API and the SPI. */
import type { ApiModel, CallModel } from './model';

export const HANDLE_KINDS = ['Domain', 'DomainSnapshot', 'DomainCheckpoint', 'StoragePool', 'StorageVol', 'Network', 'Interface'];

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

function mapType(type: string, model: ApiModel, handle: (kind: string) => string): string {
  if (SCALARS[type]) return SCALARS[type];
  const h = handleOf(type);
  if (h) {
    const t = handle(h.kind);
    return h.shape === 'list' ? `${t}[]` : h.shape === 'nullable' ? `${t} | null` : t;
  }
  const record = /^([A-Za-z]+)(\?|\[\])?$/.exec(type);
  if (record && model.structs.some((s) => s.name === record[1])) {
    const shape = record[2] ?? '';
    return shape === '?' ? `R.${record[1]} | null` : shape === '[]' ? `R.${record[1]}[]` : `R.${record[1]}`;
  }
  throw new Error(`unknown type '${type}'`);
}

/** Type in the public API: handles are classes. */
export function publicType(type: string, model: ApiModel): string {
  return mapType(type, model, (k) => k);
}

/** Type in the driver SPI: handles are plain refs. */
export function spiType(type: string, model: ApiModel): string {
  return mapType(type, model, (k) => `${k}Ref`);
}

/** Name of the owning handle's parameter in SPI methods (libvirt's usual argument names). */
export const OWNER_PARAM: Record<string, string> = {
  Domain: 'dom',
  DomainSnapshot: 'snapshot',
  DomainCheckpoint: 'checkpoint',
  StoragePool: 'pool',
  StorageVol: 'vol',
  Network: 'net',
  Interface: 'iface',
};

/** Bitmask of every flag a call accepts (0 for reserved flags). */
export function flagsMask(call: CallModel, model: ApiModel): number {
  if (!call.flags || call.flags === 'reserved') return 0;
  const e = model.enums.find((x) => x.name === call.flags);
  if (!e) throw new Error(`${call.file}: ${call.c} names unknown flags enum ${call.flags}`);
  return e.members.reduce((m, x) => (m | x.value) >>> 0, 0);
}
