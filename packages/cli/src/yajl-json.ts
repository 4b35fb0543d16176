/**
 * JSON as libvirt reads and writes it (through yajl): numbers keep the text they were written
 * with, duplicate object keys are refused, and a failure is reported with yajl's verbose error
 * text — the error kind, then a window of the input with an arrow under the failing byte — inside
 * libvirt's `cannot parse json` internal error. virsh prints that text when it cannot wrap
 * qemu-monitor-command arguments, so vsh reproduces it byte for byte.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/** A JSON value with libvirt's view of numbers (their text, unconverted). */
export type JsonValue =
  | { kind: 'object'; members: Array<[string, JsonValue]> }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'literal'; text: 'true' | 'false' | 'null' };

type Punct = '{' | '}' | '[' | ']' | ',' | ':';
type Token = { type: Punct | 'eof' } | { type: 'value'; value: JsonValue };

/** A failure at byte `offset`: yajl's lexical errors and parse errors differ only in their prefix. */
class YajlFailure {
  constructor(
    readonly kind: 'lexical' | 'parse',
    readonly text: string,
    readonly offset: number,
  ) {}
}

const LEX = {
  invalidChar: 'invalid char in json text.',
  invalidString: 'invalid string in json text.',
  badEscape: "inside a string, '\\' occurs before a character which it may not.",
  badHex: "invalid (non-hex) character occurs after '\\u' inside string.",
  controlChar: 'invalid character inside string.',
  comment: 'probable comment found in input text, comments are not enabled.',
  minus: 'malformed number, a digit is required after the minus sign.',
  decimal: 'malformed number, a digit is required after the decimal point.',
  exponent: 'malformed number, a digit is required after the exponent.',
};

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(c));

/** yajl's lexer over UTF-8 bytes; `pos` is yajl's count of bytes consumed. */
class Lexer {
  pos = 0;
  constructor(private readonly bytes: Buffer) {}

  next(): Token {
    while (this.pos < this.bytes.length && WHITESPACE.has(this.bytes[this.pos])) this.pos++;
    if (this.pos >= this.bytes.length) return { type: 'eof' };
    const c = String.fromCharCode(this.bytes[this.pos]);
    if ('{}[],:'.includes(c)) {
      this.pos++;
      return { type: c as Punct };
    }
    if (c === '"') return this.string();
    if (c === '-' || isDigit(this.bytes[this.pos])) return this.number();
    if (c === 't' || c === 'f' || c === 'n') return this.literal();
    // a comment is refused without consuming its slash; any other byte is consumed first
    if (c === '/') throw this.lexical(LEX.comment);
    this.pos++;
    throw this.lexical(LEX.invalidChar);
  }

  private lexical(text: string): YajlFailure {
    return new YajlFailure('lexical', text, this.pos);
  }

  private literal(): Token {
    const word = ({ t: 'true', f: 'false', n: 'null' } as const)[String.fromCharCode(this.bytes[this.pos]) as 't' | 'f' | 'n'];
    this.pos++;
    for (const want of word.slice(1)) {
      if (this.pos >= this.bytes.length) return { type: 'eof' };
      if (this.bytes[this.pos] !== want.charCodeAt(0)) throw this.lexical(LEX.invalidString);
      this.pos++;
    }
    return { type: 'value', value: { kind: 'literal', text: word } };
  }

  private number(): Token {
    const start = this.pos;
    const b = this.bytes;
    if (b[this.pos] === 0x2d) this.pos++;
    if (b[this.pos] === 0x30) this.pos++;
    else if (isDigit(b[this.pos])) while (isDigit(b[this.pos])) this.pos++;
    else throw this.lexical(LEX.minus);
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (!isDigit(b[this.pos])) throw this.lexical(LEX.decimal);
      while (isDigit(b[this.pos])) this.pos++;
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (!isDigit(b[this.pos])) throw this.lexical(LEX.exponent);
      while (isDigit(b[this.pos])) this.pos++;
    }
    return { type: 'value', value: { kind: 'number', text: b.toString('utf8', start, this.pos) } };
  }

  private string(): Token {
    const b = this.bytes;
    const out: number[] = [];
    this.pos++;
    for (;;) {
      if (this.pos >= b.length) return { type: 'eof' };
      const c = b[this.pos];
      if (c === 0x22) break;
      if (c < 0x20) throw this.lexical(LEX.controlChar);
      this.pos++;
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      if (this.pos >= b.length) return { type: 'eof' };
      const e = String.fromCharCode(b[this.pos]);
      if (e === 'u') {
        this.pos++;
        for (let i = 0; i < 4; i++, this.pos++) {
          if (this.pos >= b.length) return { type: 'eof' };
          if (!isHex(b[this.pos])) throw this.lexical(LEX.badHex);
        }
        out.push(...Buffer.from(String.fromCharCode(parseInt(b.toString('latin1', this.pos - 4, this.pos), 16)), 'utf8'));
        continue;
      }
      if (!(e in ESCAPES)) throw this.lexical(LEX.badEscape);
      out.push(ESCAPES[e].charCodeAt(0));
      this.pos++;
    }
    this.pos++;
    return { type: 'value', value: { kind: 'string', value: Buffer.from(out).toString('utf8') } };
  }
}

