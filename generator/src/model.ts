/** The API model the generator builds from `api/src` and hands to every emitter. */
import type { CallDef, StructDef, TypedParamFamilyDef, WireField, WireProtocolDef, WireStructDef } from '@virtkit/api';

export type { CallDef, StructDef, WireField, WireProtocolDef, WireStructDef };

/** A TypeScript enum of `api/src`, with its members' computed values. */
export interface EnumModel {
  name: string;
  doc: string;
  file: string;
  members: { name: string; value: number; doc: string }[];
}

/** libvirt's message templates for one error number. */
export interface ErrorMessageModel {
  code: string;
  plain: string;
  withDetail: string;
}

/** A domain event's wire payload. */
export interface EventModel {
  eventId: string;
  proc: number;
  procName: string;
  legacyProc: number | null;
  legacyProcName: string | null;
  fields: WireField[];
  callbackOnly?: string[];
}

/** The fields of an event's legacy message: the callback message's without callbackID and its callback-only fields. */
export function legacyEventFields<T extends [string, ...unknown[]]>(e: EventModel, fields: T[]): T[] {
  const drop = new Set(['callbackID', ...(e.callbackOnly ?? [])]);
  return fields.filter(([n]) => !drop.has(n));
}

/** A call plus where it was defined, for error messages. */
export interface CallModel extends CallDef {
  file: string;
  /** The driver SPI method name: the C name without `vir`, first letter lowered. */
  spi: string;
}

export interface ApiModel {
  calls: CallModel[];
  structs: StructDef[];
  enums: EnumModel[];
  errorMessages: ErrorMessageModel[];
  events: EventModel[];
  /** Records nested in remote messages, by the name the wire types use. */
  wireStructs: WireStructDef[];
  /** The RPC protocol's own definitions (`api/src/protocol.ts`), null in a tree without them. */
  protocol: WireProtocolDef | null;
  /** The wire constants of `api/src/protocol.ts`: enums that are not public API. */
  protocolEnums: EnumModel[];
  /** Typed parameters that families of calls take by name, with their types. */
  paramFamilies: TypedParamFamilyDef[];
}

/** The module of api/ whose enums are wire constants rather than public API. */
export const PROTOCOL_MODULE = 'protocol.ts';

/** Objects in the order their classes and docs are emitted. */
export const OBJECT_ORDER = [
  'Connect',
  'Domain',
  'DomainSnapshot',
  'DomainCheckpoint',
  'StoragePool',
  'StorageVol',
  'Network',
  'NetworkPort',
  'Interface',
  'Secret',
  'NodeDevice',
  'Stream',
] as const;

/** `virDomainGetInfo` → `domainGetInfo`, libvirt's driver-table naming. */
export function spiName(c: string): string {
  const bare = c.replace(/^vir/, '');
  return bare[0].toLowerCase() + bare.slice(1);
}
