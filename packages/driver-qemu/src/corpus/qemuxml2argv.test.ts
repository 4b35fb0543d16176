import * as path from 'node:path';
import { run } from './qemuxml2argv';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/qemuxml2argv');
/** Cases known to pass; raise it when more pass, never lower it. */
const FLOOR = 213;

describe('qemuxml2argv corpus', () => {
  it(`passes at least ${FLOOR} of 215 cases`, async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(215);
    const passed = results.filter((r) => r.ok).length;
    if (passed < FLOOR) {
      const failed = results.filter((r) => !r.ok).map((r) => r.name);
      throw new Error(`only ${passed} passed; failing: ${failed.join(', ')}`);
    }
  });
});
