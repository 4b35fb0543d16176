import * as path from 'node:path';
import { run } from '../../src/corpus/genericxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/genericxml2xml');

describe('genericxml2xml corpus', () => {
  it('passes every case', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(27);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);
    expect(failed).toEqual([]);
  });
});
