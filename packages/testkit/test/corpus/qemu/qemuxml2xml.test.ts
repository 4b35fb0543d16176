import * as path from 'node:path';
import { run } from '../../../src/corpus/qemu/qemuxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/corpus/qemuxml2xml');

describe('qemuxml2xml corpus', () => {
  it('passes every one of the 150 runs (75 cases, inactive and active)', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(150);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);
    expect(failed).toEqual([]);
  });
});
