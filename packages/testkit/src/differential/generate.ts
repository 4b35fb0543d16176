/**
 * Seeded generator of domain XML from libvirt's RelaxNG schema. It walks the grammar from
 * `<start>`, choosing branches, optional parts, repetitions and values with a random source made
 * from the seed, so every case is reproducible from its number. It leans towards what a driver
 * accepts: few optional parts near the root (each case exercises a handful of features), the
 * domain's identity and `<os>` fixed to what the test driver can run, and no recursion deeper
 * than one level (backing chains, nested sources).
 */
import { samplePattern, type Random } from './regex-sample';
import type { Grammar, Pattern } from './rng';

/** A generated element: attributes in document order, children elements or text. */
export interface GenNode {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<GenNode | string>;
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chance of taking an optional part, by element depth (1 = children of `<domain>`). */
const OPTIONAL_BY_DEPTH = [1, 0.1, 0.12, 0.15, 0.12, 0.1, 0.08];
/** Top-level elements taken more often: where most of the schema's features live. */
const FAVOURED = new Map([
  ['devices', 0.9],
  ['features', 0.3],
  ['cpu', 0.25],
  ['clock', 0.25],
  ['vcpu', 0.3],
]);
const NUMBERS = ['0', '1', '2', '3', '4', '8', '16', '100', '1024', '65536'];
const INTEGER_TYPES = new Set([
  'unsignedInt',
  'unsignedLong',
  'positiveInteger',
  'nonNegativeInteger',
  'int',
  'integer',
  'long',
  'unsignedShort',
  'short',
  'unsignedByte',
  'byte',
]);

type Content = { attrs: Array<[string, string]>; children: Array<GenNode | string> };
const FAIL = null;

class Walker {
  private depth = 0;
  private readonly path: string[] = [];
  private readonly stack = new Map<string, number>();

  constructor(
    private readonly g: Grammar,
    private readonly rnd: Random,
    private readonly scope?: ReadonlySet<string>,
  ) {}

  /** Whether an element may be generated here: with a scope, only its top-level and device elements (`devices` too only when named). */
  private inScope(name: string): boolean {
    if (!this.scope) return true;
    const parent = this.path[this.path.length - 1];
    if (this.depth === 1) return this.scope.has(name);
    if (parent === 'devices') return this.scope.has(name);
    return true;
  }

