/**
 * Live migration, as libvirt's src/libvirt-domain.c defines it: the public calls that move a
 * domain to another host (virDomainMigrate*, run by the library itself), the tuning calls of a
 * running migration, and the five steps of libvirt's version 3 protocol with typed parameters
 * (begin and perform and confirm on the source, prepare and finish on the destination), which
 * travel between hosts as remote procedures and carry the migration cookie.
 */
import type { CallDef, StructDef, TypedParamFamilyDef } from './dsl';

/** VIR_MIGRATE_PARAM_* (libvirt-domain.h): the typed parameters of the migrate calls and their types. */
export const migrateParams: TypedParamFamilyDef = {
  name: 'MigrateParam',
  doc: 'VIR_MIGRATE_PARAM_*: typed parameters of the migrate calls, by name.',
  fields: [
    {
      constant: 'VIR_MIGRATE_PARAM_URI',
      field: 'migrate_uri',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'where the source sends the migration data (the hypervisor URI)',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_DEST_NAME',
      field: 'destination_name',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the name of the domain on the destination',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_DEST_XML',
      field: 'destination_xml',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the definition the domain runs with on the destination',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_PERSIST_XML',
      field: 'persistent_xml',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the persistent definition left on the destination',
    },
    { constant: 'VIR_MIGRATE_PARAM_BANDWIDTH', field: 'bandwidth', type: 'VIR_TYPED_PARAM_ULLONG', doc: 'the bandwidth limit, MiB/s' },
    {
      constant: 'VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY',
      field: 'bandwidth.postcopy',
      type: 'VIR_TYPED_PARAM_ULLONG',
      doc: 'the bandwidth limit once post-copy starts, MiB/s',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_GRAPHICS_URI',
      field: 'graphics_uri',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'where graphics clients reconnect after the move',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_LISTEN_ADDRESS',
      field: 'listen_address',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the address the destination listens on for the migration data',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_MIGRATE_DISKS',
      field: 'migrate_disks',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'a disk target to copy (repeatable)',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_DISKS_PORT',
      field: 'disks_port',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'the port of the NBD server of the destination for disk copies',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_DISKS_URI',
      field: 'disks_uri',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the URI of the NBD server of the destination for disk copies',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_COMPRESSION',
      field: 'compression',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'a compression method (repeatable)',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL',
      field: 'compression.mt.level',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'multithreaded compression level',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS',
      field: 'compression.mt.threads',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'compression threads on the source',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS',
      field: 'compression.mt.dthreads',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'decompression threads on the destination',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE',
      field: 'compression.xbzrle.cache',
      type: 'VIR_TYPED_PARAM_ULLONG',
      doc: 'XBZRLE cache size, bytes',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL',
      field: 'auto_converge.initial',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'initial CPU throttling of auto-converge, percent',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT',
      field: 'auto_converge.increment',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'throttling step of auto-converge, percent',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS',
      field: 'parallel.connections',
      type: 'VIR_TYPED_PARAM_INT',
      doc: 'connections of a parallel migration',
    },
    {
      constant: 'VIR_MIGRATE_PARAM_TLS_DESTINATION',
      field: 'tls.destination',
      type: 'VIR_TYPED_PARAM_STRING',
      doc: 'the host name the TLS certificate of the destination must carry',
    },
  ],
};

