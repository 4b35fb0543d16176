/**
 * The vocabulary of the API definition.
 *
 * Every public call is an exported `const NAME: CallDef = { ... }` object literal in one of the
 * modules of `api/src`; flags and error numbers are TypeScript `enum`s; result records are
 * `StructDef` literals. The generator reads these files statically with ts-morph (it never imports
 * them), so every value here must be a literal: strings, numbers, booleans, arrays, objects, or a
 * reference to an enum by name.
 */

/** Public handle classes that own calls. `Connect` is the connection itself. */
export type ObjectKind =
  | 'Connect'
  | 'Domain'
  | 'DomainSnapshot'
  | 'DomainCheckpoint'
  | 'StoragePool'
  | 'StorageVol'
  | 'Network'
  | 'NetworkPort'
  | 'Interface'
  | 'Secret'
  | 'NodeDevice'
  | 'Stream';

/**
 * Parameter and return types of the public API.
 *
 * Scalars: `string`, `string?` (may be null), `int` (32-bit signed), `uint`, `long` / `ulong`
 * (64-bit: TS `Wide`, a `number` when it is a safe integer and a `bigint` beyond 2^53, on local and
 * remote paths alike), `bool`, `double`, `uuid` (canonical
 * text form), `xml` (a string holding an XML document).
 * Handles: any `ObjectKind` except Connect, optionally suffixed `?` (nullable) or `[]` (list).
 * Records: the name of a `StructDef` (e.g. `DomainInfo`), `TypedParams` (libvirt's typed
 * parameter list, a `Record<string, number | bigint | string | boolean>`), `void`, `string[]`,
 * `int[]`, and `Callback` (an event callback, local calls only).
 */
export type TypeRef = string;

/** One parameter of a public call, in libvirt's order (the owning handle and flags excluded). */
export interface ParamDef {
  name: string;
  type: TypeRef;
  doc: string;
  /** Name of the remote wire field that carries this parameter, when it differs from `name`. */
  wire?: string;
  /** Default used by bindings when the caller omits the argument. */
  default?: string | number | boolean | null;
}

/**
 * One field of a remote message, in wire order.
 *
 * XDR type grammar (see `docs/wire-protocol.md` §2): `int`, `uint`, `hyper`, `uhyper`, `bool`,
 * `double`, `char`, `uchar`, `short`, `ushort` (the last four widened to 4 bytes), `string`
 * (`remote_nonnull_string`), `string?` (`remote_string`), `uuid` (opaque[16]), handles `Dom`,
 * `Pool`, `Vol`, `Snap`, `Chk`, `Net`, `NetPort`, `Secret`, `NodeDev` (nullable with `?`), typed parameters `TP<max>`,
 * variable arrays `T<max>` and fixed arrays `T[n]`, and the name of a `WireStructDef` (e.g.
 * `GraphicsAddress`, or `GraphicsIdentity<20>` for a variable array of them).
 */
export type WireField = [name: string, xdrType: string];

/** A record that appears nested inside a remote message, with its fields in wire order. */
export interface WireStructDef {
  name: string;
  fields: WireField[];
}

/** How a call travels over libvirt's RPC protocol. */
export interface RemoteDef {
  /** Program: the main remote program, or the QEMU-specific one. */
  program: 'remote' | 'qemu';
  /** libvirt's procedure number inside that program. */
  proc: number;
  /** libvirt's procedure constant, e.g. `REMOTE_PROC_DOMAIN_GET_INFO`. */
  procName: string;
  args: WireField[];
  ret: WireField[];
  /** Stream direction when the call opens a stream. */
  stream?: 'upload' | 'download' | 'both';
  /**
   * A descriptor travels beside the message (libvirt's `*_WITH_FDS` messages, UNIX sockets only):
   * `call` for one the client sends, `reply` for one the server answers with.
   */
  fds?: 'call' | 'reply';
  /**
   * libvirt's `@priority: high` (remote_protocol.x): a call that never waits on a hypervisor's
   * monitor, which the daemon may run on its priority workers when every ordinary one is busy.
   */
  priority?: 'high';
}

/**
 * libvirt ACL permissions, `object:permission`, as in libvirt's access driver; or
 * `object:permission:FLAG` (several flags joined with `|`) for a permission checked only when the
 * call's flags hold one of them, as libvirt's `@acl: domain:read_secure:VIR_DOMAIN_XML_SECURE`.
 */
export type AclPermission = string;

/**
 * Where a call is implemented.
 * - `driver`: dispatched to the driver SPI method named after the C name (`virDomainGetInfo` →
 *   `domainGetInfo`); a driver without the method answers VIR_ERR_NO_SUPPORT.
 * - `handle`: answered from the handle itself (name, UUID, id), never reaching a driver.
 * - `core`: implemented by hand in `packages/core` (open, close, event registration), which may
 *   still consult the driver.
 */
export type Implementation = 'driver' | 'handle' | 'core';