  private chance(): number {
    return OPTIONAL_BY_DEPTH[Math.min(this.depth, OPTIONAL_BY_DEPTH.length - 1)];
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  private shuffled<T>(xs: T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Generate `p` into `into`; false when it cannot be generated here (recursion, notAllowed). */
  walk(p: Pattern, into: Content): boolean {
    switch (p.kind) {
      case 'element':
        return this.element(p.name!, p.kids, into);
      case 'attribute': {
        const value = this.value(p.kids);
        if (value === FAIL) return false;
        if (!into.attrs.some(([k]) => k === p.name)) into.attrs.push([p.name!, value]);
        return true;
      }
      case 'group':
      case 'mixed':
        return this.all(p.kids, into);
      case 'interleave':
        return this.all(this.shuffled(p.kids), into);
      case 'choice':
        return this.choice(p.kids, into);
      case 'optional': {
        const favoured = this.depth === 1 ? FAVOURED.get(this.firstElement(p.kids) ?? '') : undefined;
        return this.rnd() < (favoured ?? this.chance()) ? this.tryInto(p.kids, into) || true : true;
      }
      case 'zeroOrMore':
      case 'oneOrMore': {
        let n = p.kind === 'oneOrMore' ? 1 : 0;
        // <devices> holds one big choice of device kinds: each case gets one to three devices.
        const kinds = p.kids[0]?.kind === 'choice' ? p.kids[0].kids.length : 0;
        if (this.path[this.path.length - 1] === 'devices' && kinds > 5) n = Math.max(n, 1 + Math.floor(this.rnd() * 3));
        else if (this.rnd() < this.chance()) n += 1 + Math.floor(this.rnd() * 2);
        for (let i = 0; i < n; i++) if (!this.tryInto(p.kids, into) && p.kind === 'oneOrMore' && i === 0) return false;
        return true;
      }
      case 'ref':
        return this.ref(p.name, into);
      case 'text':
      case 'value':
      case 'data':
      case 'list': {
        const v = this.value([p]);
        if (v === FAIL) return false;
        into.children.push(v);
        return true;
      }
      case 'empty':
        return true;
      case 'notAllowed':
      case 'anyName':
        return false;
    }
  }

  /** The name of the element a pattern starts with, through refs and groups. */
  private firstElement(kids: Pattern[], seen = new Set<string>()): string | undefined {
    for (const k of kids) {
      if (k.kind === 'element') return k.name;
      if (k.kind === 'ref' && !seen.has(k.name)) {
        seen.add(k.name);
        const body = this.g.defines.get(k.name);
        const name = body && this.firstElement([body], seen);
        if (name) return name;
      } else if ('kids' in k && k.kind !== 'attribute') {
        const name = this.firstElement(k.kids, seen);
        if (name) return name;
      }
    }
    return undefined;
  }

  private all(kids: Pattern[], into: Content): boolean {
    for (const k of kids) if (!this.walk(k, into)) return false;
    return true;
  }

  /** Generate `kids` into a scratch copy, keeping the result only when it all worked. */
  private tryInto(kids: Pattern[], into: Content): boolean {
    const scratch: Content = { attrs: [...into.attrs], children: [] };
    if (!this.all(kids, scratch)) return false;
    into.attrs.splice(0, into.attrs.length, ...scratch.attrs);
    into.children.push(...scratch.children);
    return true;
  }

  private choice(kids: Pattern[], into: Content): boolean {
    for (const k of this.shuffled(kids)) if (this.tryInto([k], into)) return true;
    return false;
  }

  private ref(name: string, into: Content): boolean {
    const body = this.g.defines.get(name);
    if (!body) return false;
    const n = this.stack.get(name) ?? 0;
    if (n >= 1 && this.depth > 2) return false;
    this.stack.set(name, n + 1);
    try {
      return this.walk(body, into);
    } finally {
      this.stack.set(name, n);
    }
  }

  private element(name: string, kids: Pattern[], into: Content): boolean {
    if (this.depth > 12 || !this.inScope(name)) return false;
    this.depth++;
    this.path.push(name);
    try {
      const content: Content = { attrs: [], children: [] };
      if (!this.all(kids, content)) return false;
      into.children.push({ name, ...content });
      return true;
    } finally {
      this.depth--;
      this.path.pop();
    }
  }

  /** The text of an attribute or text-only content: one of its value/data/text patterns. */
  private value(kids: Pattern[]): string | typeof FAIL {
    const leaves = this.leaves(kids);
    if (leaves.length === 0) return kids.length === 0 ? this.pick(['abc', 'foo', 'x1']) : FAIL;
    const leaf = this.pick(leaves);
    if (leaf.kind === 'value') return leaf.value;
    if (leaf.kind === 'text') return this.pick(['abc', 'foo', 'x1']);
    if (leaf.kind === 'data') return this.data(leaf.type, leaf.params);
    return FAIL;
  }

  /** The value-producing patterns reachable through choices, groups and refs. */
  private leaves(kids: Pattern[], seen = new Set<string>()): Pattern[] {
    const out: Pattern[] = [];
    for (const k of kids) {
      if (k.kind === 'value' || k.kind === 'data' || k.kind === 'text') out.push(k);
      else if (k.kind === 'ref' && !seen.has(k.name)) {
        seen.add(k.name);
        const body = this.g.defines.get(k.name);
        if (body) out.push(...this.leaves([body], seen));
      } else if ('kids' in k && k.kind !== 'element' && k.kind !== 'attribute') out.push(...this.leaves(k.kids, seen));
    }
    return out;
  }

  private data(type: string, params: Map<string, string>): string {
    const pattern = params.get('pattern');
    if (pattern) return samplePattern(pattern, this.rnd);
    if (INTEGER_TYPES.has(type)) {
      const lo = Number(params.get('minInclusive') ?? (type === 'positiveInteger' ? 1 : 0));
      const hi = Number(params.get('maxInclusive') ?? Number.MAX_SAFE_INTEGER);
      const fits = NUMBERS.filter((n) => Number(n) >= lo && Number(n) <= hi);
      return fits.length ? this.pick(fits) : String(lo);
    }
    if (type === 'double' || type === 'float' || type === 'decimal') return this.pick(['0', '1.5', '2']);
    if (type === 'boolean') return this.pick(['true', 'false']);
    if (type === 'anyURI') return 'http://example.com/x';
    return this.pick(['abc', 'foo', 'x1']);
  }
}

function uuidFromSeed(seed: number): string {
  const rnd = seededRandom(seed ^ 0x5a5a5a5a);
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function child(node: GenNode, name: string): GenNode | undefined {
  return node.children.find((c): c is GenNode => typeof c !== 'string' && c.name === name);
}

/** Pin what every case shares: test hypervisor, a unique name and UUID, memory, an x86_64 hvm `<os>`. */
function pinIdentity(dom: GenNode, seed: number): void {
  dom.attrs = [['type', 'test']];
  const fixed = (name: string, text: string, attrs: Array<[string, string]> = []): GenNode => ({ name, attrs, children: [text] });
  const os = child(dom, 'os');
  const osKids = (os?.children ?? []).filter((c): c is GenNode => typeof c !== 'string' && c.name !== 'type');
  const keep = dom.children.filter((c): c is GenNode => typeof c !== 'string' && !['name', 'uuid', 'memory', 'os'].includes(c.name));
  dom.children = [
    fixed('name', `gen${seed}`),
    fixed('uuid', uuidFromSeed(seed)),
    fixed('memory', '1048576', [['unit', 'KiB']]),
    { name: 'os', attrs: [], children: [fixed('type', 'hvm', [['arch', 'x86_64']]), ...osKids] },
    ...keep,
  ];
}

function escape(s: string, attr: boolean): string {
  const t = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attr ? t.replace(/'/g, '&apos;') : t;
}

/** Serialise with two-space indentation (text-only elements on one line). */
export function serialize(node: GenNode, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = node.attrs.map(([k, v]) => ` ${k}='${escape(v, true)}'`).join('');
  if (node.children.length === 0) return `${pad}<${node.name}${attrs}/>\n`;
  if (node.children.every((c) => typeof c === 'string'))
    return `${pad}<${node.name}${attrs}>${escape(node.children.join(''), false)}</${node.name}>\n`;
  const inner = node.children.map((c) => (typeof c === 'string' ? `${pad}  ${escape(c, false)}\n` : serialize(c, depth + 1))).join('');
  return `${pad}<${node.name}${attrs}>\n${inner}${pad}</${node.name}>\n`;
}

/**
 * The domain XML of case `seed`, generated from `grammar` (domain.rng). With `scope`, only those
 * element names appear under `<domain>` and `<devices>` (the identity and `<os>` always do).
 */
export function generateDomain(grammar: Grammar, seed: number, scope?: ReadonlySet<string>): string {
  const rnd = seededRandom(seed);
  const allowed = scope && new Set([...scope, 'name', 'uuid', 'memory', 'os']);
  for (let attempt = 0; attempt < 20; attempt++) {
    const root: Content = { attrs: [], children: [] };
    if (new Walker(grammar, rnd, allowed).walk(grammar.start, root)) {
      const dom = root.children[0] as GenNode;
      pinIdentity(dom, seed);
      return serialize(dom);
    }
  }
  throw new Error(`seed ${seed}: no domain could be generated`);
}
