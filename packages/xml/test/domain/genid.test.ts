import { formatDomainXml, parseDomainXml } from '../../src';

const xml = (genid: string) =>
  `<domain type='qemu'><name>g</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>${genid}` +
  `<memory unit='KiB'>219136</memory><os><type arch='x86_64'>hvm</type></os></domain>`;
const genidOf = (text: string) => /<genid>([^<]*)<\/genid>/.exec(text)?.[1];

describe('<genid>', () => {
  it('an empty one gets a version 4 UUID from the random source when parsed, as virUUIDGenerate makes it', () => {
    const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);
    const def = parseDomainXml(xml('<genid/>'), { inactive: true, randomBytes: counting });
    expect(genidOf(formatDomainXml(def, { inactive: true }))).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });

  it('is drawn from system randomness by default and kept once generated', () => {
    const first = genidOf(formatDomainXml(parseDomainXml(xml('<genid/>'), { inactive: true }), { inactive: true }))!;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = formatDomainXml(parseDomainXml(xml(`<genid>${first}</genid>`), { inactive: true }), { inactive: true });
    expect(genidOf(again)).toBe(first);
  });
});
