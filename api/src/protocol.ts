/**
 * libvirt's RPC protocol itself (`src/rpc/virnetprotocol.x`, `remote_protocol.x`,
 * `virkeepaliveprotocol.x`): programs, message framing, limits, handle layouts and the procedures
 * that are protocol work rather than public calls. The enums of this file are wire constants, not
 * public API: the generator keeps them out of the public enums and emits them for the codecs.
 */
import type { WireProtocolDef } from './dsl';

/** Program numbers of the header's `prog` word. */
export enum RpcProgram {
  REMOTE_PROGRAM = 0x20008086,
  QEMU_PROGRAM = 0x20008087,
  LXC_PROGRAM = 0x00068000,
  KEEPALIVE_PROGRAM = 0x6b656570,
  ADMIN_PROGRAM = 0x06900690,
}

/** The header's `vers` word: every program is at version 1. */
export enum RpcProgramVersion {
  REMOTE_PROTOCOL_VERSION = 1,
}

/** virNetMessageType: the header's `type` word. */
export enum NetMessageType {
  VIR_NET_CALL = 0,
  VIR_NET_REPLY = 1,
  VIR_NET_MESSAGE = 2,
  VIR_NET_STREAM = 3,
  VIR_NET_CALL_WITH_FDS = 4,
  VIR_NET_REPLY_WITH_FDS = 5,
  VIR_NET_STREAM_HOLE = 6,
}

/** virNetMessageStatus: the header's `status` word. */
export enum NetMessageStatus {
  VIR_NET_OK = 0,
  VIR_NET_ERROR = 1,
  VIR_NET_CONTINUE = 2,
}

/** Size limits of a message (`virnetprotocol.x`, `remote_protocol.x`). */
export enum NetMessageLimit {
  /** the largest message, length word excluded */
  VIR_NET_MESSAGE_MAX = 33554432,
  VIR_NET_MESSAGE_HEADER_MAX = 24,
  /** data bytes in one STREAM packet */
  VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX = 262120,
  /** the longest `remote_nonnull_string` */
  REMOTE_STRING_MAX = 4194304,
  /** `remote_auth_type types<REMOTE_AUTH_TYPE_LIST_MAX>` of AUTH_LIST */
  REMOTE_AUTH_TYPE_LIST_MAX = 20,
}

/** virDrvFeature: the features a client probes with CONNECT_SUPPORTS_FEATURE. */
export enum DriverFeature {
  /** the source host can drive a migration itself (virDomainMigrate with VIR_MIGRATE_PEER2PEER) */
  VIR_DRV_FEATURE_MIGRATION_P2P = 4,
  /** migration protocol 3: begin, prepare, perform, finish, confirm */
  VIR_DRV_FEATURE_MIGRATION_V3 = 6,
  /** begin takes a migration job that confirm ends (VIR_MIGRATE_CHANGE_PROTECTION) */
  VIR_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION = 7,
  /** an inactive domain's definition can migrate (VIR_MIGRATE_OFFLINE) */
  VIR_DRV_FEATURE_MIGRATION_OFFLINE = 12,
  /** the migration steps take typed parameters (the *3Params procedures) */
  VIR_DRV_FEATURE_MIGRATION_PARAMS = 13,
  VIR_DRV_FEATURE_FD_PASSING = 8,
  /** typed parameters may be strings (virTypedParameterValidateSet asks before sending one, e.g. blkdeviotune's group_name) */
  VIR_DRV_FEATURE_TYPED_PARAM_STRING = 9,
  VIR_DRV_FEATURE_PROGRAM_KEEPALIVE = 10,
  VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK = 14,
  VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK = 15,
  /** virNetworkUpdate's command and section travel in their declared order (a client that does not see it swaps them). */
  VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
}

/** remote_auth_type: what AUTH_LIST answers. */
export enum RemoteAuthType {
  REMOTE_AUTH_NONE = 0,
  REMOTE_AUTH_SASL = 1,
  REMOTE_AUTH_POLKIT = 2,
}

