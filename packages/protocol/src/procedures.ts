/**
 * The procedure table both RPC ends work from: the generated `PROCEDURES` / `EVENT_MESSAGES` of
 * `generated/remote.gen.ts` (numbers, layouts, ACL permissions and SPI mapping, all from api/),
 * plus the generated numbers and layouts of the procedures the RPC ends handle themselves.
 */
import {
  EVENT_MESSAGES,
  PROCEDURES,
  PROGRAM_NUMBERS,
  READ_ONLY_PERMISSIONS,
  type ArgSource,
  type EventMessageInfo,
  type FlagPermission,
  type ProcedureInfo,
  type RetShape,
  type WireField,
} from './generated/remote.gen';
import { parseXdrType } from './xdr';

export { EVENT_MESSAGES, PROCEDURES, PROGRAM_NUMBERS, READ_ONLY_PERMISSIONS };
/**
 * The procedures the RPC ends handle themselves (open, close, URI, event callbacks, feature probes,
 * auth, close callbacks) and their wire layouts, generated from api/src/protocol.ts.
 */
export { AUTH_TYPE, CORE_LAYOUTS, FEATURE, MESSAGE_LAYOUTS, REMOTE_PROC } from './generated/protocol.gen';
export type { ArgSource, EventMessageInfo, FlagPermission, ProcedureInfo, RetShape, WireField };

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
