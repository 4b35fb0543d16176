/**
 * Shared pieces of the corpus runners: reading `cases.tsv`, the README's comparison rule, and a
 * small unified diff for failure output.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export type CaseResult = { name: string; ok: boolean; diff?: string };

/** One row of `cases.tsv`: the case name and the other columns by header name (`-` → undefined). */
export interface CaseRow {
  name: string;
  columns: Record<string, string | undefined>;
  /** The raw columns after the name, in order (`-` kept). */
  raw: string[];
}

/** Parse the text of a `cases.tsv`: a `# `-prefixed header line, then tab-separated rows. */
export function parseCases(text: string): CaseRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let header: string[] = [];
  const rows: CaseRow[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) {
      if (header.length === 0)
        header = line
          .replace(/^#\s*/, '')
          .split('\t')
          .map((h) => h.trim());
      continue;
    }
    const cells = line.split('\t');
    const columns: Record<string, string | undefined> = {};
    for (let i = 1; i < cells.length; i++) {
      const key = header[i] ?? `col${i}`;
      columns[key] = cells[i] === '-' ? undefined : cells[i];
    }
    rows.push({ name: cells[0], columns, raw: cells.slice(1) });
  }
  return rows;
}

/** Read `DIR/cases.tsv`. */
export async function readCases(dir: string): Promise<CaseRow[]> {
  return parseCases(await fs.readFile(path.join(dir, 'cases.tsv'), 'utf8'));
}

/** A comma-separated flags column as a set. */
export function flagSet(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== ''),
  );
}

export interface CompareOptions {
  /** Apply relaxation 2 (append a missing final newline to the produced text). Default true. */
  relaxNewline?: boolean;
  /** Apply relaxation 1 (join backslash-newline in the expected text). Default true. */
  joinBackslashNewline?: boolean;
}

/**
 * The README's rule: byte equality after deleting backslash-newline pairs from the expected text
 * and, when it ends in a newline that the produced text lacks, appending one to the produced text.
 * Returns undefined on a match, else a unified diff (expected → produced).
 */
export function compareExpected(expectedText: string, produced: string, opts: CompareOptions = {}): string | undefined {
  const expected = opts.joinBackslashNewline === false ? expectedText : expectedText.replace(/\\\n/g, '');
  let actual = produced;
  if ((opts.relaxNewline ?? true) && expected.endsWith('\n') && !actual.endsWith('\n')) actual += '\n';
  if (expected === actual) return undefined;
  return unifiedDiff(expected, actual, 'expected', 'produced');
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) {
    return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  }
  // LCS table, then walk it forwards.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ kind: '-', line: a[i++] });
    } else {
      ops.push({ kind: '+', line: b[j++] });
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++] });
  while (j < m) ops.push({ kind: '+', line: b[j++] });
  return ops;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** A unified diff of two texts with `context` lines around each change. */
export function unifiedDiff(a: string, b: string, aName = 'a', bName = 'b', context = 3): string {
  const ops = diffLines(splitLines(a), splitLines(b));
  const out: string[] = [`--- ${aName}`, `+++ ${bName}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is within 2*context lines of the previous one.
    let start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if (ops[end].kind !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].kind === ' ') run++;
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    let aStart = 1;
    let bStart = 1;
    for (let t = 0; t < start; t++) {
      if (ops[t].kind !== '+') aStart++;
      if (ops[t].kind !== '-') bStart++;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}

/** Read a file, or undefined when it does not exist. */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Run `body` for one case, turning an unexpected exception into a failed result. */
export async function runCase(name: string, body: () => Promise<CaseResult> | CaseResult): Promise<CaseResult> {
  try {
    return await body();
  } catch (e) {
    const err = e as Error;
    return { name, ok: false, diff: `unexpected error: ${err.message}\n` };
  }
}

/** Compare and package as a CaseResult. */
export function resultFromComparison(name: string, expected: string, produced: string, opts?: CompareOptions): CaseResult {
  const diff = compareExpected(expected, produced, opts);
  return diff === undefined ? { name, ok: true } : { name, ok: false, diff };
}

/** libvirt's test random source (virrandommock): every request for n bytes gets 0x00, 0x01, ... (mod 256). */
export function mockRandomBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i & 0xff);
}
