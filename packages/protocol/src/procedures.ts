/**
 * The procedure table both RPC ends work from: the generated `PROCEDURES` / `EVENT_MESSAGES` of
 * `generated/remote.gen.ts` (numbers, layouts, ACL permissions and SPI mapping, all from api/),
 * plus the protocol-level procedures that are not public calls (auth, feature probes, event
 * registration, keepalive).
 */
import {
  EVENT_MESSAGES, PROCEDURES, PROGRAM_NUMBERS, READ_ONLY_PERMISSIONS, type ArgSource, type EventMessageInfo, type FlagPermission, type ProcedureInfo,
  type RetShape, type WireField,
} from './generated/remote.gen';
import { parseXdrType, type FieldLayout } from './xdr';

export { EVENT_MESSAGES, PROCEDURES, PROGRAM_NUMBERS, READ_ONLY_PERMISSIONS };
export type { ArgSource, EventMessageInfo, FlagPermission, ProcedureInfo, RetShape, WireField };

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

/** The layouts api/ records for a public call the protocol code handles itself (open, close, events). */
function apiLayout(procName: string): { args: FieldLayout; ret: FieldLayout } {
  const p = PROCEDURES.find((x) => x.procName === procName);
  if (!p) throw new Error(`${procName} is missing from the generated procedure table`);
  return { args: p.args, ret: p.ret };
}

/**
 * Wire layouts of the procedures the RPC ends handle themselves: public calls of api/ whose
 * implementation is protocol work (open, close, URI, event callbacks), plus the protocol-only
 * procedures api/ does not define (docs/wire-protocol.md §5.1, §5.6).
 */
export const CORE_LAYOUTS: Record<number, { args: FieldLayout; ret: FieldLayout }> = {
  [REMOTE_PROC.CONNECT_OPEN]: apiLayout('REMOTE_PROC_CONNECT_OPEN'),
  [REMOTE_PROC.CONNECT_CLOSE]: apiLayout('REMOTE_PROC_CONNECT_CLOSE'),
  [REMOTE_PROC.CONNECT_GET_URI]: apiLayout('REMOTE_PROC_CONNECT_GET_URI'),
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY]: apiLayout('REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY'),
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY]: apiLayout('REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY'),
  [REMOTE_PROC.CONNECT_SUPPORTS_FEATURE]: { args: [['feature', 'int']], ret: [['supported', 'int']] },
  [REMOTE_PROC.AUTH_LIST]: { args: [], ret: [['types', 'int<20>']] },
  [REMOTE_PROC.AUTH_POLKIT]: { args: [], ret: [['complete', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER]: { args: [], ret: [['cb_registered', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER]: { args: [], ret: [['cb_registered', 'int']] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER_ANY]: { args: [['eventID', 'int']], ret: [] },
  [REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY]: { args: [['eventID', 'int']], ret: [] },
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

/** Lookup of procedures by (program, number). */
export class ProcedureTable {
  private readonly byKey = new Map<string, ProcedureInfo>();

  /** Every layout is parsed here, so a type the codec cannot carry fails at startup, not mid-call. */
  constructor(procedures: readonly ProcedureInfo[]) {
    for (const p of procedures) {
      for (const [, type] of [...p.args, ...p.ret]) parseXdrType(type);
      this.byKey.set(`${p.program}:${p.proc}`, p);
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

/** The generated procedure table. */
export function procedureTable(): ProcedureTable {
  return new ProcedureTable(PROCEDURES);
}

/** A domain event message layout (the generated `EventMessageInfo`). */
export type DomainEventLayout = EventMessageInfo;

/** The domain event messages of api/, by callback procedure. */
export function domainEventLayouts(): readonly DomainEventLayout[] {
  return EVENT_MESSAGES;
}
