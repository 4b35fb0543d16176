/**
 * The XPath 1.0 that virsh's `--xpath` options take, over a document parsed by @virtkit/xml:
 * location paths (child, attribute, descendant(-or-self), self, parent axes; `.`, `..`, `//`,
 * `@`, `*`, `text()`, `node()`), predicates, unions, `and`/`or`, comparisons, literals, numbers
 * and the core functions scripts use on libvirt XML. Like libxml2 (which virsh uses), blank text
 * between elements is not a node. What it cannot parse is an XPathSyntaxError at a position.
 */
import type { XmlElement } from '@virtkit/xml';

/** A node of the document: the document itself, an element, a text node or an attribute. */
export type XNode =
  | { kind: 'doc'; order: number; children: XNode[] }
  | { kind: 'element'; order: number; name: string; parent: XNode; children: XNode[]; attrs: XNode[] }
  | { kind: 'text'; order: number; text: string; parent: XNode }
  | { kind: 'attr'; order: number; name: string; value: string; parent: XNode };

export type XValue = XNode[] | string | number | boolean;

/** An expression XPath cannot parse; `pos` is where, as libxml2's caret shows it. */
export class XPathSyntaxError extends Error {
  constructor(public pos: number) {
    super('Invalid expression');
  }
}

/** The document node over `root`, with document order numbered and blank text dropped. */
export function xpathDocument(root: XmlElement): XNode {
  let order = 0;
  const doc: XNode = { kind: 'doc', order: order++, children: [] };
  const build = (el: XmlElement, parent: XNode): XNode => {
    const node: XNode = { kind: 'element', order: order++, name: el.name, parent, children: [], attrs: [] };
    for (const [name, value] of el.attrs) node.attrs.push({ kind: 'attr', order: order++, name, value, parent: node });
    for (const c of el.children) {
      if (c.kind === 'element') node.children.push(build(c, node));
      else if (c.text.trim() !== '') node.children.push({ kind: 'text', order: order++, text: c.text, parent: node });
    }
    return node;
  };
  doc.children.push(build(root, doc));
  return doc;
}

type Tok = { t: 'name' | 'lit' | 'num' | 'op'; v: string; pos: number };

function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  const re =
    /\s*(?:(\/\/|\.\.|::|!=|<=|>=|[/[\]()@,|=<>*.+-])|('[^']*'|"[^"]*")|(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?))/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new XPathSyntaxError(i + (s.slice(i).length - s.slice(i).trimStart().length));
    const pos = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4])!.length;
    if (m[1]) toks.push({ t: 'op', v: m[1], pos });
    else if (m[2]) toks.push({ t: 'lit', v: m[2].slice(1, -1), pos });
    else if (m[3]) toks.push({ t: 'num', v: m[3], pos });
    else toks.push({ t: 'name', v: m[4]!, pos });
    i = re.lastIndex;
  }
  return toks;
}

type Ctx = { node: XNode; pos: number; size: number };
type Ev = (c: Ctx) => XValue;

const AXES = new Set([
  'child',
  'attribute',
  'descendant',
  'descendant-or-self',
  'self',
  'parent',
  'ancestor',
  'following-sibling',
  'preceding-sibling',
]);

