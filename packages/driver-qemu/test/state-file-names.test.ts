/** state/file-names.ts: every legal name has one file name within NAME_MAX, ordinary names keep libvirt's. */
import { fileNameFor, NAME_MAX, nameOfFile } from '../src/state/file-names';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('state file names', () => {
  test("ordinary names keep libvirt's NAME.xml layout", () => {
    for (const name of ['vm1', 'my-vm_2.test', 'a--b', 'ünïcødé-😀', 'sp ace "q" <&>', 'x.', 'a.b.c']) {
      expect(fileNameFor(name, '.xml')).toBe(`${name}.xml`);
      expect(nameOfFile(`${name}.xml`, '.xml')).toBe(name);
    }
  });

  test('a leading dot, %, /, control characters and lone surrogates are escaped, and the escape reverses', () => {
    const cases: Array<[string, string]> = [
      ['.', '%2E'],
      ['..', '%2E.'],
      ['.hidden', '%2Ehidden'],
      ['a.', 'a.'],
      ['%2E', '%252E'],
      ['100%', '100%25'],
      ['a/b', 'a%2Fb'],
      ['tab\there', 'tab%09here'],
      ['cr\r', 'cr%0D'],
      ['del\x7f', 'del%7F'],
      ['lone\ud800', 'lone%uD800'],
      ['lone\udfff', 'lone%uDFFF'],
      ['pair😀', 'pair😀'],
    ];
    for (const [name, stem] of cases) {
      expect(fileNameFor(name, '.xml')).toBe(`${stem}.xml`);
      expect(nameOfFile(`${stem}.xml`, '.xml')).toBe(name);
      expect(fileNameFor(name, '')).toBe(stem);
    }
  });

  test('file names the mapping never makes stand for no name', () => {
    for (const f of ['.hidden.xml', '%2e.xml', '%41.xml', 'a%.xml', 'a%2.xml', '.xml', 'vm1.json', '.vk-tmp.12.abc', 'a%~0123.xml']) {
      expect(nameOfFile(f, '.xml')).toBeUndefined();
    }
  });

  test('long names fit NAME_MAX with every suffix, cut between characters, with a hash that keeps them apart', () => {
    const long = [
      'n'.repeat(250),
      'n'.repeat(251),
      'n'.repeat(300),
      'é'.repeat(200),
      '😀'.repeat(100),
      '%'.repeat(100),
      `.${'x'.repeat(260)}`,
    ];
    for (const name of long) {
      for (const suffix of ['.xml', '.json', '.log', '.pid', '']) {
        const f = fileNameFor(name, suffix);
        expect(bytes(f)).toBeLessThanOrEqual(NAME_MAX);
        expect(Buffer.from(f, 'utf8').toString('utf8')).toBe(f); // no character split
        expect(f.startsWith('.')).toBe(false);
        expect(f.endsWith(suffix)).toBe(true);
      }
    }
    expect(fileNameFor('n'.repeat(251), '.xml')).toBe(`${'n'.repeat(251)}.xml`); // 255 bytes: still as is
    expect(fileNameFor('n'.repeat(252), '.xml')).toMatch(/^n+%~[0-9a-f]{32}\.xml$/);
    expect(fileNameFor(`${'n'.repeat(300)}a`, '.xml')).not.toBe(fileNameFor(`${'n'.repeat(300)}b`, '.xml'));
    expect(nameOfFile(fileNameFor('n'.repeat(300), '.xml'), '.xml')).toBeUndefined(); // only the content knows
  });

  test('no two names share a file name (random names over the troublesome alphabet)', () => {
    const alphabet = ['.', '%', '2', 'E', 'e', '/', 'a', 'é', '\t', '😀', '-', '~', 'u', '\ud800', '\udc00', '\ufffd'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const seen = new Map<string, string>();
    const wrong: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const len = rand(8) === 0 ? 200 + rand(150) : 1 + rand(6);
      let name = '';
      for (let j = 0; j < len; j++) name += alphabet[rand(alphabet.length)];
      const f = fileNameFor(name, '.xml');
      const other = seen.get(f);
      if (other !== undefined && other !== name) wrong.push(`${JSON.stringify(name)} and ${JSON.stringify(other)} share ${f}`);
      seen.set(f, name);
      const back = nameOfFile(f, '.xml');
      if (f.includes('/') || (back === undefined ? !f.includes('%~') : back !== name))
        wrong.push(`${JSON.stringify(name)} -> ${f} -> ${back}`);
    }
    expect(wrong).toEqual([]);
  });
});
