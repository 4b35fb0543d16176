/**
 * The generic dispatcher: decoded wire arguments → driver SPI call → reply fields, using only a
 * procedure's table entry (argMap, paramOrder, hasFlags, retShape). Refs travel unchanged: the XDR
 * codec already turns wire handles into `DomainRef`-style objects with canonical UUID text.
 */
import { CALLS } from '../../core/src/generated/calls.gen';
import { ErrorDomain, ErrorNumber, VirError } from '../../core/src/errors';
import type { DriverConnection } from '../../core/src/generated/spi.gen';
import type { VirStream } from '../../core/src/stream';
import { templatedError, typedParamsToRecord, type ProcedureInfo, type WireTypedParam } from '../../core/src/rpc';

/** libvirt's error domain for calls on each object kind (the VIR_FROM_THIS of its libvirt-*.c file). */
const OBJECT_DOMAIN: Record<string, number> = {
  Connect: ErrorDomain.VIR_FROM_NONE,
  Domain: ErrorDomain.VIR_FROM_DOMAIN,
  DomainSnapshot: ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
  DomainCheckpoint: 69, // VIR_FROM_DOMAIN_CHECKPOINT
  StoragePool: ErrorDomain.VIR_FROM_STORAGE,
  StorageVol: ErrorDomain.VIR_FROM_STORAGE,
  Network: ErrorDomain.VIR_FROM_NETWORK,
  Stream: ErrorDomain.VIR_FROM_NONE,
};

/** Whether the call may run on a read-only connection: CALLS first, then the entry's own flag; unknown → no. */
export function readOnlySafe(p: ProcedureInfo): boolean {
  const info = (CALLS as Record<string, { readOnlySafe: boolean } | undefined>)[p.c];
  if (info) return info.readOnlySafe;
  return p.readOnlySafe === true;
}

/** libvirt's refusal of a write call on a read-only connection (virCheckReadOnlyGoto). */
export function readOnlyDenied(p: ProcedureInfo): VirError {
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, OBJECT_DOMAIN[p.object] ?? ErrorDomain.VIR_FROM_NONE,
    `read only access prevents ${p.c}`);
}

function toSpiValue(type: string, v: unknown): unknown {
  if (type === 'bool') return typeof v === 'boolean' ? v : v !== 0 && v !== null && v !== undefined;
  if (type === 'TypedParams' && Array.isArray(v)) return typedParamsToRecord(v as WireTypedParam[]);
  return v;
}

export interface DispatchContext {
  /** The stream opened by this call, for stream procedures. */
  stream?: VirStream;
}

/** The SPI argument list for a call: owner ref, parameters in API order, then flags. */
export function spiArguments(p: ProcedureInfo, args: Record<string, unknown>, ctx: DispatchContext = {}): unknown[] {
  const argMap = p.argMap ?? [];
  let self: unknown;
  let flags: unknown = 0;
  const params = new Map<string, unknown>();
  p.args.forEach(([field], i) => {
    const src = argMap[i];
    if (!src) return;
    if (src.kind === 'self') self = args[field];
    else if (src.kind === 'flags') flags = args[field];
    else if (src.kind === 'param') params.set(src.name, toSpiValue(src.type, args[field]));
  });
  const out: unknown[] = [];
  if (p.object !== 'Connect' && argMap.some((s) => s.kind === 'self')) out.push(self);
  for (const name of p.paramOrder) {
    if (params.has(name)) out.push(params.get(name));
    else if (ctx.stream && /stream/i.test(name)) out.push(ctx.stream);
    else out.push(undefined);
  }
  if (p.hasFlags) out.push(flags);
  return out;
}

const HANDLE_TYPES = new Set(['Dom', 'Pool', 'Vol', 'Snap', 'Chk', 'Net']);

/** Reply fields from the SPI result. */
export function replyFields(p: ProcedureInfo, result: unknown, args: Record<string, unknown>): Record<string, unknown> {
  const shape = p.retShape;
  switch (shape.kind) {
    case 'void':
      return {};
    case 'single': {
      const [name, type] = p.ret[0];
      let v = result;
      // Some SPI methods return void where the wire answers the (updated) owner handle,
      // e.g. DOMAIN_CREATE_WITH_FLAGS: echo the handle the client sent.
      if (v === undefined && HANDLE_TYPES.has(type)) {
        const selfIdx = (p.argMap ?? []).findIndex((s) => s.kind === 'self');
        if (selfIdx >= 0) v = args[p.args[selfIdx][0]];
      }
      return { [name]: v };
    }
    case 'list': {
      const list = Array.isArray(result) ? result : [];
      const [name] = p.ret[0];
      const needIdx = (p.argMap ?? []).findIndex((s) => s.kind === 'const');
      const need = needIdx < 0 ? 1 : args[p.args[needIdx][0]];
      return { [name]: need ? list : [], [p.ret[1][0]]: list.length };
    }
    case 'record': {
      if (result === null || typeof result !== 'object') {
        throw VirError.internal(`${p.c}: the driver returned ${String(result)} where a record was expected`);
      }
      return result as Record<string, unknown>;
    }
  }
}

/** Call the driver for one procedure; the reply's fields on success. */
export async function dispatchToDriver(
  conn: DriverConnection, p: ProcedureInfo, args: Record<string, unknown>, ctx: DispatchContext = {},
): Promise<Record<string, unknown>> {
  const method = (conn as unknown as Record<string, unknown>)[p.spi];
  if (typeof method !== 'function') throw VirError.noSupport(p.c);
  const result = await (method as (...a: unknown[]) => Promise<unknown>).apply(conn, spiArguments(p, args, ctx));
  return replyFields(p, result, args);
}
