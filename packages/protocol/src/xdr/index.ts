/**
 * XDR (RFC 4506) as libvirt's RPC uses it, driven by the wire type strings of the API definition
 * (`api/src/dsl.ts`, WireField): `int`, `uint`, `hyper`, `uhyper`, `bool`, `double`, `char`,
 * `uchar`, `short`, `ushort` (the last four widened to 4 bytes), `string` (remote_nonnull_string),
 * `string?` (remote_string), `uuid` (opaque[16], canonical text in JS), handles `Dom`, `Pool`,
 * `Vol`, `Snap`, `Chk`, `Net`, `NetPort`, `Secret`, `NodeDev`, `Iface` (nullable with `?`), typed parameters
 * `TP<max>`, variable arrays `T<max>`, fixed arrays `T[n]`, and two extensions: `opaque<max>` /
 * `opaque[n]` (bytes) and inline structs `{name:type,name:type}`.
 *
 * JS values: 32-bit and narrower integers are numbers; `hyper`/`uhyper` decode to a number when
 * it is a safe integer and to a bigint beyond 2^53 (both are accepted when encoding); `bool` is a
 * boolean (1/0 and booleans are accepted for int fields too); `char<N>` / `char[N]` are strings
 * (a variable char array carries a trailing NUL on the wire, as libvirt sends it); handles are
 * the refs of `refs.ts`; `TP<max>` is a list of `{field, type, value}`.
 *
 * Transport-agnostic: used by the daemon (server side) and the remote driver (client side).
 */
export { XdrError } from './xdr-error';
export { parseXdrType, type HandleName, type XdrType } from './grammar';
export { HANDLE_LAYOUTS } from '../generated/protocol.gen';
export { XDR_STRING_MAX, XdrReader, XdrWriter, uuidFromBytes, uuidToBytes } from './primitives';
export {
  TypedParamType,
  guessTypedParamType,
  toWireTypedParams,
  typedParamsToRecord,
  typedParamsToRecords,
  type WireTypedParam,
} from './typed-params';
export { decodeStruct, decodeValue, encodeStruct, encodeValue, zeroStruct, type FieldLayout } from './codec';
