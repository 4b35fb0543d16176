/**
 * The differential suite: generated domain XML, defined on libvirt 9.0's test driver and on a
 * virtkit driver, must be accepted or refused alike (same error code and message) and, when
 * accepted, formatted byte for byte alike.
 */
import * as path from 'node:path';
import type { DriverConnection } from '@virtkit/core';
import { generateDomain } from './generate';
import { loadGrammar, type Grammar } from './rng';
import { DUMP_FLAGS, libvirtOutcomes, type Outcome } from './oracle';
import { exclusionFor } from './exclusions';

export { libvirtOutcomes, DUMP_FLAGS, type Outcome } from './oracle';
export { generateDomain, seededRandom } from './generate';
export { loadGrammar, type Grammar } from './rng';
export { EXCLUSIONS, exclusionFor, type Exclusion } from './exclusions';

/** The domain grammar committed with the project (libvirt 9.0's domain.rng and its includes). */
export function domainGrammar(schemasDir = path.resolve(__dirname, '../../../../test/fixtures/schemas')): Grammar {
  return loadGrammar(path.join(schemasDir, 'domain.rng'));
}

export interface CaseReport {
  seed: number;
  xml: string;
  /** `same`, `excluded` (differs, listed in EXCLUSIONS: the id) or `differs`. */
  verdict: 'same' | 'excluded' | 'differs';
  exclusion?: string;
  libvirt: Outcome;
  virtkit: Outcome;
}

/**
 * Values the test driver makes up when the input has none (MAC addresses, a `<genid/>`'s UUID)
 * are random on both sides; they are masked, and only where the input left them out.
 */
export function maskGenerated(input: string, xml: string): string {
  let out = xml;
  if (!/<mac\b/.test(input)) out = out.replace(/<mac address='52:54:00:[0-9a-f:]{8}'\/>/g, "<mac address='52:54:00:XX:XX:XX'/>");
  if (/<genid\/>/.test(input)) out = out.replace(/<genid>[0-9a-f-]{36}<\/genid>/, '<genid>GENERATED</genid>');
  return out;
}

function sameOutcome(input: string, a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return maskGenerated(input, a.xml) === maskGenerated(input, b.xml);
  if (!a.ok && !b.ok) return a.code === b.code && a.message === b.message;
  return false;
}

/** Run seeds `first`..`first+count-1` through libvirt and `virtkit` (define + format with DUMP_FLAGS). */
export async function runDifferential(
  grammar: Grammar,
  first: number,
  count: number,
  virtkit: (xml: string) => Promise<Outcome>,
  scope?: ReadonlySet<string>,
): Promise<CaseReport[]> {
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const xmls = seeds.map((s) => generateDomain(grammar, s, scope));
  const oracle = libvirtOutcomes(xmls);
  const reports: CaseReport[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const mine = await virtkit(xmls[i]);
    const same = sameOutcome(xmls[i], oracle[i], mine);
    const excl = same ? undefined : exclusionFor(xmls[i]);
    reports.push({
      seed: seeds[i],
      xml: xmls[i],
      verdict: same ? 'same' : excl ? 'excluded' : 'differs',
      exclusion: excl?.id,
      libvirt: oracle[i],
      virtkit: mine,
    });
  }
  return reports;
}

/** One line describing how an outcome differs, for reports. */
export function describeOutcome(o: Outcome): string {
  return o.ok ? 'accepted' : `error ${o.code}: ${o.message}`;
}

/** virtkit's outcome for one case on `conn`: define, format with DUMP_FLAGS, undefine. */
export function connectionOutcome(conn: DriverConnection): (xml: string) => Promise<Outcome> {
  return async (xml) => {
    try {
      const dom = await conn.domainDefineXML!(xml);
      const out = await conn.domainGetXMLDesc!(dom, DUMP_FLAGS);
      await conn.domainUndefine!(dom);
      return { ok: true, xml: out };
    } catch (e) {
      const err = e as { code?: number; message: string };
      return { ok: false, code: err.code ?? -1, message: err.message };
    }
  };
}