/** virDomainMigrateFlags: how a domain migrates. */
export enum DomainMigrateFlags {
  /** keep the domain running while its memory is copied */
  VIR_MIGRATE_LIVE = 1 << 0,
  /** the source host drives the migration, opening the destination itself */
  VIR_MIGRATE_PEER2PEER = 1 << 1,
  /** the migration data travels inside the libvirt connection */
  VIR_MIGRATE_TUNNELLED = 1 << 2,
  /** define the domain persistently on the destination */
  VIR_MIGRATE_PERSIST_DEST = 1 << 3,
  /** undefine the domain on the source once it has moved */
  VIR_MIGRATE_UNDEFINE_SOURCE = 1 << 4,
  /** leave the domain paused on the destination */
  VIR_MIGRATE_PAUSED = 1 << 5,
  /** copy every disk to the destination */
  VIR_MIGRATE_NON_SHARED_DISK = 1 << 6,
  /** copy the top image of each disk, the backing chain being shared */
  VIR_MIGRATE_NON_SHARED_INC = 1 << 7,
  /** refuse any other change of the domain until the migration ends */
  VIR_MIGRATE_CHANGE_PROTECTION = 1 << 8,
  /** migrate even when libvirt deems it unsafe */
  VIR_MIGRATE_UNSAFE = 1 << 9,
  /** move only the definition of an inactive domain */
  VIR_MIGRATE_OFFLINE = 1 << 10,
  /** compress the data */
  VIR_MIGRATE_COMPRESSED = 1 << 11,
  /** cancel the migration on a soft I/O error */
  VIR_MIGRATE_ABORT_ON_ERROR = 1 << 12,
  /** slow the vCPUs down when memory does not converge */
  VIR_MIGRATE_AUTO_CONVERGE = 1 << 13,
  /** pin the whole guest memory for RDMA */
  VIR_MIGRATE_RDMA_PIN_ALL = 1 << 14,
  /** allow switching to post-copy */
  VIR_MIGRATE_POSTCOPY = 1 << 15,
  /** encrypt the data with TLS */
  VIR_MIGRATE_TLS = 1 << 16,
  /** send the data over several connections */
  VIR_MIGRATE_PARALLEL = 1 << 17,
  /** the storage copy waits for writes to reach the destination */
  VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES = 1 << 18,
  /** resume a failed post-copy migration */
  VIR_MIGRATE_POSTCOPY_RESUME = 1 << 19,
  /** send memory pages without copying them */
  VIR_MIGRATE_ZEROCOPY = 1 << 20,
}

/** virDomainMigrateMaxSpeedFlags. */
export enum DomainMigrateMaxSpeedFlags {
  /** the speed of the post-copy phase */
  VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY = 1 << 0,
}

/** What the source's begin step hands on (virDomainMigrateBegin3Params). */
export const MigrateBeginResult: StructDef = {
  name: 'MigrateBeginResult',
  c: '',
  doc: 'The cookie and the domain XML the source gives the destination',
  fields: [
    { name: 'cookieOut', type: 'bytes', doc: 'the migration cookie for the prepare step' },
    { name: 'xml', type: 'xml', doc: 'the definition the destination prepares' },
  ],
};

/** What the destination's prepare step hands back (virDomainMigratePrepare3Params). */
export const MigratePrepareResult: StructDef = {
  name: 'MigratePrepareResult',
  c: '',
  doc: 'The cookie and the address the destination listens on',
  fields: [
    { name: 'cookieOut', type: 'bytes', doc: 'the migration cookie for the perform step' },
    { name: 'uriOut', type: 'string?', doc: 'the migration URI the source sends to, or null when the caller gave one' },
  ],
};

/** What the destination's finish step hands back (virDomainMigrateFinish3Params). */
export const MigrateFinishResult: StructDef = {
  name: 'MigrateFinishResult',
  c: '',
  doc: 'The domain on the destination and the cookie for the confirm step',
  fields: [
    { name: 'dom', type: 'Domain', doc: 'the domain on the destination' },
    { name: 'cookieOut', type: 'bytes', doc: 'the migration cookie for the confirm step' },
  ],
};

