/** `remote_error` (docs/wire-protocol.md §1.7): libvirt's error record on the wire. */
import { ErrorDomain, ErrorNumber, VirError, isVirError, templatedError } from '@virtkit/core';
import { REMOTE_ERROR_LAYOUT } from './generated/protocol.gen';
import { decodeStruct, encodeStruct } from './xdr';

export { REMOTE_ERROR_LAYOUT };

export interface RemoteError {
  code: number;
  domain: number;
  message: string | null;
  level: number;
  str1: string | null;
  str2: string | null;
  str3: string | null;
  int1: number;
  int2: number;
}

/** The wire record for any thrown value (VirError fields kept; anything else becomes INTERNAL_ERROR). */
export function remoteErrorOf(err: unknown): RemoteError {
  const e = isVirError(err) ? err : VirError.internal(err instanceof Error ? err.message : String(err));
  return {
    code: e.code,
    domain: e.domain,
    message: e.message,
    level: e.level || 2,
    str1: e.str1 ?? null,
    str2: e.str2 ?? null,
    str3: e.str3 ?? null,
    int1: e.int1 ?? -1,
    int2: e.int2 ?? -1,
  };
}

export function encodeRemoteError(err: unknown): Buffer {
  const r = remoteErrorOf(err);
  return encodeStruct(REMOTE_ERROR_LAYOUT, { ...r, dom: null, net: null });
}

export function decodeRemoteError(buf: Uint8Array, offset = 0): RemoteError {
  const o = decodeStruct(REMOTE_ERROR_LAYOUT, buf, offset, false);
  return {
    code: o.code as number,
    domain: o.domain as number,
    message: o.message as string | null,
    level: o.level as number,
    str1: o.str1 as string | null,
    str2: o.str2 as string | null,
    str3: o.str3 as string | null,
    int1: o.int1 as number,
    int2: o.int2 as number,
  };
}

/** A VirError from a received remote_error. */
export function virErrorFromRemote(r: RemoteError): VirError {
  return new VirError({
    code: r.code,
    domain: r.domain,
    message: r.message ?? 'unknown error',
    level: r.level,
    str1: r.str1,
    str2: r.str2,
    str3: r.str3,
    int1: r.int1,
    int2: r.int2,
  });
}

/** An RPC-level error (code 39 VIR_ERR_RPC, domain 7 VIR_FROM_RPC) with exactly `message`. */
export function rpcError(message: string, code: ErrorNumber = ErrorNumber.VIR_ERR_RPC): VirError {
  return templatedError(code, ErrorDomain.VIR_FROM_RPC, message);
}

/** libvirt's answer to a procedure the server does not know (clients map it to NO_SUPPORT). */
export function unknownProcedureError(proc: number): VirError {
  return rpcError(`unknown procedure: ${proc}`);
}
