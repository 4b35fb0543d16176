import { renderTable } from '../src/table';
import { prettyCapacity, renderTree } from '../src/format';

test('table, tree and capacity formatting', () => {
  expect(renderTable(['Id', 'Name'], [['1', 'test']], false)).toBe(' Id   Name\n------------\n 1    test\n');
  expect(renderTable(['Id', 'Name'], [['1', 'test']], true)).toBe(' 1   test\n');
  expect(renderTree(['a', 'b', 'c'], [-1, 0, 0])).toBe('a\n  |\n  +- b\n  +- c\n    \n');
  expect(prettyCapacity(0)).toBe('0.00 B');
  expect(prettyCapacity(10 * 1024 * 1024)).toBe('10.00 MiB');
});