export const domainMigrate: CallDef = {
  c: 'virDomainMigrate',
  object: 'Domain',
  name: 'migrate',
  doc: 'Migrate the domain to the host of another connection; the domain there is returned.',
  params: [
    { name: 'dconn', type: 'Connect', doc: 'the destination connection' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'uri', type: 'string?', doc: 'the migration URI (e.g. tcp:host:port), or null for the destination to choose' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'Domain',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrate',
};

export const domainMigrate2: CallDef = {
  c: 'virDomainMigrate2',
  object: 'Domain',
  name: 'migrate2',
  doc: 'Migrate the domain to the host of another connection, optionally with another XML there.',
  params: [
    { name: 'dconn', type: 'Connect', doc: 'the destination connection' },
    { name: 'dxml', type: 'string?', doc: 'the definition to use on the destination, or null' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'uri', type: 'string?', doc: 'the migration URI, or null for the destination to choose' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'Domain',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrate2',
};

export const domainMigrate3: CallDef = {
  c: 'virDomainMigrate3',
  object: 'Domain',
  name: 'migrate3',
  doc: 'Migrate the domain to the host of another connection, described by VIR_MIGRATE_PARAM_* typed parameters.',
  params: [
    { name: 'dconn', type: 'Connect', doc: 'the destination connection' },
    { name: 'params', type: 'TypedParams', doc: 'migration parameters (migrate_uri, destination_name, destination_xml, bandwidth, ...)' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'Domain',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrate3',
};

export const domainMigrateToURI: CallDef = {
  c: 'virDomainMigrateToURI',
  object: 'Domain',
  name: 'migrateToURI',
  doc: 'Migrate the domain to the host at a URI: a libvirt URI with PEER2PEER, else a migration URI.',
  params: [
    { name: 'duri', type: 'string', doc: 'the destination URI' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrateToURI',
};

export const domainMigrateToURI2: CallDef = {
  c: 'virDomainMigrateToURI2',
  object: 'Domain',
  name: 'migrateToURI2',
  doc: 'Migrate the domain to the host at a libvirt URI (PEER2PEER) or a migration URI, optionally with another XML there.',
  params: [
    { name: 'dconnuri', type: 'string?', doc: 'the destination libvirt URI (needed with PEER2PEER)' },
    { name: 'miguri', type: 'string?', doc: 'the migration URI, or null' },
    { name: 'dxml', type: 'string?', doc: 'the definition to use on the destination, or null' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'bandwidth', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrateToURI2',
};

export const domainMigrateToURI3: CallDef = {
  c: 'virDomainMigrateToURI3',
  object: 'Domain',
  name: 'migrateToURI3',
  doc: 'Migrate the domain to the host at a URI, described by VIR_MIGRATE_PARAM_* typed parameters.',
  params: [
    { name: 'dconnuri', type: 'string', doc: 'the destination libvirt URI (PEER2PEER) or migration URI' },
    { name: 'params', type: 'TypedParams', doc: 'migration parameters' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'core',
  remote: null,
  python: 'migrateToURI3',
};

export const domainMigrateBegin3Params: CallDef = {
  c: 'virDomainMigrateBegin3Params',
  object: 'Domain',
  name: 'migrateBegin3Params',
  doc: 'Migration step 1, on the source: the definition to send and the first cookie.',
  params: [{ name: 'params', type: 'TypedParams', doc: 'migration parameters' }],
  flags: 'DomainMigrateFlags',
  returns: 'MigrateBeginResult',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 302,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_BEGIN3_PARAMS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<64>'],
      ['flags', 'uint'],
    ],
    ret: [
      ['cookieOut', 'opaque<4194304>'],
      ['xml', 'string'],
    ],
  },
  python: null,
};

export const connectMigratePrepare3Params: CallDef = {
  c: 'virDomainMigratePrepare3Params',
  object: 'Connect',
  name: 'migratePrepare3Params',
  doc: 'Migration step 2, on the destination: start the incoming domain and say where to send it.',
  params: [
    { name: 'params', type: 'TypedParams', doc: 'migration parameters (destination_xml holds the definition)' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the begin step' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'MigratePrepareResult',
  since: '0.2.0',
  acl: ['domain:migrate', 'domain:start', 'domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 303,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_PREPARE3_PARAMS',
    args: [
      ['params', 'TP<64>'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uint'],
    ],
    ret: [
      ['cookieOut', 'opaque<4194304>'],
      ['uriOut', 'string?'],
    ],
  },
  python: null,
};

export const connectMigratePrepareTunnel3Params: CallDef = {
  c: 'virDomainMigratePrepareTunnel3Params',
  object: 'Connect',
  name: 'migratePrepareTunnel3Params',
  doc: 'Migration step 2 of a tunnelled migration: the destination reads the migration data from the stream.',
  params: [
    { name: 'st', type: 'Stream', doc: 'the stream the migration data arrives on' },
    { name: 'params', type: 'TypedParams', doc: 'migration parameters' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the begin step' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'bytes',
  since: '0.2.0',
  acl: ['domain:migrate', 'domain:start', 'domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 304,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS',
    args: [
      ['params', 'TP<64>'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uint'],
    ],
    ret: [['cookieOut', 'opaque<4194304>']],
    stream: 'upload',
  },
  python: null,
};

export const domainMigratePerform3Params: CallDef = {
  c: 'virDomainMigratePerform3Params',
  object: 'Domain',
  name: 'migratePerform3Params',
  doc: 'Migration step 3, on the source: send the domain (with PEER2PEER, the whole migration to dconnuri).',
  params: [
    { name: 'dconnuri', type: 'string?', doc: 'the destination libvirt URI (PEER2PEER), or null' },
    { name: 'params', type: 'TypedParams', doc: 'migration parameters' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the prepare step' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'bytes',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 305,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_PERFORM3_PARAMS',
    args: [
      ['dom', 'Dom'],
      ['dconnuri', 'string?'],
      ['params', 'TP<64>'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uint'],
    ],
    ret: [['cookieOut', 'opaque<4194304>']],
  },
  python: null,
};

export const connectMigrateFinish3Params: CallDef = {
  c: 'virDomainMigrateFinish3Params',
  object: 'Connect',
  name: 'migrateFinish3Params',
  doc: 'Migration step 4, on the destination: run the arrived domain, or discard it when the transfer was cancelled.',
  params: [
    { name: 'params', type: 'TypedParams', doc: 'migration parameters' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the perform step' },
    { name: 'cancelled', type: 'int', doc: '1 when the perform step failed' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'MigrateFinishResult',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 306,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_FINISH3_PARAMS',
    args: [
      ['params', 'TP<64>'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uint'],
      ['cancelled', 'int'],
    ],
    ret: [
      ['dom', 'Dom'],
      ['cookieOut', 'opaque<4194304>'],
    ],
  },
  python: null,
};

export const domainMigrateConfirm3Params: CallDef = {
  c: 'virDomainMigrateConfirm3Params',
  object: 'Domain',
  name: 'migrateConfirm3Params',
  doc: 'Migration step 5, on the source: stop the moved domain, or resume it when the migration was cancelled.',
  params: [
    { name: 'params', type: 'TypedParams', doc: 'migration parameters' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the finish step' },
    { name: 'cancelled', type: 'int', doc: '1 when the migration failed' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 307,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_CONFIRM3_PARAMS',
    args: [
      ['dom', 'Dom'],
      ['params', 'TP<64>'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uint'],
      ['cancelled', 'int'],
    ],
    ret: [],
  },
  python: null,
};

export const domainMigrateSetMaxDowntime: CallDef = {
  c: 'virDomainMigrateSetMaxDowntime',
  object: 'Domain',
  name: 'migrateSetMaxDowntime',
  doc: 'The longest pause (ms) the end of a live migration may cause.',
  params: [{ name: 'downtime', type: 'ulong', doc: 'milliseconds' }],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 166,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_SET_MAX_DOWNTIME',
    args: [
      ['dom', 'Dom'],
      ['downtime', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'migrateSetMaxDowntime',
};

export const domainMigrateGetMaxDowntime: CallDef = {
  c: 'virDomainMigrateGetMaxDowntime',
  object: 'Domain',
  name: 'migrateGetMaxDowntime',
  doc: 'The longest pause (ms) the end of a live migration may cause.',
  params: [],
  flags: 'reserved',
  returns: 'ulong',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 387,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_GET_MAX_DOWNTIME',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['downtime', 'uhyper']],
  },
  python: 'migrateGetMaxDowntime',
};

export const domainMigrateSetMaxSpeed: CallDef = {
  c: 'virDomainMigrateSetMaxSpeed',
  object: 'Domain',
  name: 'migrateSetMaxSpeed',
  doc: 'The bandwidth limit (MiB/s) of migrations of the domain.',
  params: [{ name: 'bandwidth', type: 'ulong', doc: 'MiB/s' }],
  flags: 'DomainMigrateMaxSpeedFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 207,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_SET_MAX_SPEED',
    args: [
      ['dom', 'Dom'],
      ['bandwidth', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'migrateSetMaxSpeed',
};

export const domainMigrateGetMaxSpeed: CallDef = {
  c: 'virDomainMigrateGetMaxSpeed',
  object: 'Domain',
  name: 'migrateGetMaxSpeed',
  doc: 'The bandwidth limit (MiB/s) of migrations of the domain.',
  params: [],
  flags: 'DomainMigrateMaxSpeedFlags',
  returns: 'ulong',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 242,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_GET_MAX_SPEED',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['bandwidth', 'uhyper']],
  },
  python: 'migrateGetMaxSpeed',
};

export const domainMigrateGetCompressionCache: CallDef = {
  c: 'virDomainMigrateGetCompressionCache',
  object: 'Domain',
  name: 'migrateGetCompressionCache',
  doc: 'The size (bytes) of the page cache of compressed (XBZRLE) migration.',
  params: [],
  flags: 'reserved',
  returns: 'ulong',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 299,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_GET_COMPRESSION_CACHE',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['cacheSize', 'uhyper']],
  },
  python: 'migrateGetCompressionCache',
};

export const domainMigrateSetCompressionCache: CallDef = {
  c: 'virDomainMigrateSetCompressionCache',
  object: 'Domain',
  name: 'migrateSetCompressionCache',
  doc: 'The size (bytes) of the page cache of compressed (XBZRLE) migration.',
  params: [{ name: 'cacheSize', type: 'ulong', doc: 'bytes' }],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 300,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_SET_COMPRESSION_CACHE',
    args: [
      ['dom', 'Dom'],
      ['cacheSize', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'migrateSetCompressionCache',
};

export const domainMigrateStartPostCopy: CallDef = {
  c: 'virDomainMigrateStartPostCopy',
  object: 'Domain',
  name: 'migrateStartPostCopy',
  doc: 'Switch a running migration started with VIR_MIGRATE_POSTCOPY to post-copy.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 364,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_START_POST_COPY',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'migrateStartPostCopy',
};

export const domainMigrateBegin3: CallDef = {
  c: 'virDomainMigrateBegin3',
  object: 'Domain',
  name: 'migrateBegin3',
  doc: 'Migration step 1 without typed parameters (what virDomainMigrate sends): the definition to send and the first cookie.',
  params: [
    { name: 'xmlin', type: 'string?', doc: 'the definition to use on the destination, or null' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'resource', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'MigrateBeginResult',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 213,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_BEGIN3',
    args: [
      ['dom', 'Dom'],
      ['xmlin', 'string?'],
      ['flags', 'uhyper'],
      ['dname', 'string?'],
      ['resource', 'uhyper'],
    ],
    ret: [
      ['cookieOut', 'opaque<4194304>'],
      ['xml', 'string'],
    ],
  },
  python: null,
};

export const connectMigratePrepare3: CallDef = {
  c: 'virDomainMigratePrepare3',
  object: 'Connect',
  name: 'migratePrepare3',
  doc: 'Migration step 2 without typed parameters: start the incoming domain and say where to send it.',
  params: [
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the begin step' },
    { name: 'uriIn', type: 'string?', doc: 'the migration URI the caller asks for, or null' },
    { name: 'dname', type: 'string?', doc: 'a new name, or null' },
    { name: 'resource', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
    { name: 'domXml', type: 'xml', doc: 'the definition from the begin step' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'MigratePrepareResult',
  since: '0.2.0',
  acl: ['domain:migrate', 'domain:start', 'domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 214,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_PREPARE3',
    args: [
      ['cookieIn', 'opaque<4194304>'],
      ['uriIn', 'string?'],
      ['flags', 'uhyper'],
      ['dname', 'string?'],
      ['resource', 'uhyper'],
      ['domXml', 'string'],
    ],
    ret: [
      ['cookieOut', 'opaque<4194304>'],
      ['uriOut', 'string?'],
    ],
  },
  python: null,
};

export const domainMigratePerform3: CallDef = {
  c: 'virDomainMigratePerform3',
  object: 'Domain',
  name: 'migratePerform3',
  doc: 'Migration step 3 without typed parameters: send the domain (with PEER2PEER, the whole migration to dconnuri).',
  params: [
    { name: 'xmlin', type: 'string?', doc: 'the definition to use on the destination, or null' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the prepare step' },
    { name: 'dconnuri', type: 'string?', doc: 'the destination libvirt URI (PEER2PEER), or null' },
    { name: 'uri', type: 'string?', doc: 'the migration URI, or null' },
    { name: 'dname', type: 'string?', doc: 'a new name on the destination, or null' },
    { name: 'resource', type: 'ulong', doc: 'speed limit in MiB/s, 0 for none' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'bytes',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 216,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_PERFORM3',
    args: [
      ['dom', 'Dom'],
      ['xmlin', 'string?'],
      ['cookieIn', 'opaque<4194304>'],
      ['dconnuri', 'string?'],
      ['uri', 'string?'],
      ['flags', 'uhyper'],
      ['dname', 'string?'],
      ['resource', 'uhyper'],
    ],
    ret: [['cookieOut', 'opaque<4194304>']],
  },
  python: null,
};

export const connectMigrateFinish3: CallDef = {
  c: 'virDomainMigrateFinish3',
  object: 'Connect',
  name: 'migrateFinish3',
  doc: 'Migration step 4 without typed parameters: run the arrived domain, or discard it when the transfer was cancelled.',
  params: [
    { name: 'dname', type: 'string', doc: 'the name of the domain on the destination' },
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the perform step' },
    { name: 'dconnuri', type: 'string?', doc: 'the destination libvirt URI, or null' },
    { name: 'uri', type: 'string?', doc: 'the migration URI, or null' },
    { name: 'cancelled', type: 'int', doc: '1 when the perform step failed' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'MigrateFinishResult',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 217,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_FINISH3',
    args: [
      ['dname', 'string'],
      ['cookieIn', 'opaque<4194304>'],
      ['dconnuri', 'string?'],
      ['uri', 'string?'],
      ['flags', 'uhyper'],
      ['cancelled', 'int'],
    ],
    ret: [
      ['dom', 'Dom'],
      ['cookieOut', 'opaque<4194304>'],
    ],
  },
  python: null,
};

export const domainMigrateConfirm3: CallDef = {
  c: 'virDomainMigrateConfirm3',
  object: 'Domain',
  name: 'migrateConfirm3',
  doc: 'Migration step 5 without typed parameters: stop the moved domain, or resume it when the migration was cancelled.',
  params: [
    { name: 'cookieIn', type: 'bytes', doc: 'the cookie of the finish step' },
    { name: 'cancelled', type: 'int', doc: '1 when the migration failed' },
  ],
  flags: 'DomainMigrateFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:migrate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 218,
    procName: 'REMOTE_PROC_DOMAIN_MIGRATE_CONFIRM3',
    args: [
      ['dom', 'Dom'],
      ['cookieIn', 'opaque<4194304>'],
      ['flags', 'uhyper'],
      ['cancelled', 'int'],
    ],
    ret: [],
  },
  python: null,
};
