/**
 * A RelaxNG grammar (libvirt's XML syntax, as in its `*.rng` schemas) read into plain patterns:
 * `<include>`s followed, `<define>`s with the same name merged by their `combine` mode, so a
 * generator can walk from `<start>` by reference name.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseXml, type XmlElement } from '@virtkit/xml';

/** One RelaxNG pattern; `kids` hold the child patterns of the structural kinds. */
export type Pattern =
  | { kind: 'element' | 'attribute'; name?: string; kids: Pattern[] }
  | { kind: 'group' | 'interleave' | 'choice' | 'optional' | 'zeroOrMore' | 'oneOrMore' | 'mixed' | 'list'; kids: Pattern[] }
  | { kind: 'ref'; name: string }
  | { kind: 'value'; value: string }
  | { kind: 'data'; type: string; params: Map<string, string> }
  | { kind: 'text' | 'empty' | 'notAllowed' | 'anyName' };

export interface Grammar {
  start: Pattern;
  defines: Map<string, Pattern>;
}

const STRUCTURAL = new Set(['group', 'interleave', 'choice', 'optional', 'zeroOrMore', 'oneOrMore', 'mixed', 'list']);

function patternOf(el: XmlElement): Pattern | undefined {
  const kids = () => el.elements().flatMap((c) => patternOf(c) ?? []);
  switch (el.name) {
    case 'element':
    case 'attribute': {
      const nameEl = el.element('name');
      const name = el.attr('name') ?? nameEl?.text().trim();
      // Named by a name class (anyName, nsName), or in another namespace (qemu:commandline,
      // lxc:namespace): foreign XML that a hypervisor-neutral driver does not read.
      if (!name || el.attr('ns')) return { kind: 'anyName' };
      return { kind: el.name, name, kids: kids() };
    }
    case 'ref':
    case 'parentRef':
      return { kind: 'ref', name: el.attr('name')! };
    case 'value':
      return { kind: 'value', value: el.text() };
    case 'data':
      return {
        kind: 'data',
        type: el.attr('type') ?? 'string',
        params: new Map(el.elements('param').map((p) => [p.attr('name')!, p.text()])),
      };
    case 'text':
    case 'empty':
    case 'notAllowed':
      return { kind: el.name };
    case 'name':
    case 'anyName':
    case 'nsName':
    case 'except':
    case 'param':
    case 'documentation':
      return undefined;
    default:
      if (STRUCTURAL.has(el.name)) return { kind: el.name as 'group', kids: kids() };
      return undefined;
  }
}

function merge(defines: Map<string, Pattern>, name: string, body: Pattern, combine: string | undefined): void {
  const old = defines.get(name);
  if (!old || !combine) {
    defines.set(name, body);
    return;
  }
  const mode = combine === 'interleave' ? 'interleave' : 'choice';
  defines.set(name, { kind: mode, kids: [old, body] });
}

function readGrammarFile(file: string, g: Grammar, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  const root = parseXml(readFileSync(file, 'utf8'));
  for (const el of root.elements()) {
    if (el.name === 'include') readGrammarFile(path.join(path.dirname(file), el.attr('href')!), g, seen);
  }
  for (const el of root.elements()) {
    if (el.name === 'start') g.start = { kind: 'group', kids: el.elements().flatMap((c) => patternOf(c) ?? []) };
    if (el.name === 'define') {
      const body: Pattern = { kind: 'group', kids: el.elements().flatMap((c) => patternOf(c) ?? []) };
      merge(g.defines, el.attr('name')!, body, el.attr('combine'));
    }
  }
}

/** Read a grammar from its entry file (`domain.rng`), following includes. */
export function loadGrammar(file: string): Grammar {
  const g: Grammar = { start: { kind: 'empty' }, defines: new Map() };
  readGrammarFile(file, g, new Set());
  return g;
}
