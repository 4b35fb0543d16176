import * as path from 'node:path';
import { run } from './qemuxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/qemuxml2xml');
/** Cases (× inactive/active) known to pass; raise it when more pass, never lower it. */
const FLOOR = 132;

describe('qemuxml2xml corpus', () => {
  it(`passes at least ${FLOOR} of 140 runs`, async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(140);
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(FLOOR);
  });
});
