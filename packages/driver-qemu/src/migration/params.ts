/**
 * QEMU's migration capabilities and parameters for one side of a move (libvirt's
 * qemuMigrationParamsFromFlags and qemuMigrationParamsSetCompression): flags and
 * VIR_MIGRATE_PARAM_* typed parameters become `migrate-set-capabilities` and
 * `migrate-set-parameters` arguments for the source or the destination QEMU, refused with
 * libvirt's messages. Compression methods are libvirt 9.0's: `xbzrle` and `mt` (QEMU's
 * `compress`); the multifd ones (zlib, zstd) came to libvirt later and are refused as unknown.
 */
import { DomainMigrateFlags as F, MigrateParam as P, typedParamStrings, VirError, type TypedParams } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';

export type Party = 'source' | 'destination';
const BOTH: readonly Party[] = ['source', 'destination'];

/** Flags that turn a capability on, and the sides that set it (qemuMigrationParamsFlagMap). */
const FLAG_CAPS: Array<[number, string, readonly Party[]]> = [
  [F.VIR_MIGRATE_AUTO_CONVERGE, 'auto-converge', ['source']],
  [F.VIR_MIGRATE_POSTCOPY, 'postcopy-ram', BOTH],
  [F.VIR_MIGRATE_PARALLEL, 'multifd', BOTH],
];

/** Typed parameters and the QEMU parameter each sets, on which sides, in which unit (qemuMigrationParamsTPMap). */
const PARAM_MAP: Array<[string, string, readonly Party[], number]> = [
  [P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL, 'cpu-throttle-initial', ['source'], 1],
  [P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT, 'cpu-throttle-increment', ['source'], 1],
  [P.VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL, 'compress-level', BOTH, 1],
  [P.VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS, 'compress-threads', BOTH, 1],
  [P.VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS, 'decompress-threads', BOTH, 1],
  [P.VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE, 'xbzrle-cache-size', BOTH, 1],
  [P.VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY, 'max-postcopy-bandwidth', BOTH, 1024 * 1024],
  [P.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, 'multifd-channels', BOTH, 1],
];

/** Compression methods and their capability (qemuMigrationCompressMethod). */
const COMPRESSION: Record<string, string> = { xbzrle: 'xbzrle', mt: 'compress' };

export interface QemuMigrationSettings {
  capabilities: Array<{ capability: string; state: boolean }>;
  parameters: Record<string, number>;
}

/** The capabilities (each one stated, on or off) and the parameters given, for `party`. */
export function migrationSettings(params: TypedParams, flags: number, party: Party): QemuMigrationSettings {
  const caps = new Map<string, boolean>([...FLAG_CAPS.map(([, cap]) => [cap, false] as const), ['xbzrle', false], ['compress', false]]);
  for (const [flag, cap, parties] of FLAG_CAPS) if (flags & flag && parties.includes(party)) caps.set(cap, true);
  const parameters: Record<string, number> = {};
  for (const [field, name, parties, unit] of PARAM_MAP) {
    if (params[field] !== undefined && parties.includes(party)) parameters[name] = Number(params[field]) * unit;
  }
  const given = (field: string) => params[field] !== undefined;
  if (
    (given(P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL) || given(P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT)) &&
    !(flags & F.VIR_MIGRATE_AUTO_CONVERGE)
  ) {
    throw VirError.invalidArg('Turn auto convergence on to tune it', FROM_QEMU);
  }
  if (given(P.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS) && !(flags & F.VIR_MIGRATE_PARALLEL)) {
    throw VirError.invalidArg('Turn parallel migration on to tune it', FROM_QEMU);
  }
  const methods = new Set<string>();
  for (const method of typedParamStrings(params, P.VIR_MIGRATE_PARAM_COMPRESSION)) {
    const cap = COMPRESSION[method];
    if (!cap) throw VirError.invalidArg(`Unsupported compression method '${method}'`, FROM_QEMU);
    if (methods.has(method)) throw VirError.invalidArg(`Compression method '${method}' is specified twice`, FROM_QEMU);
    methods.add(method);
    caps.set(cap, true);
  }
  const mtTuned = [
    P.VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL,
    P.VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS,
    P.VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS,
  ].some(given);
  if (mtTuned && !methods.has('mt')) throw VirError.invalidArg('Turn multithread compression on to tune it', FROM_QEMU);
  if (given(P.VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE) && !methods.has('xbzrle')) {
    throw VirError.invalidArg('Turn xbzrle compression on to tune it', FROM_QEMU);
  }
  // VIR_MIGRATE_COMPRESSED alone means xbzrle.
  if (!methods.size && flags & F.VIR_MIGRATE_COMPRESSED) caps.set('xbzrle', true);
  return { capabilities: [...caps].map(([capability, state]) => ({ capability, state })), parameters };
}

/**
 * The capabilities libvirt 9.0 knows (qemuMigrationCapability), less `events`, which stays on:
 * after a move it turns off each of these that QEMU has.
 */
const KNOWN_CAPABILITIES = new Set([
  'xbzrle',
  'auto-converge',
  'rdma-pin-all',
  'postcopy-ram',
  'compress',
  'pause-before-switchover',
  'late-block-activate',
  'multifd',
  'dirty-bitmaps',
  'return-path',
  'zero-copy-send',
]);

/** The parameters libvirt 9.0 knows (qemuMigrationParam): read before a move, written back after it. */
const KNOWN_PARAMETERS = [
  'compress-level',
  'compress-threads',
  'decompress-threads',
  'cpu-throttle-initial',
  'cpu-throttle-increment',
  'tls-creds',
  'tls-hostname',
  'max-bandwidth',
  'downtime-limit',
  'block-incremental',
  'xbzrle-cache-size',
  'max-postcopy-bandwidth',
  'multifd-channels',
];

/** What a move may change in one QEMU, as it was before (libvirt's migParams of the job). */
export interface SavedMigrationSettings {
  capabilities: string[];
  parameters: Record<string, unknown>;
}

interface Monitor {
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
}

/** Read the settings a move may change, before it changes them (qemuMigrationParamsCheck's fetch). */
export async function saveSettings(mon: Monitor): Promise<SavedMigrationSettings> {
  const caps = (await mon.execute('query-migrate-capabilities')) as Array<{ capability: string }>;
  const now = (await mon.execute('query-migrate-parameters')) as Record<string, unknown>;
  const parameters: Record<string, unknown> = {};
  for (const name of KNOWN_PARAMETERS) if (now[name] !== undefined) parameters[name] = now[name];
  return { capabilities: caps.map((c) => c.capability).filter((c) => KNOWN_CAPABILITIES.has(c)), parameters };
}

/**
 * Undo what a move set (qemuMigrationParamsReset): every known capability off, the parameters as
 * they were before it. Errors are the caller's to ignore: the move's outcome stands.
 */
export async function resetSettings(mon: Monitor, saved: SavedMigrationSettings): Promise<void> {
  await mon.execute('migrate-set-capabilities', { capabilities: saved.capabilities.map((capability) => ({ capability, state: false })) });
  await mon.execute('migrate-set-parameters', saved.parameters);
}
