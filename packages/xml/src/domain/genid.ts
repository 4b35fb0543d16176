/**
 * An empty `<genid/>` asks for a VM generation ID (virDomainDefParseXML): a version 4 UUID drawn
 * from the random source when the definition is parsed, and kept in it from then on.
 */
import { randomBytes } from 'node:crypto';
import { parseUuid } from '@virtkit/core';
import type { DomainDef } from './types';

/** Fill an empty `<genid/>` of `def` with a new UUID made of `random`'s bytes (virUUIDGenerate). */
export function fillGenid(def: DomainDef, random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n))): void {
  const el = def.preserved.get('genid')?.[0];
  if (!el || el.text().trim() !== '') return;
  const b = random(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  el.children.splice(0, el.children.length, { kind: 'text', text: parseUuid(Buffer.from(b).toString('hex'))! });
}
