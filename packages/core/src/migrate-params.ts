/**
 * libvirt's migration parameter names (VIR_MIGRATE_PARAM_*, libvirt-domain.h) and the typed
 * parameter type each one travels as, so a record a caller builds with plain JS values reaches a
 * driver (or a libvirtd checking types with virTypedParamsValidate) as libvirt's C client sends it.
 */
import { typedParamList, typedParams, type TypedParams, type TypedParamValue } from './typed-params';

/** VIR_MIGRATE_PARAM_*: the keys of migration typed parameters. */
export const MigrateParam = {
  VIR_MIGRATE_PARAM_URI: 'migrate_uri',
  VIR_MIGRATE_PARAM_DEST_NAME: 'destination_name',
  VIR_MIGRATE_PARAM_DEST_XML: 'destination_xml',
  VIR_MIGRATE_PARAM_PERSIST_XML: 'persistent_xml',
  VIR_MIGRATE_PARAM_BANDWIDTH: 'bandwidth',
  VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY: 'bandwidth.postcopy',
  VIR_MIGRATE_PARAM_GRAPHICS_URI: 'graphics_uri',
  VIR_MIGRATE_PARAM_LISTEN_ADDRESS: 'listen_address',
  VIR_MIGRATE_PARAM_MIGRATE_DISKS: 'migrate_disks',
  VIR_MIGRATE_PARAM_DISKS_PORT: 'disks_port',
  VIR_MIGRATE_PARAM_DISKS_URI: 'disks_uri',
  VIR_MIGRATE_PARAM_COMPRESSION: 'compression',
  VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL: 'compression.mt.level',
  VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS: 'compression.mt.threads',
  VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS: 'compression.mt.dthreads',
  VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE: 'compression.xbzrle.cache',
  VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL: 'auto_converge.initial',
  VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT: 'auto_converge.increment',
  VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS: 'parallel.connections',
  VIR_MIGRATE_PARAM_TLS_DESTINATION: 'tls.destination',
} as const;

const INT = 1;
const ULLONG = 4;
const STRING = 7;

/** The numeric parameters and their types (qemuMigrationParams' table); every other one is a string. */
const NUMERIC: Record<string, number> = {
  bandwidth: ULLONG,
  'bandwidth.postcopy': ULLONG,
  'compression.xbzrle.cache': ULLONG,
  disks_port: INT,
  'compression.mt.level': INT,
  'compression.mt.threads': INT,
  'compression.mt.dthreads': INT,
  'auto_converge.initial': INT,
  'auto_converge.increment': INT,
  'parallel.connections': INT,
};

/** `params` with libvirt's type on each known migration parameter (unknown ones keep their own). */
export function migrateParams(params: TypedParams): TypedParams {
  const fallback = (v: TypedParamValue): number => (typeof v === 'string' ? STRING : typeof v === 'bigint' ? ULLONG : INT);
  return typedParams(typedParamList(params, fallback).map((p) => ({ ...p, type: NUMERIC[p.field] ?? p.type })));
}

/** A copy of `params` with `field` set (virTypedParamsReplaceString and friends), types kept. */
export function withParam(params: TypedParams, field: string, value: TypedParamValue): TypedParams {
  return migrateParams({ ...params, [field]: value });
}
