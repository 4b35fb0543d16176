/**
 * `api/public.syms`: every public symbol in append-only version blocks, the way libvirt's
 * `libvirt_public.syms` versions libvirt.so. A block becomes frozen once it is released: its
 * content is recorded in `api/released-symbols.json`, and from then on no symbol may enter it,
 * leave it, or move out of it.
 */
import type { CallModel } from './model';

export interface SymsBlock {
  version: string;
  parent: string | null;
  line: number;
  symbols: { name: string; line: number }[];
}

/** The committed record of released blocks: version name → its symbols. */
export type ReleasedRecord = Record<string, string[]>;

const BLOCK_OPEN = /^(VIRTKIT_(\d+)\.(\d+)\.(\d+))\s*\{$/;
const BLOCK_CLOSE = /^\}\s*(VIRTKIT_\d+\.\d+\.\d+)?\s*;$/;
const SYMBOL = /^([A-Za-z_][A-Za-z0-9_]*)\s*;$/;

/** Parses the version script; throws on syntax it does not know, naming the line. */
export function parseSyms(text: string, file = 'api/public.syms'): SymsBlock[] {
  const blocks: SymsBlock[] = [];
  let current: SymsBlock | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    const n = i + 1;
    if (line === '') return;
    const open = BLOCK_OPEN.exec(line);
    if (open && !current) {
      current = { version: open[1], parent: null, line: n, symbols: [] };
      return;
    }
    if (current && line === 'global:') return;
    const close = BLOCK_CLOSE.exec(line);
    if (current && close) {
      current.parent = close[1] ?? null;
      blocks.push(current);
      current = null;
      return;
    }
    const sym = SYMBOL.exec(line);
    if (current && sym) {
      (current as SymsBlock).symbols.push({ name: sym[1], line: n });
      return;
    }
    throw new Error(`${file}:${n}: cannot parse '${raw.trim()}'`);
  });
  if (current) throw new Error(`${file}: block ${(current as SymsBlock).version} is not closed`);
  return blocks;
}

function versionKey(v: string): number[] {
  return v
    .replace(/^VIRTKIT_/, '')
    .split('.')
    .map(Number);
}

function newer(a: string, b: string): boolean {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

/** Problems in the chain itself: order, parents, block names. */
function checkChain(blocks: SymsBlock[], file: string): string[] {
  const errors: string[] = [];
  blocks.forEach((b, i) => {
    const prev = blocks[i - 1];
    if (!prev && b.parent) errors.push(`${file}:${b.line}: the first block ${b.version} must close with a bare '};'`);
    if (prev && b.parent !== prev.version) {
      errors.push(`${file}:${b.line}: block ${b.version} must close with '} ${prev.version};' (it names ${b.parent ?? 'nothing'})`);
    }
    if (prev && !newer(b.version, prev.version)) errors.push(`${file}:${b.line}: block ${b.version} is not newer than ${prev.version}`);
  });
  return errors;
}

/**
 * Every failure that makes the symbol file disagree with the calls of `api/` or with the released
 * record. An empty list means the versioning is sound.
 */
export function checkSyms(text: string, calls: CallModel[], released: ReleasedRecord, file = 'api/public.syms'): string[] {
  let blocks: SymsBlock[];
  try {
    blocks = parseSyms(text, file);
  } catch (e) {
    return [(e as Error).message];
  }
  const errors = checkChain(blocks, file);
  const where = new Map<string, { block: string; line: number }>();
  for (const b of blocks) {
    for (const s of b.symbols) {
      const seen = where.get(s.name);
      if (seen) errors.push(`${file}:${s.line}: ${s.name} is listed twice (first in ${seen.block} at line ${seen.line})`);
      else where.set(s.name, { block: b.version, line: s.line });
    }
  }

  const releasedIn = new Map<string, string>();
  for (const [version, symbols] of Object.entries(released)) {
    const block = blocks.find((b) => b.version === version);
    if (!block) errors.push(`${file}: released block ${version} is missing; released blocks never change`);
    for (const name of symbols) {
      releasedIn.set(name, version);
      const now = where.get(name);
      if (!now) errors.push(`${file}: ${name} was removed from released block ${version}; released blocks never change`);
      else if (now.block !== version) {
        errors.push(`${file}:${now.line}: ${name} moved from released block ${version} to ${now.block}; released blocks never change`);
      }
    }
    for (const s of block?.symbols ?? []) {
      if (!symbols.includes(s.name)) {
        errors.push(`${file}:${s.line}: ${s.name} was added to released block ${version}; add it to a new block instead`);
      }
    }
  }

  const defined = new Map(calls.map((c) => [c.c, c]));
  for (const call of calls) {
    const at = where.get(call.c);
    if (!at) errors.push(`${call.file}: ${call.c} is not listed in ${file}; add it to block VIRTKIT_${call.since}`);
    else if (at.block !== `VIRTKIT_${call.since}` && releasedIn.get(call.c) === undefined) {
      errors.push(`${file}:${at.line}: ${call.c} is in block ${at.block} but its definition says since ${call.since}`);
    } else if (releasedIn.has(call.c) && releasedIn.get(call.c) !== `VIRTKIT_${call.since}`) {
      errors.push(`${call.file}: ${call.c} says since ${call.since} but was released in ${releasedIn.get(call.c)}`);
    }
  }
  for (const [name, at] of where) {
    if (!defined.has(name) && !releasedIn.has(name)) errors.push(`${file}:${at.line}: ${name} has no definition in api/src`);
  }
  return errors;
}

/** The record after releasing `version`: its block's symbols, frozen. */
export function releaseBlock(text: string, released: ReleasedRecord, version: string): ReleasedRecord {
  const block = parseSyms(text).find((b) => b.version === version);
  if (!block) throw new Error(`no block ${version} in api/public.syms`);
  return { ...released, [version]: block.symbols.map((s) => s.name).sort() };
}
