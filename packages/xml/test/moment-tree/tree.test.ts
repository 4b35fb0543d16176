import { MomentTree, type MomentListOptions } from '../../src/moment-tree/tree';
import { snapshotQuery, checkpointQuery } from '../../src/moment-tree/list';

/**
 *   a ── b ── d          h
 *   │    └── e ── g
 *   └── c ── f
 * Added a..h in order; children are kept most recently linked first (libvirt's order).
 */
function build(): MomentTree<{ state: string; external: boolean }> {
  const t = new MomentTree<{ state: string; external: boolean }>();
  const shape: Array<[string, string | undefined, string, boolean]> = [
    ['a', undefined, 'running', false],
    ['b', 'a', 'paused', false],
    ['c', 'a', 'shutoff', false],
    ['d', 'b', 'disk-snapshot', true],
    ['e', 'b', 'running', true],
    ['f', 'c', 'shutoff', false],
    ['g', 'e', 'running', false],
    ['h', undefined, 'paused', false],
  ];
  for (const [name, parent, state, external] of shape) t.link(t.add(name, { state, external })!, parent);
  return t;
}

const names = (l: Array<{ name: string }>) => l.map((n) => n.name);

describe('MomentTree', () => {
  const t = build();
  const list = (from: string | null, o: MomentListOptions = {}) => names(t.list(from ? t.get(from)! : null, o));

  it("keeps libvirt's child order and parent links", () => {
    expect(names(t.root.children)).toEqual(['h', 'a']);
    expect(names(t.get('a')!.children)).toEqual(['c', 'b']);
    expect(t.parentName(t.get('g')!)).toBe('e');
    expect(t.parentName(t.get('a')!)).toBeUndefined();
  });

  it('lists roots, all, descendants and children', () => {
    expect(list(null)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(list(null, { roots: true })).toEqual(['h', 'a']);
    expect(list(null, { topological: true })).toEqual(['h', 'a', 'c', 'f', 'b', 'e', 'g', 'd']);
    expect(list('b')).toEqual(['e', 'd']);
    expect(list('b', { descendants: true })).toEqual(['e', 'g', 'd']);
    expect(list('a', { descendants: true, topological: true })).toEqual(['c', 'f', 'b', 'e', 'g', 'd']);
    expect(list('g', { descendants: true })).toEqual([]);
  });

  it('filters leaves and metadata like libvirt (both leaf bits select nothing)', () => {
    expect(list(null, { leaves: true })).toEqual(['d', 'f', 'g', 'h']);
    expect(list(null, { noLeaves: true })).toEqual(['a', 'b', 'c', 'e']);
    expect(list(null, { leaves: true, noLeaves: true })).toEqual([]);
    expect(list(null, { roots: true, leaves: true })).toEqual(['h']);
    expect(list('a', { descendants: true, noLeaves: true })).toEqual(['c', 'b', 'e']);
    expect(list(null, { metadata: true })).toHaveLength(8);
    expect(list(null, { noMetadata: true })).toEqual([]);
    expect(list(null, { metadata: true, noMetadata: true })).toHaveLength(8);
  });

  it('applies snapshot status and location filters', () => {
    const q = (flags: number, from: string | null = null) => {
      const { options, filter } = snapshotQuery(flags);
      return names(t.list(from ? t.get(from)! : null, options, filter));
    };
    expect(q(32)).toEqual(['c', 'f']);
    expect(q(64)).toEqual(['a', 'b', 'e', 'g', 'h']);
    expect(q(128)).toEqual(['d']);
    expect(q(32 | 128)).toEqual(['c', 'd', 'f']);
    expect(q(32 | 64 | 128)).toHaveLength(8);
    expect(q(256)).toEqual(['a', 'b', 'c', 'f', 'g', 'h']);
    expect(q(512)).toEqual(['d', 'e']);
    expect(q(256 | 512)).toHaveLength(8);
    expect(q(512 | 64)).toEqual(['e']);
    expect(q(1 | 4 | 64)).toEqual(['h']);
    expect(q(1024 | 8 | 256)).toEqual(['a', 'c', 'b']);
    expect(q(1 | 1024 | 4, 'a')).toEqual(['f', 'g', 'd']);
    expect(q(2 | 16)).toHaveLength(8);
  });

  it('translates checkpoint flags', () => {
    expect(checkpointQuery(1 | 2 | 4).options).toEqual({
      roots: true,
      descendants: true,
      topological: true,
      leaves: true,
      noLeaves: false,
    });
  });

  it('checks parent links for self, missing and cycles', () => {
    expect(t.checkParent('x', undefined)).toBeNull();
    expect(t.checkParent('a', 'a')).toEqual({ kind: 'self' });
    expect(t.checkParent('x', 'zz')).toEqual({ kind: 'missing' });
    expect(t.checkParent('a', 'g')).toEqual({ kind: 'cycle', via: 'b' });
    expect(t.checkParent('x', 'g')).toBeNull();
  });

  it('removes a moment, moving its children up and fixing current', () => {
    const u = build();
    u.current = u.get('b')!;
    expect(u.remove(u.get('b')!)).toEqual(['b']);
    expect(names(u.get('a')!.children)).toEqual(['e', 'd', 'c']);
    expect(u.current?.name).toBe('a');
    expect(u.parentName(u.get('e')!)).toBe('a');
    u.current = u.get('h')!;
    u.remove(u.get('h')!);
    expect(u.current).toBeNull();
    expect(names(u.root.children)).toEqual(['a']);
  });

  it('removes descendants with children / children-only', () => {
    const u = build();
    u.current = u.get('g')!;
    expect(u.remove(u.get('b')!, 'children-only')).toEqual(['e', 'g', 'd']);
    expect(u.current?.name).toBe('b');
    expect(u.get('b')!.children).toEqual([]);
    expect(u.size).toBe(5);
    u.current = u.get('f')!;
    expect(u.remove(u.get('a')!, 'children')).toEqual(['c', 'f', 'b', 'a']);
    expect(u.current).toBeNull();
    expect(names(u.all())).toEqual(['h']);
  });
});