/** Parse `expr` into an evaluator. */
export function compileXPath(expr: string): (doc: XNode) => XValue {
  const toks = tokenize(expr);
  let k = 0;
  const peek = (v?: string) => (k < toks.length && (v === undefined || (toks[k]!.t === 'op' && toks[k]!.v === v)) ? toks[k] : undefined);
  const fail = (): never => {
    throw new XPathSyntaxError(k < toks.length ? toks[k]!.pos : expr.length);
  };
  const eat = (v: string) => (peek(v) ? toks[k++]! : fail());

  const binary = (next: () => Ev, ops: string[], apply: (op: string, a: XValue, b: XValue) => XValue): Ev => {
    let left = next();
    for (;;) {
      const t = toks[k];
      const op = t && ((t.t === 'op' && ops.includes(t.v)) || (t.t === 'name' && ops.includes(t.v))) ? t.v : undefined;
      if (!op) return left;
      k++;
      const [l, r] = [left, next()];
      left = (c) => apply(op, l(c), r(c));
    }
  };
  const orExpr = (): Ev => binary(andExpr, ['or'], (_, a, b) => bool(a) || bool(b));
  const andExpr = (): Ev => binary(eqExpr, ['and'], (_, a, b) => bool(a) && bool(b));
  const eqExpr = (): Ev => binary(relExpr, ['=', '!='], compare);
  const relExpr = (): Ev => binary(unionExpr, ['<', '>', '<=', '>='], compare);
  const unionExpr = (): Ev =>
    binary(pathExpr, ['|'], (_, a, b) => {
      if (!Array.isArray(a) || !Array.isArray(b)) throw new XPathSyntaxError(0);
      return sortUnique([...a, ...b]);
    });

  const pathExpr = (): Ev => {
    const t = toks[k];
    if (!t) return fail();
    if (t.t === 'lit') return (k++, () => t.v);
    if (t.t === 'num') return (k++, () => Number(t.v));
    if (t.t === 'op' && t.v === '(') {
      k++;
      const e = orExpr();
      eat(')');
      return e;
    }
    if (t.t === 'op' && t.v === '-') {
      k++;
      const e = pathExpr();
      return (c) => -num(e(c));
    }
    if (t.t === 'name' && toks[k + 1]?.v === '(' && !['text', 'node'].includes(t.v)) return functionCall();
    let start: ((c: Ctx) => XNode[]) | undefined;
    if (peek('/') || peek('//')) {
      start = (c) => [root(c.node)];
      if (peek('/')) {
        k++;
        const n = toks[k];
        if (!n || (n.t === 'op' && !['.', '..', '@', '*'].includes(n.v))) return start;
      } else return steps(start, true);
    }
    return steps(start ?? ((c) => [c.node]), false);
  };

  const steps = (from: (c: Ctx) => XNode[], descend: boolean): Ev => {
    let cur = from;
    for (let first = true; ; first = false) {
      if (!first) {
        if (peek('//')) descend = true;
        else if (!peek('/')) return cur;
        k++;
      } else if (descend) k++;
      const step = stepExpr(descend);
      const prev = cur;
      cur = (c) => sortUnique(prev(c).flatMap((n) => step(n)));
      descend = false;
    }
  };

  const stepExpr = (descend: boolean): ((n: XNode) => XNode[]) => {
    if (peek('.')) return (k++, (n) => (descend ? descendantsOrSelf(n) : [n]));
    if (peek('..')) return (k++, (n) => (descend ? descendantsOrSelf(n) : [n]).flatMap((m) => (m.kind === 'doc' ? [] : [m.parent])));
    let axis = 'child';
    if (peek('@')) {
      k++;
      axis = 'attribute';
    } else if (toks[k]?.t === 'name' && toks[k + 1]?.v === '::') {
      axis = toks[k]!.v;
      if (!AXES.has(axis)) fail();
      k += 2;
    }
    const test = nodeTest(axis);
    const preds: Ev[] = [];
    while (peek('[')) {
      k++;
      preds.push(orExpr());
      eat(']');
    }
    return (n) => {
      let set = (descend ? descendantsOrSelf(n) : [n]).flatMap((m) => axisNodes(m, axis)).filter(test);
      for (const p of preds) {
        set = set.filter((node, i) => {
          const v = p({ node, pos: i + 1, size: set.length });
          return typeof v === 'number' ? v === i + 1 : bool(v);
        });
      }
      return set;
    };
  };

  const nodeTest = (axis: string): ((n: XNode) => boolean) => {
    const t = toks[k];
    const principal = axis === 'attribute' ? 'attr' : 'element';
    if (t?.t === 'op' && t.v === '*') return (k++, (n) => n.kind === principal);
    if (t?.t !== 'name') return fail();
    k++;
    if ((t.v === 'text' || t.v === 'node') && peek('(')) {
      k++;
      eat(')');
      return t.v === 'text' ? (n) => n.kind === 'text' : () => true;
    }
    return (n) => n.kind === principal && n.name === t.v;
  };

  const functionCall = (): Ev => {
    const name = toks[k]!.v;
    const fn = FUNCTIONS[name];
    if (!fn) return fail();
    k += 2;
    const args: Ev[] = [];
    if (!peek(')')) {
      do args.push(orExpr());
      while (peek(',') && k++);
    }
    eat(')');
    return (c) =>
      fn(
        c,
        args.map((a) => a(c)),
      );
  };

  const e = orExpr();
  if (k < toks.length) fail();
  return (doc) => e({ node: doc, pos: 1, size: 1 });
}

