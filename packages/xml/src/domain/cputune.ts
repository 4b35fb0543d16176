/**
 * `<cputune>` resource-control children (cachetune, memorytune): the overlap checks of
 * virDomainCachetuneDefParse / virDomainMemorytuneDefParse and the formatter's child order
 * (allocations before monitors).
 */
import { VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { formatBitmap, parseBitmap, sortChildren } from './node';

function vcpusOf(el: XmlElement): number[] {
  const text = el.attr('vcpus');
  if (text === undefined) throw VirError.xml(`Missing attribute vcpus for ${el.name}`);
  const bits = parseBitmap(text);
  if (!bits) throw VirError.xml(`Invalid value of 'vcpus': ${text}`);
  return bits;
}

function overlaps(a: number[], b: number[]): boolean {
  return a.some((x) => b.includes(x));
}

function checkMonitors(tune: XmlElement, vcpus: number[]): void {
  const seen: number[][] = [];
  for (const m of tune.elements('monitor')) {
    const mv = vcpusOf(m);
    if (!mv.every((v) => vcpus.includes(v))) {
      throw VirError.xml(`Monitor vcpus conflicts with allocation`);
    }
    for (const s of seen) {
      if (s.length === mv.length && s.every((v, i) => v === mv[i])) throw VirError.xml('Identical vcpus found in same allocation');
    }
    seen.push(mv);
  }
}

/** Validate and normalise the cachetune and memorytune children of `<cputune>`. */
export function normalizeCputune(cputune: XmlElement): void {
  const cacheSets: number[][] = [];
  const memSets: number[][] = [];
  for (const tune of cputune.elements()) {
    if (tune.name === 'cachetune') {
      const vcpus = vcpusOf(tune);
      for (const s of cacheSets) if (overlaps(s, vcpus)) throw VirError.xml('Overlapping vcpus in cachetunes');
      cacheSets.push(vcpus);
      const seen = new Set<string>();
      for (const c of tune.elements('cache')) {
        const key = `${c.attr('id')}/${c.attr('level')}/${c.attr('type')}`;
        if (seen.has(key)) throw VirError.xml(`Cache allocation for cache id ${c.attr('id')} already defined`);
        seen.add(key);
      }
      checkMonitors(tune, vcpus);
      sortChildren(tune, ['cache', 'monitor']);
      tune.attrs.set('vcpus', formatBitmap(vcpus));
    } else if (tune.name === 'memorytune') {
      const vcpus = vcpusOf(tune);
      for (const s of memSets) if (overlaps(s, vcpus)) throw VirError.xml('Overlapping vcpus in memorytunes');
      memSets.push(vcpus);
      const seen = new Set<string>();
      for (const n of tune.elements('node')) {
        const id = n.attr('id') ?? '';
        if (seen.has(id)) throw VirError.xml(`Memory Bandwidth already defined for node ${id}`);
        seen.add(id);
      }
      checkMonitors(tune, vcpus);
      sortChildren(tune, ['node', 'monitor']);
      tune.attrs.set('vcpus', formatBitmap(vcpus));
    }
  }
}
