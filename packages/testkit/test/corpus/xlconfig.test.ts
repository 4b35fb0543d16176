import * as path from 'node:path';
import { run } from '../../src/corpus/xlconfig';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/xlconfig');

describe('xlconfig corpus', () => {
  it('passes every case in both directions', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(39);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);
    expect(failed).toEqual([]);
  });
});
