import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { corpusRunner, registerCorpusKind } from '../../src/corpus/index';
import { main } from '../../src/corpus/cli';
import { compareExpected, parseCases, unifiedDiff } from '../../src/corpus/common';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus');

describe.each(['snapshotxml', 'checkpointxml', 'backupxml'])('corpus %s', (kind) => {
  it('passes every case', async () => {
    const results = await corpusRunner(kind)!(path.join(FIXTURES, kind));
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => `${r.name}\n${r.diff}`)).toEqual([]);
    expect(results.length).toBe({ snapshotxml: 13, checkpointxml: 1, backupxml: 4 }[kind]);
  });
});

describe('checkpointxml invalid cases', () => {
  it('passes when parsing fails and fails when it succeeds', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chk-'));
    await fs.writeFile(path.join(dir, 'cases.tsv'), '# case\tcreation-time\tflags\nbad\t0\tinvalid\ngood\t0\tinvalid\n');
    await fs.writeFile(path.join(dir, 'bad.in.xml'), '<domaincheckpoint><bogus/></domaincheckpoint>\n');
    await fs.writeFile(path.join(dir, 'good.in.xml'), '<domaincheckpoint><name>x</name></domaincheckpoint>\n');
    const results = await corpusRunner('checkpointxml')!(dir);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['bad', true],
      ['good', false],
    ]);
  });
});

describe('common', () => {
  it('reads cases.tsv with - as none', () => {
    const rows = parseCases('# case\tdomain-uuid\tflags\na.b+c\t-\tredefine,internal\n');
    expect(rows).toEqual([
      { name: 'a.b+c', columns: { 'domain-uuid': undefined, flags: 'redefine,internal' }, raw: ['-', 'redefine,internal'] },
    ]);
  });

  it('applies the comparison relaxations', () => {
    expect(compareExpected('a \\\nb\n', 'a b')).toBeUndefined();
    expect(compareExpected('x\n', 'x', { relaxNewline: false })).toBeDefined();
    expect(compareExpected('x\n', 'y\n')).toContain('-x\n+y');
  });

  it('writes unified diffs with hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const b = a.replace('l10', 'L10');
    expect(unifiedDiff(a, b)).toBe('--- a\n+++ b\n@@ -8,7 +8,7 @@\n l7\n l8\n l9\n-l10\n+L10\n l11\n l12\n l13\n');
  });
});

describe('cli', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  }

  it('prints the summary line and exits 0 when all pass', async () => {
    const c = capture();
    expect(await main(['backupxml', path.join(FIXTURES, 'backupxml')], c.io)).toBe(0);
    expect(c.out.join('')).toBe('4 passed, 0 failed\n');
  });

  it('prints failures with diffs and exits 1', async () => {
    registerCorpusKind('test-failing', async () => [
      { name: 'one', ok: true },
      { name: 'two', ok: false, diff: '--- expected\n+++ produced\n' },
    ]);
    const c = capture();
    expect(await main(['test-failing', FIXTURES], c.io)).toBe(1);
    const text = c.out.join('');
    expect(text).toContain('two');
    expect(text).toContain('+++ produced');
    expect(text.trimEnd().split('\n').pop()).toBe('1 passed, 1 failed');
  });

  it('exits 2 on usage errors', async () => {
    expect(await main([], capture().io)).toBe(2);
    expect(await main(['no-such-kind', FIXTURES], capture().io)).toBe(2);
    expect(await main(['snapshotxml', '/nonexistent/dir'], capture().io)).toBe(2);
  });
});

describe.each([
  ['lxcxml2xml', 6],
  ['lxcconf2xml', 14],
])('corpus %s', (kind, cases) => {
  it('passes every case', async () => {
    const results = await corpusRunner(kind)!(path.join(FIXTURES, kind));
    expect(results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff}`)).toEqual([]);
    expect(results.length).toBe(cases);
  });
});