/** A public call of the API. */
export interface CallDef {
  /** libvirt's C function name, e.g. `virDomainListAllSnapshots`. */
  c: string;
  /** The class that owns the call in the TS API. */
  object: ObjectKind;
  /** Method name on that class, e.g. `listAllSnapshots`. */
  name: string;
  doc: string;
  params: ParamDef[];
  /**
   * The flags argument: the name of a flags enum of `api/` whose members are the accepted bits,
   * `reserved` when libvirt takes a flags word but defines no bits (it must be 0), or absent when
   * the call takes no flags at all.
   */
  flags?: string;
  returns: TypeRef;
  /** Our version block in `api/public.syms` that introduced the call. */
  since: string;
  acl: AclPermission[];
  /** True when the call may be made on a read-only connection. */
  readOnlySafe: boolean;
  impl: Implementation;
  /** Wire description, or null for calls that never cross the wire (e.g. handle accessors). */
  remote: RemoteDef | null;
  /** Method or function name in libvirt-python, or null when libvirt-python has none. */
  python: string | null;
}

/**
 * The typed parameters a family of calls takes by name (the VIR_MIGRATE_PARAM_* of the migrate
 * calls): each field's constant, its name on the wire and the typed parameter type libvirt expects
 * it as (virTypedParamsValidate refuses any other), so clients can type plain values.
 */
export interface TypedParamFamilyDef {
  /** The TypeScript name of the constants object, e.g. `MigrateParam`. */
  name: string;
  doc: string;
  fields: { constant: string; field: string; type: string; doc: string }[];
}

/** A record returned by a call (e.g. `virDomainInfo`). Fields keep libvirt's order and names. */
export interface StructDef {
  name: string;
  /** libvirt's C type name, e.g. `virDomainInfo`. */
  c: string;
  doc: string;
  fields: { name: string; type: TypeRef; doc: string }[];
}

/**
 * The message templates libvirt attaches to one error number (`virErrorMsg` in libvirt's
 * `src/util/virerror.c`): `plain` is used when no detail is given, `withDetail` holds exactly one
 * `%s` that receives the detail text. Both are null only for `VIR_ERR_OK`, which has no message.
 */
export interface ErrorMessageDef {
  /** Name of an `ErrorNumber` member, e.g. `VIR_ERR_NO_DOMAIN`. */
  code: string;
  plain: string | null;
  withDetail: string | null;
}

/** The label libvirt prints for an error domain (e.g. `QEMU Driver` in `libvirt: QEMU Driver error : …`). */
export interface ErrorDomainNameDef {
  /** Name of an `ErrorDomain` member, e.g. `VIR_FROM_QEMU`. */
  domain: string;
  name: string;
}

/**
 * One domain event as delivered over the wire: the event ID, the callback-variant MESSAGE
 * procedure (the one carrying `callbackID` first), the legacy procedure without `callbackID`
 * (null when none exists) and the payload fields in wire order (including `callbackID`).
 */
export interface EventDef {
  /** Name of a `DomainEventID` member, e.g. `VIR_DOMAIN_EVENT_ID_LIFECYCLE`. */
  eventId: string;
  proc: number;
  procName: string;
  legacyProc: number | null;
  legacyProcName: string | null;
  fields: WireField[];
  /**
   * Fields only the callback message has, left out of the legacy one (which otherwise is `fields`
   * without `callbackID`): the `int reason` libvirt put in front of the PM events' domain.
   */
  callbackOnly?: string[];
}

/** A program of libvirt's RPC protocol, as `RemoteDef.program` and `ProtocolProcDef.program` name it. */
export type ProgramName = 'remote' | 'qemu' | 'keepalive';

/**
 * A procedure of the RPC protocol itself rather than of the public API (authentication, feature
 * probes, close-callback registration, keepalive): clients and daemons send them on their own.
 * `ret` is null for a one-way MESSAGE (an event or a keepalive packet), which has no reply.
 */
export interface ProtocolProcDef {
  program: ProgramName;
  proc: number;
  /** libvirt's procedure constant, e.g. `REMOTE_PROC_AUTH_LIST` or `KEEPALIVE_PROC_PING`. */
  procName: string;
  /** libvirt's `@priority: high`, as `RemoteDef.priority`. */
  priority?: 'high';
  args: WireField[];
  ret: WireField[] | null;
}

/** An object handle as it travels (`remote_nonnull_domain` …): the wire type name and its fields. */
export interface WireHandleDef {
  /** The name wire types use, e.g. `Dom`. */
  name: string;
  /** libvirt's XDR struct, e.g. `remote_nonnull_domain`. */
  xdr: string;
  fields: WireField[];
}

/**
 * The RPC protocol's own vocabulary that is not a public call: handle layouts, the typed-parameter
 * union, the error payload and the protocol procedures. The numbers that go with it (programs,
 * message types, limits, features) are the enums of `protocol.ts`.
 */
export interface WireProtocolDef {
  handles: WireHandleDef[];
  /** `remote_typed_param_value`'s union arms: a `TypedParameterType` member and the arm's wire type. */
  typedParamArms: [type: string, xdrType: string][];
  /** `remote_error`: the payload of every failed reply and failed stream packet. */
  remoteError: WireField[];
  /** `virNetStreamHole`: the payload of a STREAM_HOLE packet. */
  streamHole: WireField[];
  procedures: ProtocolProcDef[];
}
