/**
 * The gating helper: the first unmet need gives the reason, VIRTKIT_SKIP_LIBVIRTD turns libvirtd
 * off, and a skip carries that reason.
 */
import { describeUnless, missing, testUnless } from '../src/requires';

test('no needs, nothing missing', () => {
  expect(missing()).toBeNull();
});

test('VIRTKIT_SKIP_LIBVIRTD makes libvirtd missing, and the first unmet need is the reason given', () => {
  process.env.VIRTKIT_SKIP_LIBVIRTD = '1';
  try {
    expect(missing('libvirtd')).toBe('VIRTKIT_SKIP_LIBVIRTD is set');
    expect(missing('libvirtd', 'openssl')).toBe('VIRTKIT_SKIP_LIBVIRTD is set');
  } finally {
    delete process.env.VIRTKIT_SKIP_LIBVIRTD;
  }
});

test('root is missing exactly when the tests do not run as uid 0', () => {
  expect(missing('root') === null).toBe(process.getuid?.() === 0);
});

test("without a reason the helpers are jest's own describe and test", () => {
  expect(describeUnless(null)).toBe(describe);
  expect(testUnless(null)).toBe(test);
  expect(testUnless('why')).not.toBe(test);
});
