import { ErrorNumber, VirError } from '@virtkit/core';
import { LLONG_MAX, ULLONG_MAX, parseScaledElement, parseULL, scaleInteger, unitScale } from '../src/scaled';
import { parseXml } from '../src/tree';

describe('scaled integers', () => {
  it.each([
    [undefined, 1024n, 1024n],
    ['', 1n, 1n],
    ['b', 1024n, 1n],
    ['bytes', 1024n, 1n],
    ['BYTE', 1n, 1n],
    ['k', 1n, 1024n],
    ['KiB', 1n, 1024n],
    ['KB', 1n, 1000n],
    ['M', 1n, 1024n ** 2n],
    ['MiB', 1n, 1024n ** 2n],
    ['mb', 1n, 1000n ** 2n],
    ['GiB', 1n, 1024n ** 3n],
    ['G', 1n, 1024n ** 3n],
    ['TB', 1n, 1000n ** 4n],
    ['PiB', 1n, 1024n ** 5n],
    ['EiB', 1n, 1024n ** 6n],
  ])('unit %p (default scale %p) multiplies by %p', (unit, scale, expected) => {
    expect(unitScale(unit, scale)).toBe(expected);
  });

  it('rejects unknown suffixes with invalid-argument', () => {
    for (const u of ['KiBB', 'Xi', 'q', 'KBx']) {
      try {
        unitScale(u, 1n);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(VirError);
        expect((e as VirError).code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
        expect((e as VirError).message).toBe(`invalid argument: unknown suffix '${u}'`);
      }
    }
  });

  it('refuses results over the limit', () => {
    expect(scaleInteger(8n, 'EiB', 1n, ULLONG_MAX)).toBe(8n * 1024n ** 6n);
    expect(() => scaleInteger(8n, 'EiB', 1n, LLONG_MAX)).toThrow(/value too large: 8EiB/);
    expect(scaleInteger(0n, 'EiB', 1n, 1n)).toBe(0n);
  });

  it('parses unsigned decimals strictly', () => {
    expect(parseULL('42')).toBe(42n);
    expect(parseULL(' +7')).toBe(7n);
    expect(parseULL('18446744073709551615')).toBe(ULLONG_MAX);
    expect(parseULL('18446744073709551616')).toBeUndefined();
    expect(parseULL('-1')).toBeUndefined();
    expect(parseULL('1.5')).toBeUndefined();
    expect(parseULL('0x10')).toBeUndefined();
  });

  it('reads an element with its unit attribute', () => {
    const el = parseXml("<x><size unit='MiB'>3</size><bad>z</bad></x>");
    expect(parseScaledElement(el.element('size'), './size', 1n, ULLONG_MAX)).toBe(3n * 1024n * 1024n);
    expect(parseScaledElement(undefined, './size', 1n, ULLONG_MAX)).toBeUndefined();
    expect(() => parseScaledElement(undefined, './size', 1n, ULLONG_MAX, true)).toThrow("XML error: missing element or attribute './size'");
    expect(() => parseScaledElement(el.element('bad'), './bad', 1n, ULLONG_MAX)).toThrow(
      "XML error: Invalid value 'z' for element or attribute './bad'",
    );
  });
});
