import * as path from 'node:path';
import { run } from '../../../src/corpus/qemu/qemuxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/corpus/qemuxml2xml');

describe('qemuxml2xml corpus', () => {
  it('passes every one of the 146 runs (73 cases, inactive and active)', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(146);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);
    expect(failed).toEqual([]);
  });
});
