/**
 * The migration cookie as libvirt writes and reads it: NUL-terminated `<qemu-migration>` XML
 * naming the domain and host, with the persistent definition right inside; a cookie for another
 * domain, from this very host, without its NUL or with a feature this driver cannot honour is
 * refused with libvirt's messages.
 */
import { formatCookie, parseCookie, type MigrationCookie } from '../../src/migration/cookie';

const UUID = 'c7a5fdbd-edaf-9455-926a-d65c16db1809';
const HOST_A = '11111111-2222-3333-4444-555555555555';
const HOST_B = '99999999-2222-3333-4444-555555555555';
const base: MigrationCookie = { name: 'guest', uuid: UUID, hostname: 'a.example', hostuuid: HOST_A, features: [] };
const text = (c: Uint8Array) => Buffer.from(c).toString('utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(`${s}\0`));

describe('migration cookie', () => {
  test("is written as libvirt's qemuMigrationCookieXMLFormat does, NUL-terminated", () => {
    const persistent = "<domain type='qemu'>\n  <name>guest</name>\n  <uuid>" + UUID + '</uuid>\n</domain>';
    const c = formatCookie({ ...base, graphics: { type: 'vnc', port: 5900, listen: '0.0.0.0' }, persistent });
    expect(c[c.length - 1]).toBe(0);
    expect(text(c)).toBe(
      '<qemu-migration>\n' +
        '  <name>guest</name>\n' +
        `  <uuid>${UUID}</uuid>\n` +
        '  <hostname>a.example</hostname>\n' +
        `  <hostuuid>${HOST_A}</hostuuid>\n` +
        "  <graphics type='vnc' port='5900' listen='0.0.0.0'/>\n" +
        "  <domain type='qemu'>\n" +
        '    <name>guest</name>\n' +
        `    <uuid>${UUID}</uuid>\n` +
        '  </domain>\n' +
        '</qemu-migration>\n\0',
    );
  });

  test('reads back what it wrote: graphics, persistent definition, NBD, statistics', () => {
    const persistent = `<domain type='qemu'><name>guest</name><uuid>${UUID}</uuid></domain>`;
    const c = formatCookie({
      ...base,
      features: ['nbd'],
      persistent,
      nbd: { port: 49153, disks: [{ target: 'vda', capacity: 1048576 }] },
      statistics: { started: 10, stopped: 20 },
    });
    const r = parseCookie(c, { name: 'guest', uuid: UUID }, HOST_B)!;
    expect(r).toMatchObject({ name: 'guest', hostname: 'a.example', hostuuid: HOST_A, features: ['nbd'] });
    expect(r.persistent).toBe(persistent);
    expect(r.nbd).toEqual({ port: 49153, disks: [{ target: 'vda', capacity: 1048576 }] });
    expect(r.statistics).toEqual({ started: 10, stopped: 20 });
  });

  test('an empty cookie reads as none', () => {
    expect(parseCookie(new Uint8Array(0), { uuid: UUID }, HOST_B)).toBeNull();
  });

  test.each([
    ['not NUL-terminated', new Uint8Array(Buffer.from('<qemu-migration/>')), 'Migration cookie was not NULL terminated'],
    ['for another domain', formatCookie({ ...base, name: 'other' }), 'Incoming cookie data had unexpected name other vs guest'],
    ['from this very host', formatCookie({ ...base, hostuuid: HOST_B }), `Attempt to migrate guest to the same host ${HOST_B}`],
    ['with an unknown feature', formatCookie({ ...base, features: ['teleport'] }), 'Unknown migration cookie feature teleport'],
    ['with a feature not acted on', formatCookie({ ...base, features: ['cpu'] }), 'Unsupported migration cookie feature cpu'],
    [
      'without a hostuuid',
      bytes(`<qemu-migration><name>guest</name><uuid>${UUID}</uuid><hostname>h</hostname></qemu-migration>`),
      'missing hostuuid element in migration data',
    ],
  ])('is refused %s', (_what, cookie, message) => {
    expect(() => parseCookie(cookie, { name: 'guest', uuid: UUID }, HOST_B)).toThrow(`internal error: ${message}`);
  });
});
