/**
 * The XDR type grammar of api/'s wire layouts (documented on `WireField` in `api/src/dsl.ts`),
 * parsed once here into a tree, so a binding's codec interprets a table instead of re-implementing
 * the grammar.
 */

/** A parsed wire type. */
export type XdrType =
  | { kind: 'scalar'; name: string }
  | { kind: 'handle'; name: string }
  | { kind: 'optional'; of: XdrType }
  | { kind: 'array'; of: XdrType; max: number | null }
  | { kind: 'fixed'; of: XdrType; size: number }
  | { kind: 'typed_params'; max: number }
  | { kind: 'opaque'; max: number | null }
  | { kind: 'fixed_opaque'; size: number }
  | { kind: 'chars'; max: number | null; signed: boolean }
  | { kind: 'fixed_chars'; size: number; signed: boolean }
  | { kind: 'struct'; fields: [string, XdrType][] };

/** XDR scalars, with the spellings api/ accepts for them. */
const SCALARS: Record<string, string> = {
  int: 'int',
  uint: 'uint',
  hyper: 'hyper',
  uhyper: 'uhyper',
  bool: 'bool',
  double: 'double',
  char: 'char',
  uchar: 'uchar',
  short: 'short',
  ushort: 'ushort',
  string: 'string',
  str: 'string',
  uuid: 'uuid',
};

const TOKEN = /\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[{}:,?<>[\]])/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const end = text.trimEnd().length;
  while (TOKEN.lastIndex < end) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`bad wire type '${text}' at ${at}`);
    tokens.push(m[1]);
  }
  return tokens;
}

class Parser {
  private i = 0;
  private readonly tokens: string[];

  constructor(
    private readonly text: string,
    private readonly handles: ReadonlySet<string>,
  ) {
    this.tokens = tokenize(text);
  }

  parse(): XdrType {
    const t = this.type();
    if (this.i < this.tokens.length) this.fail(`unexpected '${this.tokens[this.i]}'`);
    return t;
  }

  private fail(why: string): never {
    throw new Error(`wire type '${this.text}': ${why}`);
  }

  private next(): string {
    const tok = this.tokens[this.i++];
    if (tok === undefined) this.fail('ends early');
    return tok;
  }

  private expect(tok: string): void {
    const got = this.next();
    if (got !== tok) this.fail(`expected '${tok}', got '${got}'`);
  }

  private number(): number {
    const tok = this.next();
    if (!/^\d+$/.test(tok)) this.fail(`expected a number, got '${tok}'`);
    return Number(tok);
  }

  /** `N>` after `<`, or `>` alone for no cap. */
  private cap(): number | null {
    if (this.tokens[this.i] === '>') {
      this.i++;
      return null;
    }
    const n = this.number();
    this.expect('>');
    return n;
  }

  private type(): XdrType {
    const tok = this.next();
    if (tok === '{') return this.suffixes(this.struct());
    if (tok === 'TP') {
      this.expect('<');
      const max = this.cap();
      if (max === null) this.fail('typed parameters need a cap');
      return this.suffixes({ kind: 'typed_params', max });
    }
    if (tok === 'opaque') {
      const open = this.next();
      if (open === '<') return this.suffixes({ kind: 'opaque', max: this.cap() });
      if (open !== '[') this.fail('opaque needs <N> or [N]');
      const size = this.number();
      this.expect(']');
      return this.suffixes({ kind: 'fixed_opaque', size });
    }
    if (tok === 'char' || tok === 'uchar') {
      // char arrays are C strings, not arrays of numbers
      const open = this.tokens[this.i];
      const signed = tok === 'char';
      if (open === '<') {
        this.i++;
        return this.suffixes({ kind: 'chars', max: this.cap(), signed });
      }
      if (open === '[') {
        this.i++;
        const size = this.number();
        this.expect(']');
        return this.suffixes({ kind: 'fixed_chars', size, signed });
      }
    }
    if (SCALARS[tok]) return this.suffixes({ kind: 'scalar', name: SCALARS[tok] });
    if (this.handles.has(tok)) return this.suffixes({ kind: 'handle', name: tok });
    return this.fail(`unknown type '${tok}'`);
  }

  private struct(): XdrType {
    const fields: [string, XdrType][] = [];
    for (;;) {
      const name = this.next();
      this.expect(':');
      fields.push([name, this.type()]);
      const tok = this.next();
      if (tok === '}') return { kind: 'struct', fields };
      if (tok !== ',') this.fail(`expected ',' or '}', got '${tok}'`);
    }
  }

  private suffixes(inner: XdrType): XdrType {
    let t = inner;
    for (;;) {
      const tok = this.tokens[this.i];
      if (tok === '?') {
        this.i++;
        t = { kind: 'optional', of: t };
      } else if (tok === '<') {
        this.i++;
        t = { kind: 'array', of: t, max: this.cap() };
      } else if (tok === '[') {
        this.i++;
        const size = this.number();
        this.expect(']');
        t = { kind: 'fixed', of: t, size };
      } else return t;
    }
  }
}

/** Parses one wire type; `handles` are the handle names api/ defines (`Dom`, `Pool`, …). */
export function parseWireType(text: string, handles: ReadonlySet<string>): XdrType {
  return new Parser(text, handles).parse();
}