export const wireProtocol: WireProtocolDef = {
  handles: [
    {
      name: 'Dom',
      xdr: 'remote_nonnull_domain',
      fields: [
        ['name', 'string'],
        ['uuid', 'uuid'],
        ['id', 'int'],
      ],
    },
    {
      name: 'Pool',
      xdr: 'remote_nonnull_storage_pool',
      fields: [
        ['name', 'string'],
        ['uuid', 'uuid'],
      ],
    },
    {
      name: 'Vol',
      xdr: 'remote_nonnull_storage_vol',
      fields: [
        ['pool', 'string'],
        ['name', 'string'],
        ['key', 'string'],
      ],
    },
    {
      name: 'Snap',
      xdr: 'remote_nonnull_domain_snapshot',
      fields: [
        ['name', 'string'],
        ['dom', 'Dom'],
      ],
    },
    {
      name: 'Chk',
      xdr: 'remote_nonnull_domain_checkpoint',
      fields: [
        ['name', 'string'],
        ['dom', 'Dom'],
      ],
    },
    {
      name: 'Net',
      xdr: 'remote_nonnull_network',
      fields: [
        ['name', 'string'],
        ['uuid', 'uuid'],
      ],
    },
    {
      name: 'NetPort',
      xdr: 'remote_nonnull_network_port',
      fields: [
        ['net', 'Net'],
        ['uuid', 'uuid'],
      ],
    },
    {
      name: 'Secret',
      xdr: 'remote_nonnull_secret',
      fields: [
        ['uuid', 'uuid'],
        ['usageType', 'int'],
        ['usageID', 'string'],
      ],
    },
    { name: 'NodeDev', xdr: 'remote_nonnull_node_device', fields: [['name', 'string']] },
    {
      name: 'Iface',
      xdr: 'remote_nonnull_interface',
      fields: [
        ['name', 'string'],
        ['mac', 'string'],
      ],
    },
  ],
  typedParamArms: [
    ['VIR_TYPED_PARAM_INT', 'int'],
    ['VIR_TYPED_PARAM_UINT', 'uint'],
    ['VIR_TYPED_PARAM_LLONG', 'hyper'],
    ['VIR_TYPED_PARAM_ULLONG', 'uhyper'],
    ['VIR_TYPED_PARAM_DOUBLE', 'double'],
    ['VIR_TYPED_PARAM_BOOLEAN', 'bool'],
    ['VIR_TYPED_PARAM_STRING', 'string'],
  ],
  remoteError: [
    ['code', 'int'],
    ['domain', 'int'],
    ['message', 'string?'],
    ['level', 'int'],
    ['dom', 'Dom?'],
    ['str1', 'string?'],
    ['str2', 'string?'],
    ['str3', 'string?'],
    ['int1', 'int'],
    ['int2', 'int'],
    ['net', 'Net?'],
  ],
  streamHole: [
    ['length', 'hyper'],
    ['flags', 'uint'],
  ],
  procedures: [
    {
      program: 'remote',
      proc: 60,
      procName: 'REMOTE_PROC_CONNECT_SUPPORTS_FEATURE',
      priority: 'high',
      args: [['feature', 'int']],
      ret: [['supported', 'int']],
    },
    { program: 'remote', proc: 66, procName: 'REMOTE_PROC_AUTH_LIST', priority: 'high', args: [], ret: [['types', 'int<20>']] },
    { program: 'remote', proc: 70, procName: 'REMOTE_PROC_AUTH_POLKIT', priority: 'high', args: [], ret: [['complete', 'int']] },
    {
      program: 'remote',
      proc: 105,
      procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER',
      priority: 'high',
      args: [],
      ret: [['cb_registered', 'int']],
    },
    {
      program: 'remote',
      proc: 106,
      procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER',
      priority: 'high',
      args: [],
      ret: [['cb_registered', 'int']],
    },
    {
      program: 'remote',
      proc: 167,
      procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY',
      priority: 'high',
      args: [['eventID', 'int']],
      ret: [],
    },
    {
      program: 'remote',
      proc: 168,
      procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY',
      priority: 'high',
      args: [['eventID', 'int']],
      ret: [],
    },
    { program: 'remote', proc: 360, procName: 'REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK', priority: 'high', args: [], ret: [] },
    { program: 'remote', proc: 361, procName: 'REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK', priority: 'high', args: [], ret: [] },
    { program: 'remote', proc: 362, procName: 'REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED', args: [['reason', 'int']], ret: null },
    {
      program: 'remote',
      proc: 315,
      procName: 'REMOTE_PROC_NETWORK_EVENT_LIFECYCLE',
      args: [
        ['callbackID', 'int'],
        ['net', 'Net'],
        ['event', 'int'],
        ['detail', 'int'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 370,
      procName: 'REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE',
      args: [
        ['callbackID', 'int'],
        ['pool', 'Pool'],
        ['event', 'int'],
        ['detail', 'int'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 373,
      procName: 'REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH',
      args: [
        ['callbackID', 'int'],
        ['pool', 'Pool'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 376,
      procName: 'REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE',
      args: [
        ['callbackID', 'int'],
        ['dev', 'NodeDev'],
        ['event', 'int'],
        ['detail', 'int'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 377,
      procName: 'REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE',
      args: [
        ['callbackID', 'int'],
        ['dev', 'NodeDev'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 382,
      procName: 'REMOTE_PROC_SECRET_EVENT_LIFECYCLE',
      args: [
        ['callbackID', 'int'],
        ['secret', 'Secret'],
        ['event', 'int'],
        ['detail', 'int'],
      ],
      ret: null,
    },
    {
      program: 'remote',
      proc: 383,
      procName: 'REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED',
      args: [
        ['callbackID', 'int'],
        ['secret', 'Secret'],
      ],
      ret: null,
    },
    { program: 'keepalive', proc: 1, procName: 'KEEPALIVE_PROC_PING', args: [], ret: null },
    { program: 'keepalive', proc: 2, procName: 'KEEPALIVE_PROC_PONG', args: [], ret: null },
  ],
};
