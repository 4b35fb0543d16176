/**
 * A string matching an XML Schema `pattern` facet (the subset libvirt's schemas use: literals,
 * escapes, character classes, groups with alternation, `? * + {n,m}`), drawn with a seeded random
 * source so a case is reproducible from its seed.
 */
export type Random = () => number;

type Node = { t: 'lit'; chars: string[] } | { t: 'alt'; branches: Node[][] } | { t: 'rep'; node: Node; min: number; max: number };

const ESCAPES: Record<string, string[]> = {
  d: [...'0123456789'],
  w: [...'abcxyz019_'],
  s: [' '],
  n: ['\n'],
  t: ['\t'],
  i: [...'abc_'],
  c: [...'abc-.'],
};

class PatternReader {
  pos = 0;
  constructor(private readonly src: string) {}

  alternation(): Node[][] {
    const branches: Node[][] = [[]];
    while (this.pos < this.src.length && this.src[this.pos] !== ')') {
      if (this.src[this.pos] === '|') {
        this.pos++;
        branches.push([]);
        continue;
      }
      branches[branches.length - 1].push(this.quantified(this.atom()));
    }
    return branches;
  }

  private atom(): Node {
    const ch = this.src[this.pos++];
    if (ch === '(') {
      if (this.src.startsWith('?:', this.pos)) this.pos += 2;
      const branches = this.alternation();
      this.pos++;
      return { t: 'alt', branches };
    }
    if (ch === '[') return { t: 'lit', chars: this.charClass() };
    if (ch === '\\') return { t: 'lit', chars: this.escape() };
    if (ch === '.') return { t: 'lit', chars: [...'abc1'] };
    return { t: 'lit', chars: [ch] };
  }

  private escape(): string[] {
    const e = this.src[this.pos++];
    if (e === 'p' || e === 'P') {
      this.pos = this.src.indexOf('}', this.pos) + 1;
      return [...'abc'];
    }
    return ESCAPES[e] ?? [e];
  }

  private charClass(): string[] {
    const negated = this.src[this.pos] === '^';
    if (negated) this.pos++;
    const chars: string[] = [];
    while (this.src[this.pos] !== ']') {
      let c = this.src[this.pos++];
      if (c === '\\') {
        chars.push(...this.escape());
        continue;
      }
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']') {
        const end = this.src[this.pos + 1] === '\\' ? this.src[this.pos + 2] : this.src[this.pos + 1];
        this.pos += this.src[this.pos + 1] === '\\' ? 3 : 2;
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0) && chars.length < 200; code++) chars.push(String.fromCharCode(code));
        continue;
      }
      if (c === undefined) c = ']';
      chars.push(c);
    }
    this.pos++;
    if (!negated) return chars;
    // A negated class: plain letters and digits not excluded.
    return [...'abcdefxyz0123456789'].filter((c) => !chars.includes(c));
  }

  private quantified(node: Node): Node {
    const q = this.src[this.pos];
    if (q === '?') return this.skip({ t: 'rep', node, min: 0, max: 1 });
    if (q === '*') return this.skip({ t: 'rep', node, min: 0, max: 2 });
    if (q === '+') return this.skip({ t: 'rep', node, min: 1, max: 2 });
    if (q === '{') {
      const end = this.src.indexOf('}', this.pos);
      const [lo, hi] = this.src.slice(this.pos + 1, end).split(',');
      this.pos = end + 1;
      const min = Number(lo);
      const max = hi === undefined ? min : hi === '' ? min + 2 : Math.min(Number(hi), min + 2);
      return { t: 'rep', node, min, max };
    }
    return node;
  }

  private skip(n: Node): Node {
    this.pos++;
    return n;
  }
}

function emit(node: Node, rnd: Random): string {
  switch (node.t) {
    case 'lit':
      return node.chars[Math.floor(rnd() * node.chars.length)] ?? '';
    case 'alt': {
      const b = node.branches[Math.floor(rnd() * node.branches.length)];
      return b.map((n) => emit(n, rnd)).join('');
    }
    case 'rep': {
      const n = node.min + Math.floor(rnd() * (node.max - node.min + 1));
      let s = '';
      for (let i = 0; i < n; i++) s += emit(node.node, rnd);
      return s;
    }
  }
}

/** A sample string for an XML Schema pattern. */
export function samplePattern(pattern: string, rnd: Random): string {
  const reader = new PatternReader(pattern);
  const branches = reader.alternation();
  return emit({ t: 'alt', branches }, rnd);
}
