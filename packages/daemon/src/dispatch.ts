/**
 * The generic dispatcher: decoded wire arguments → driver SPI call → reply fields, using only a
 * procedure's entry of the generated table (argMap, paramOrder, hasFlags, retShape). Refs travel
 * unchanged: the XDR codec already turns wire handles into `DomainRef`-style objects with
 * canonical UUID text.
 */
import { VirError } from '@virtkit/core';
import type { DriverConnection } from '@virtkit/core';
import type { VirStream } from '@virtkit/core';
import {
  toWireTypedParams,
  typedParamsToRecord,
  zeroStruct,
  type ProcedureInfo,
  type RetShape,
  type WireTypedParam,
} from '@virtkit/protocol';

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
    else if (ctx.stream && name === p.streamParam) out.push(ctx.stream);
    else out.push(undefined);
  }
  if (p.hasFlags) out.push(flags);
  return out;
}

const HANDLE_TYPES = new Set(['Dom', 'Pool', 'Vol', 'Snap', 'Chk', 'Net', 'NetPort', 'Iface', 'Secret', 'NodeDev']);

/** Reply fields from the SPI result. */
export function replyFields(p: ProcedureInfo, result: unknown, args: Record<string, unknown>): Record<string, unknown> {
  const shape = p.retShape;
  switch (shape.kind) {
    case 'void':
      return {};
    case 'single': {
      const [name, type] = p.ret[0];
      // Some SPI methods return void where the wire answers the owner handle (e.g.
      // DOMAIN_CREATE_WITH_FLAGS): echo the handle the client sent.
      const v = result === undefined && HANDLE_TYPES.has(type) ? ownerArg(p, args) : result;
      return { [name]: v };
    }
    case 'list': {
      const [name, type] = p.ret[0];
      const list = Array.isArray(result) ? result : type.startsWith('TP<') ? toWireTypedParams(result) : [];
      const needIdx = (p.argMap ?? []).findIndex((s) => s.kind === 'const');
      const needField = needIdx < 0 ? null : p.args[needIdx][0];
      const need = needField === null ? 1 : Number(args[needField]);
      // `nparams` and `maxerrors` are counts: a client sending 0 asks only how many there are.
      const sent = needField === 'nparams' || needField === 'maxerrors' ? list.slice(0, need) : need ? list : [];
      return { [name]: sent, [p.ret[1][0]]: list.length };
    }
    case 'record':
      return recordReply(p, shape, result);
  }
}

/**
 * A record result as reply fields, taken by name; a nullable record answers `found` first, and
 * zeros in every other field when there is none.
 */
function recordReply(p: ProcedureInfo, shape: Extract<RetShape, { kind: 'record' }>, result: unknown): Record<string, unknown> {
  if (shape.nullable && (result === null || result === undefined)) return { ...zeroStruct(p.ret), found: 0 };
  if (result === null || typeof result !== 'object') {
    throw VirError.internal(`${p.c}: the driver returned ${String(result)} where a record was expected`);
  }
  const record = result as Record<string, unknown>;
  const out: Record<string, unknown> = shape.nullable ? { found: 1 } : {};
  for (const f of shape.fields) out[f] = record[f];
  return out;
}

function ownerArg(p: ProcedureInfo, args: Record<string, unknown>): unknown {
  const selfIdx = (p.argMap ?? []).findIndex((s) => s.kind === 'self');
  return selfIdx >= 0 ? args[p.args[selfIdx][0]] : undefined;
}

/**
 * The owner domain as it is after a call whose reply answers it but whose SPI method returns
 * nothing (DOMAIN_CREATE_WITH_FLAGS): looked up again, so the reply carries the new id as
 * libvirtd's does.
 */
async function ownerAfterCall(conn: DriverConnection, p: ProcedureInfo, args: Record<string, unknown>): Promise<unknown> {
  const owner = ownerArg(p, args) as { uuid?: string } | undefined;
  if (p.retShape.kind !== 'single' || p.retShape.type !== 'Dom' || !owner?.uuid || !conn.domainLookupByUUIDString) return undefined;
  return conn.domainLookupByUUIDString(owner.uuid);
}

/** Call the driver for one procedure; the reply's fields on success. */
export async function dispatchToDriver(
  conn: DriverConnection,
  p: ProcedureInfo,
  args: Record<string, unknown>,
  ctx: DispatchContext = {},
): Promise<Record<string, unknown>> {
  let result = await callDriver(conn, p, args, ctx);
  if (result === undefined) result = await ownerAfterCall(conn, p, args);
  return replyFields(p, result, args);
}

/** The SPI method's own result, for a call whose answer is not reply fields (a descriptor). */
export async function callDriver(
  conn: DriverConnection,
  p: ProcedureInfo,
  args: Record<string, unknown>,
  ctx: DispatchContext = {},
): Promise<unknown> {
  const method = (conn as unknown as Record<string, unknown>)[p.spi];
  if (typeof method !== 'function') throw VirError.noSupport(p.c);
  return (method as (...a: unknown[]) => Promise<unknown>).apply(conn, spiArguments(p, args, ctx));
}