function root(n: XNode): XNode {
  while (n.kind !== 'doc') n = n.parent;
  return n;
}

function descendantsOrSelf(n: XNode): XNode[] {
  const out: XNode[] = [n];
  if (n.kind === 'doc' || n.kind === 'element') for (const c of n.children) out.push(...descendantsOrSelf(c));
  return out;
}

function axisNodes(n: XNode, axis: string): XNode[] {
  const kids = n.kind === 'doc' || n.kind === 'element' ? n.children : [];
  const siblings = n.kind === 'doc' || n.kind === 'attr' ? [] : (n.parent as { children: XNode[] }).children;
  switch (axis) {
    case 'child':
      return kids;
    case 'attribute':
      return n.kind === 'element' ? n.attrs : [];
    case 'descendant':
      return descendantsOrSelf(n).slice(1);
    case 'descendant-or-self':
      return descendantsOrSelf(n);
    case 'self':
      return [n];
    case 'parent':
      return n.kind === 'doc' ? [] : [n.parent];
    case 'ancestor': {
      const out: XNode[] = [];
      for (let p = n; p.kind !== 'doc'; p = p.parent) out.push(p.parent);
      return out.reverse();
    }
    case 'following-sibling':
      return siblings.filter((s) => s.order > n.order);
    default:
      return siblings.filter((s) => s.order < n.order);
  }
}

function sortUnique(nodes: XNode[]): XNode[] {
  return [...new Set(nodes)].sort((a, b) => a.order - b.order);
}

/** The string-value of a node. */
export function stringValue(n: XNode): string {
  if (n.kind === 'attr') return n.value;
  if (n.kind === 'text') return n.text;
  return n.children.map(stringValue).join('');
}

function str(v: XValue): string {
  if (Array.isArray(v)) return v.length ? stringValue(v[0]!) : '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return String(v);
}

function num(v: XValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = str(v).trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
}

function bool(v: XValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return v;
}

function compareAtoms(op: string, a: XValue, b: XValue): boolean {
  if (op === '=' || op === '!=') {
    let eq: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') eq = bool(a) === bool(b);
    else if (typeof a === 'number' || typeof b === 'number') eq = num(a) === num(b);
    else eq = str(a) === str(b);
    return op === '=' ? eq : !eq;
  }
  const [x, y] = [num(a), num(b)];
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

/** XPath's comparison: with a node-set, true when some node's string-value compares true. */
function compare(op: string, a: XValue, b: XValue): boolean {
  if (Array.isArray(a) && typeof b === 'boolean') return compareAtoms(op, bool(a), b);
  if (Array.isArray(b) && typeof a === 'boolean') return compareAtoms(op, a, bool(b));
  const as = Array.isArray(a) ? a.map(stringValue) : [a];
  const bs = Array.isArray(b) ? b.map(stringValue) : [b];
  return as.some((x) => bs.some((y) => compareAtoms(op, x, y)));
}

const FUNCTIONS: Record<string, (c: Ctx, args: XValue[]) => XValue> = {
  position: (c) => c.pos,
  last: (c) => c.size,
  count: (_, [a]) => (Array.isArray(a) ? a.length : NaN),
  not: (_, [a]) => !bool(a!),
  true: () => true,
  false: () => false,
  boolean: (_, [a]) => bool(a!),
  number: (c, [a]) => num(a ?? [c.node]),
  string: (c, [a]) => str(a ?? [c.node]),
  concat: (_, args) => args.map(str).join(''),
  contains: (_, [a, b]) => str(a!).includes(str(b!)),
  'starts-with': (_, [a, b]) => str(a!).startsWith(str(b!)),
  'normalize-space': (c, [a]) =>
    str(a ?? [c.node])
      .trim()
      .replace(/\s+/g, ' '),
  'string-length': (c, [a]) => str(a ?? [c.node]).length,
  name: (c, [a]) => {
    const n = Array.isArray(a) ? a[0] : c.node;
    return n && (n.kind === 'element' || n.kind === 'attr') ? n.name : '';
  },
};
FUNCTIONS['local-name'] = FUNCTIONS.name!;
