/** The XML reader's limits: libxml2's nesting depth, refused as soon as it is passed. */
import { ErrorNumber, VirError } from '@virtkit/core';
import { parseXml } from '../src/tree';

function nested(depth: number): string {
  return '<a>'.repeat(depth) + '</a>'.repeat(depth);
}

describe('parseXml nesting', () => {
  test("256 levels are read; the 257th is refused with libxml2's words", () => {
    expect(parseXml(nested(256)).name).toBe('a');
    let err: unknown;
    try {
      parseXml(nested(257));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VirError);
    expect(err).toMatchObject({
      code: ErrorNumber.VIR_ERR_XML_ERROR,
      message: 'XML error: Excessive depth in document: 256 use XML_PARSE_HUGE option',
    });
  });

  test('a 500,000-deep document is refused without reading it to the end', () => {
    const doc = nested(500000);
    const t0 = process.hrtime.bigint();
    expect(() => parseXml(doc)).toThrow(/Excessive depth in document: 256/);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // Reading the whole document took seconds; stopping at level 257 takes a few milliseconds.
    expect(ms).toBeLessThan(1000);
  });
});
