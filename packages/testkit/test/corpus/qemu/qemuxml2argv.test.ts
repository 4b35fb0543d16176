import * as path from 'node:path';
import { run } from '../../../src/corpus/qemu/qemuxml2argv';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/corpus/qemuxml2argv');

describe('qemuxml2argv corpus', () => {
  it('passes every one of the 227 cases', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(227);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);
    expect(failed).toEqual([]);
  });
});
