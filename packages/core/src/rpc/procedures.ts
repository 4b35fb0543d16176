/**
 * The procedure table both RPC ends work from: the generated `PROCEDURES` / `EVENT_MESSAGES` of
 * `generated/remote.gen.ts` (when the generator has produced it), plus the protocol-level
 * procedures that are not public calls (auth, feature probes, event registration, keepalive).
 *
 * The types mirror the generated ones structurally, so this module compiles whether or not the
 * generated file exists yet.
 */
import type { FieldLayout } from './xdr';

export type WireField = readonly [name: string, xdrType: string];

export type ArgSource =
  | { readonly kind: 'self' }
  | { readonly kind: 'flags' }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'param'; readonly name: string; readonly type: string };

export type RetShape =
  | { readonly kind: 'void' }
  | { readonly kind: 'single'; readonly type: string }
  | { readonly kind: 'list'; readonly type: string }
  | { readonly kind: 'record' };

export interface ProcedureInfo {
  readonly c: string;
  readonly spi: string;
  readonly impl: 'driver' | 'handle' | 'core';
  readonly object: string;
  readonly program: 'remote' | 'qemu';
  readonly proc: number;
  readonly procName: string;
  readonly args: readonly WireField[];
  readonly ret: readonly WireField[];
  readonly argMap: readonly ArgSource[] | null;
  readonly retShape: RetShape;
  readonly paramOrder: readonly string[];
  readonly hasFlags: boolean;
  readonly stream: 'upload' | 'download' | 'both' | null;
  /** Only in supplementary tables: whether the call is allowed on read-only connections. */
  readonly readOnlySafe?: boolean;
}

export interface EventMessageInfo {
  readonly eventId: string | number;
  readonly proc: number;
  readonly procName: string;
  readonly fields: readonly WireField[];
}

/** Procedure numbers of the REMOTE program that belong to the protocol itself. */
export const REMOTE_PROC = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_SUPPORTS_FEATURE: 60,
  AUTH_LIST: 66,
  AUTH_SASL_INIT: 67,
  AUTH_SASL_START: 68,
  AUTH_SASL_STEP: 69,
  AUTH_POLKIT: 70,
  CONNECT_DOMAIN_EVENT_REGISTER: 105,
  CONNECT_DOMAIN_EVENT_DEREGISTER: 106,
  DOMAIN_EVENT_LIFECYCLE: 107,
  CONNECT_GET_URI: 110,
  CONNECT_DOMAIN_EVENT_REGISTER_ANY: 167,
  CONNECT_DOMAIN_EVENT_DEREGISTER_ANY: 168,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  CONNECT_REGISTER_CLOSE_CALLBACK: 360,
  CONNECT_UNREGISTER_CLOSE_CALLBACK: 361,
  CONNECT_EVENT_CONNECTION_CLOSED: 362,
} as const;