/** yajl's parser driven by the lexer, with libvirt's refusal of duplicate keys. */
class Parser {
  private readonly lex: Lexer;
  constructor(bytes: Buffer) {
    this.lex = new Lexer(bytes);
  }

  document(): JsonValue {
    const value = this.value(this.token());
    const after = this.token();
    if (after.type !== 'eof') throw this.parse('trailing garbage');
    return value;
  }

  private token(): Token {
    return this.lex.next();
  }

  private parse(text: string, offset = this.lex.pos): YajlFailure {
    return new YajlFailure('parse', text, offset);
  }

  /**
   * The input ended inside a value. yajl notices only when told the input is complete, by
   * lexing one more blank: the failure is placed at byte 1 of that blank.
   */
  private premature(): YajlFailure {
    return new YajlFailure('parse', 'premature EOF', 1);
  }

  private value(t: Token): JsonValue {
    if (t.type === 'eof') throw this.premature();
    if (t.type === 'value') return t.value;
    if (t.type === '{') return this.object();
    if (t.type === '[') return this.array();
    throw this.parse('unallowed token at this point in JSON text');
  }

  private object(): JsonValue {
    const members: Array<[string, JsonValue]> = [];
    let t = this.token();
    if (t.type === '}') return { kind: 'object', members };
    for (;;) {
      if (t.type === 'eof') throw this.premature();
      if (t.type !== 'value' || t.value.kind !== 'string') throw this.parse('invalid object key (must be a string)');
      const key = t.value.value;
      const colon = this.token();
      if (colon.type === 'eof') throw this.premature();
      if (colon.type !== ':') throw this.parse("object key and value must be separated by a colon (':')");
      const first = this.token();
      // libvirt refuses a duplicate key when it adds the value: a container as it opens, a
      // scalar once it is read
      const isValue = first.type === '{' || first.type === '[' || first.type === 'value';
      if (isValue && members.some(([k]) => k === key)) throw this.parse('client cancelled parse via callback return value');
      members.push([key, this.value(first)]);
      const sep = this.token();
      if (sep.type === '}') return { kind: 'object', members };
      if (sep.type === 'eof') throw this.premature();
      if (sep.type !== ',') throw this.parse("after key and value, inside map, I expect ',' or '}'", this.lex.pos - 1);
      t = this.token();
    }
  }

  private array(): JsonValue {
    const items: JsonValue[] = [];
    let t = this.token();
    if (t.type === ']') return { kind: 'array', items };
    for (;;) {
      items.push(this.value(t));
      const sep = this.token();
      if (sep.type === ']') return { kind: 'array', items };
      if (sep.type === 'eof') throw this.premature();
      if (sep.type !== ',') throw this.parse("after array element, I expect ',' or ']'");
      t = this.token();
    }
  }
}

/** yajl's verbose error: kind and text, then the input around `offset` with an arrow under it. */
function renderFailure(f: YajlFailure, bytes: Buffer): string {
  const pad = f.offset < 30 ? 40 - f.offset : 10;
  const start = f.offset >= 30 ? f.offset - 30 : 0;
  const end = Math.min(f.offset + 30, bytes.length);
  const window = Buffer.from(bytes.subarray(start, end).map((c) => (c === 0x0a || c === 0x0d ? 0x20 : c)));
  return `${f.kind} error: ${f.text}\n${' '.repeat(pad)}${window.toString('utf8')}\n                     (right here) ------^\n`;
}

/** Parse `text` as libvirt's virJSONValueFromString does, failing with its error. */
export function parseJson(text: string): JsonValue {
  const bytes = Buffer.from(text, 'utf8');
  try {
    return new Parser(bytes).document();
  } catch (e) {
    if (!(e instanceof YajlFailure)) throw e;
    throw VirError.create(
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_NONE,
      `cannot parse json ${text}: ${renderFailure(e, bytes)}`,
    );
  }
}

/** The value parsed from `text`, or null when it is not JSON (libvirt's error is dropped). */
export function tryParseJson(text: string): JsonValue | null {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof VirError) return null;
    throw e;
  }
}

function quote(s: string): string {
  // eslint-disable-next-line no-control-regex -- JSON escapes exactly these control characters
  return `"${s.replace(/[\\"\u0000-\u001f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  })}"`;
}

/** virJSONValueToString: compact, or yajl's beautified layout (two-space indent, final newline). */
export function formatJson(v: JsonValue, pretty = false): string {
  const nl = pretty ? '\n' : '';
  const render = (x: JsonValue, depth: number): string => {
    const ind = pretty ? '  '.repeat(depth + 1) : '';
    const close = pretty ? '  '.repeat(depth) : '';
    switch (x.kind) {
      case 'object':
        return `{${nl}${x.members.map(([k, m]) => `${ind}${quote(k)}:${pretty ? ' ' : ''}${render(m, depth + 1)}`).join(`,${nl}`)}${nl}${close}}`;
      case 'array':
        return `[${nl}${x.items.map((m) => `${ind}${render(m, depth + 1)}`).join(`,${nl}`)}${nl}${close}]`;
      case 'string':
        return quote(x.value);
      case 'number':
      case 'literal':
        return x.text;
    }
  };
  return render(v, 0) + nl;
}

/** The member `key` of an object value, if it has one. */
export function member(v: JsonValue, key: string): JsonValue | undefined {
  return v.kind === 'object' ? v.members.find(([k]) => k === key)?.[1] : undefined;
}
