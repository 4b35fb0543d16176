import { checkSyms, parseSyms, releaseBlock } from '../src/syms';
import type { CallModel } from '../src/model';

function call(c: string, since = '0.1.0'): CallModel {
  return {
    c,
    since,
    spi: c,
    file: 'api/src/x.ts',
    object: 'Connect',
    name: c,
    doc: '',
    params: [],
    returns: 'void',
    acl: ['connect:read'],
    readOnlySafe: true,
    impl: 'driver',
    remote: null,
    python: null,
  };
}

const TWO_BLOCKS = `# test
VIRTKIT_0.1.0 {
    global:
        virA;
        virB;
};

VIRTKIT_0.2.0 {
    global:
        virC;
} VIRTKIT_0.1.0;
`;
const CALLS = [call('virA'), call('virB'), call('virC', '0.2.0')];
const RELEASED = { 'VIRTKIT_0.1.0': ['virA', 'virB'] };

describe('public.syms checker', () => {
  it('accepts a sound file', () => {
    expect(checkSyms(TWO_BLOCKS, CALLS, RELEASED)).toEqual([]);
    expect(parseSyms(TWO_BLOCKS).map((b) => [b.version, b.parent])).toEqual([
      ['VIRTKIT_0.1.0', null],
      ['VIRTKIT_0.2.0', 'VIRTKIT_0.1.0'],
    ]);
  });

  it('fails when a defined call is missing', () => {
    const errors = checkSyms(TWO_BLOCKS, [...CALLS, call('virD', '0.2.0')], RELEASED);
    expect(errors).toEqual([expect.stringContaining('virD is not listed in api/public.syms; add it to block VIRTKIT_0.2.0')]);
  });

  it('fails when a symbol is listed twice', () => {
    const text = TWO_BLOCKS.replace('virC;', 'virC;\n        virC;');
    expect(checkSyms(text, CALLS, RELEASED)).toEqual([expect.stringMatching(/virC is listed twice/)]);
  });

  it('fails when a symbol moves out of a released block', () => {
    const text = TWO_BLOCKS.replace('        virB;\n', '').replace('virC;', 'virC;\n        virB;');
    const errors = checkSyms(text, CALLS, RELEASED);
    expect(errors).toContainEqual(expect.stringMatching(/virB moved from released block VIRTKIT_0.1.0 to VIRTKIT_0.2.0/));
  });

  it('fails when a symbol is removed from a released block', () => {
    const text = TWO_BLOCKS.replace('        virB;\n', '');
    const errors = checkSyms(
      text,
      CALLS.filter((c) => c.c !== 'virB'),
      RELEASED,
    );
    expect(errors).toEqual([expect.stringMatching(/virB was removed from released block VIRTKIT_0.1.0/)]);
  });

  it('fails when a symbol is added to a released block', () => {
    const text = TWO_BLOCKS.replace('virB;', 'virB;\n        virE;');
    const errors = checkSyms(text, [...CALLS, call('virE')], RELEASED);
    expect(errors).toEqual([expect.stringMatching(/virE was added to released block VIRTKIT_0.1.0; add it to a new block/)]);
  });

  it('fails when since disagrees with the block', () => {
    const errors = checkSyms(TWO_BLOCKS, [call('virA'), call('virB'), call('virC', '0.1.0')], RELEASED);
    expect(errors).toEqual([expect.stringMatching(/virC is in block VIRTKIT_0.2.0 but its definition says since 0.1.0/)]);
  });

  it('fails when a listed symbol has no definition', () => {
    const errors = checkSyms(
      TWO_BLOCKS,
      CALLS.filter((c) => c.c !== 'virC'),
      RELEASED,
    );
    expect(errors).toEqual([expect.stringMatching(/virC has no definition in api\/src/)]);
  });

  it('fails when a released block disappears', () => {
    const errors = checkSyms(TWO_BLOCKS, CALLS, { ...RELEASED, 'VIRTKIT_0.0.9': [] });
    expect(errors).toEqual([expect.stringMatching(/released block VIRTKIT_0.0.9 is missing/)]);
  });

  it('fails on a broken chain and on syntax it does not know', () => {
    expect(checkSyms(TWO_BLOCKS.replace('} VIRTKIT_0.1.0;', '};'), CALLS, RELEASED)).toEqual([
      expect.stringMatching(/block VIRTKIT_0.2.0 must close with '} VIRTKIT_0.1.0;'/),
    ]);
    expect(checkSyms(TWO_BLOCKS.replace('virA;', 'virA'), CALLS, RELEASED)).toEqual([expect.stringMatching(/:4: cannot parse 'virA'/)]);
  });

  it('records a released block', () => {
    expect(releaseBlock(TWO_BLOCKS, RELEASED, 'VIRTKIT_0.2.0')).toEqual({ ...RELEASED, 'VIRTKIT_0.2.0': ['virC'] });
  });
});