/** Wire layouts of the protocol-level procedures (docs/wire-protocol.md §5.1, §5.6). */
export const CORE_LAYOUTS: Record<number, { args: FieldLayout; ret: FieldLayout }> = {
  [REMOTE_PROC.CONNECT_OPEN]: { args: [['name', 'string?'], ['flags', 'uint']], ret: [] },
  [REMOTE_PROC.CONNECT_CLOSE]: { args: [], ret: [] },
  [REMOTE_PROC.CONNECT_SUPPORTS_FEATURE]: { args: [['feature', 'int']], ret: [['supported', 'int']] },
  [REMOTE_PROC.AUTH_LIST]: { args: [], ret: [['types', 'int<20>']] },
  [REMOTE_PROC.AUTH_POLKIT]: { args: [], ret: [['complete', 'int']] },
  [REMOTE_PROC.CONNECT_GET_URI]: { args: [], ret: [['uri', 'string']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER]: { args: [], ret: [['cb_registered', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER]: { args: [], ret: [['cb_registered', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER_ANY]: { args: [['eventID', 'int']], ret: [] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY]: { args: [['eventID', 'int']], ret: [] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY]: { args: [['eventID', 'int'], ['dom', 'Dom?']], ret: [['callbackID', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY]: { args: [['callbackID', 'int']], ret: [] },
  [REMOTE_PROC.CONNECT_REGISTER_CLOSE_CALLBACK]: { args: [], ret: [] },
  [REMOTE_PROC.CONNECT_UNREGISTER_CLOSE_CALLBACK]: { args: [], ret: [] },
};

/** VIR_DRV_FEATURE_* numbers a client probes. */
export const FEATURE = {
  FD_PASSING: 8,
  PROGRAM_KEEPALIVE: 10,
  REMOTE_EVENT_CALLBACK: 14,
  REMOTE_CLOSE_CALLBACK: 15,
} as const;

/** Domain event messages of the callback registration (§6.2): eventID → callback proc, legacy proc, payload. */
export interface DomainEventLayout {
  eventId: number;
  proc: number;
  legacyProc: number | null;
  /** Payload in wire order, `callbackID` first (the legacy message omits it). */
  fields: WireField[];
}

const D: WireField = ['dom', 'Dom'];
const CB: WireField = ['callbackID', 'int'];
const GRAPHICS_ADDR = '{family:int,node:string,service:string}';

export const DOMAIN_EVENTS: DomainEventLayout[] = [
  { eventId: 0, proc: 318, legacyProc: 107, fields: [CB, D, ['event', 'int'], ['detail', 'int']] },
  { eventId: 1, proc: 319, legacyProc: 169, fields: [CB, D] },
  { eventId: 2, proc: 320, legacyProc: 170, fields: [CB, D, ['offset', 'hyper']] },
  { eventId: 3, proc: 321, legacyProc: 171, fields: [CB, D, ['action', 'int']] },
  { eventId: 4, proc: 322, legacyProc: 172, fields: [CB, D, ['srcPath', 'string'], ['devAlias', 'string'], ['action', 'int']] },
  {
    eventId: 5, proc: 323, legacyProc: 173,
    fields: [CB, D, ['phase', 'int'], ['local', GRAPHICS_ADDR], ['remote', GRAPHICS_ADDR], ['authScheme', 'string'],
      ['subject', '{type:string,name:string}<20>']],
  },
  { eventId: 6, proc: 324, legacyProc: 195, fields: [CB, D, ['srcPath', 'string'], ['devAlias', 'string'], ['action', 'int'], ['reason', 'string']] },
  { eventId: 7, proc: 325, legacyProc: 224, fields: [CB, D] },
  { eventId: 8, proc: 326, legacyProc: 241, fields: [CB, D, ['path', 'string'], ['type', 'int'], ['status', 'int']] },
  { eventId: 9, proc: 327, legacyProc: 248, fields: [CB, D, ['oldSrcPath', 'string?'], ['newSrcPath', 'string?'], ['devAlias', 'string'], ['reason', 'int']] },
  { eventId: 10, proc: 328, legacyProc: 268, fields: [CB, D, ['devAlias', 'string'], ['reason', 'int']] },
  { eventId: 11, proc: 329, legacyProc: 269, fields: [CB, D] },
  { eventId: 12, proc: 330, legacyProc: 270, fields: [CB, D] },
  { eventId: 13, proc: 331, legacyProc: 276, fields: [CB, D, ['actual', 'uhyper']] },
  { eventId: 14, proc: 332, legacyProc: 292, fields: [CB, D] },
  { eventId: 15, proc: 333, legacyProc: 311, fields: [CB, D, ['devAlias', 'string']] },
  { eventId: 16, proc: 339, legacyProc: null, fields: [CB, D, ['dst', 'string'], ['type', 'int'], ['status', 'int']] },
  { eventId: 17, proc: 346, legacyProc: null, fields: [CB, D, ['params', 'TP<2048>']] },
  { eventId: 18, proc: 348, legacyProc: null, fields: [CB, D, ['state', 'int'], ['reason', 'int']] },
  { eventId: 19, proc: 354, legacyProc: null, fields: [CB, D, ['devAlias', 'string']] },
  { eventId: 20, proc: 359, legacyProc: null, fields: [CB, D, ['iteration', 'int']] },
  { eventId: 21, proc: 363, legacyProc: null, fields: [CB, D, ['params', 'TP<64>']] },
  { eventId: 22, proc: 367, legacyProc: null, fields: [CB, D, ['devAlias', 'string']] },
  { eventId: 23, proc: 379, legacyProc: null, fields: [CB, D, ['type', 'int'], ['nsuri', 'string?']] },
  { eventId: 24, proc: 385, legacyProc: null, fields: [CB, D, ['dev', 'string'], ['path', 'string?'], ['threshold', 'uhyper'], ['excess', 'uhyper']] },
  { eventId: 25, proc: 423, legacyProc: null, fields: [CB, D, ['recipient', 'int'], ['action', 'int'], ['flags', 'uint']] },
  { eventId: 26, proc: 438, legacyProc: null, fields: [CB, D, ['alias', 'string'], ['size', 'uhyper']] },
];

interface GeneratedRemote {
  PROCEDURES?: readonly ProcedureInfo[];
  EVENT_MESSAGES?: readonly EventMessageInfo[];
}

let generated: GeneratedRemote | null | undefined;

/** The generated tables, or null while `generated/remote.gen.ts` does not exist. */
export function generatedRemote(): GeneratedRemote | null {
  if (generated !== undefined) return generated;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    generated = require('../generated/remote.gen') as GeneratedRemote;
  } catch {
    generated = null;
  }
  return generated;
}

/** Lookup of procedures by (program, number). */
export class ProcedureTable {
  private readonly byKey = new Map<string, ProcedureInfo>();

  /** Tables later in the list only fill numbers the earlier ones leave free. */
  constructor(...tables: (readonly ProcedureInfo[])[]) {
    for (const t of tables) for (const p of t) {
      const k = `${p.program}:${p.proc}`;
      if (!this.byKey.has(k)) this.byKey.set(k, p);
    }
  }

  get(program: 'remote' | 'qemu', proc: number): ProcedureInfo | undefined {
    return this.byKey.get(`${program}:${proc}`);
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): ProcedureInfo[] {
    return [...this.byKey.values()];
  }
}

/** The generated procedure table plus any supplements (e.g. procedures not yet in `api/`). */
export function procedureTable(...supplements: (readonly ProcedureInfo[])[]): ProcedureTable {
  return new ProcedureTable(generatedRemote()?.PROCEDURES ?? [], ...supplements);
}

/** The domain event layouts, generated ones (by proc) overriding the built-in list. */
export function domainEventLayouts(): DomainEventLayout[] {
  const gen = generatedRemote()?.EVENT_MESSAGES ?? [];
  return DOMAIN_EVENTS.map((e) => {
    const g = gen.find((m) => m.proc === e.proc);
    if (!g) return e;
    return { ...e, fields: g.fields[0]?.[0] === 'callbackID' ? [...g.fields] : [CB, ...g.fields] };
  });
}
