/** No run-time import cycle inside any package's sources (type-only imports are erased and do not count). */
import * as path from 'node:path';
import { ROOT, cycles, importsOf, resolveRelative, sourceFiles } from './graph';

function runtimeGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets = importsOf(f)
      .filter((e) => !e.typeOnly && e.specifier.startsWith('.'))
      .map((e) => resolveRelative(f, e.specifier))
      .filter((t): t is string => t !== undefined);
    graph.set(f, targets);
  }
  return graph;
}

test('the cycle finder reports a cycle', () => {
  expect(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
  ).toEqual([['a', 'b', 'c']]);
});

test('no package has a run-time import cycle in its sources', () => {
  const files = sourceFiles(path.join(ROOT, 'packages')).filter((f) => f.includes(`${path.sep}src${path.sep}`) && !f.endsWith('.test.ts'));
  const found = cycles(runtimeGraph(files)).map((c) => c.map((f) => path.relative(ROOT, f)));
  expect(found).toEqual([]);
});
