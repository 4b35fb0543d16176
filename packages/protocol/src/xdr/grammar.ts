/**
 * The wire type-string grammar of the API definition (`api/src/dsl.ts`, WireField) parsed into
 * XdrType trees: scalars, `string`, `uuid`, handles, `TP<max>`, `opaque<max>`/`opaque[n]`,
 * inline structs `{name:type,...}` and the `?`, `<max>`, `[n]` suffixes.
 */
import { HANDLE_LAYOUTS } from '../generated/protocol.gen';
import { XDR_STRING_MAX } from './primitives';
import { XdrError } from './xdr-error';

export type XdrType =
  | { k: 'int' | 'uint' | 'hyper' | 'uhyper' | 'bool' | 'double' | 'char' | 'uchar' | 'short' | 'ushort' }
  | { k: 'string'; max: number }
  | { k: 'uuid' }
  | { k: 'handle'; name: HandleName }
  | { k: 'tp'; max: number }
  | { k: 'opaque'; fixed: boolean; n: number }
  | { k: 'optional'; of: XdrType }
  | { k: 'varray'; of: XdrType; max: number }
  | { k: 'farray'; of: XdrType; n: number }
  | { k: 'struct'; fields: [string, XdrType][] };

/** The object handles api/src/protocol.ts defines. */
export type HandleName = keyof typeof HANDLE_LAYOUTS;

const SCALARS = new Set(['int', 'uint', 'hyper', 'uhyper', 'bool', 'double', 'char', 'uchar', 'short', 'ushort']);
const HANDLES = new Set<string>(Object.keys(HANDLE_LAYOUTS));
const cache = new Map<string, XdrType>();

/** Parse a wire type string (cached). Throws XdrError on a malformed string. */
export function parseXdrType(text: string): XdrType {
  const hit = cache.get(text);
  if (hit) return hit;
  let pos = 0;
  const s = text.replace(/\s+/g, '');
  const fail = (why: string): never => {
    throw new XdrError(`bad XDR type '${text}': ${why} at ${pos}`);
  };
  const num = (): number => {
    const m = /^\d+/.exec(s.slice(pos));
    if (!m) return fail('number expected');
    pos += m[0].length;
    return Number(m[0]);
  };
  const type = (): XdrType => {
    let t: XdrType;
    if (s[pos] === '{') {
      pos++;
      const fields: [string, XdrType][] = [];
      while (s[pos] !== '}') {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(pos));
        if (!m) fail('field name expected');
        pos += m![0].length;
        if (s[pos] !== ':') fail("':' expected");
        pos++;
        fields.push([m![0], type()]);
        if (s[pos] === ',') pos++;
        else if (s[pos] !== '}') fail("',' or '}' expected");
      }
      pos++;
      t = { k: 'struct', fields };
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(pos));
      if (!m) return fail('type name expected');
      const name = m[0];
      pos += name.length;
      if (name === 'TP' || name === 'opaque') {
        const open = s[pos];
        if (open !== '<' && open !== '[') return fail(`${name} needs <max> or [n]`);
        pos++;
        const n = num();
        if (s[pos] !== (open === '<' ? '>' : ']')) fail('unclosed bound');
        pos++;
        if (name === 'TP') {
          if (open !== '<') fail('TP takes <max>');
          t = { k: 'tp', max: n };
        } else t = { k: 'opaque', fixed: open === '[', n };
      } else if (SCALARS.has(name)) t = { k: name as 'int' };
      else if (name === 'string' || name === 'str') t = { k: 'string', max: XDR_STRING_MAX };
      else if (name === 'uuid') t = { k: 'uuid' };
      else if (HANDLES.has(name)) t = { k: 'handle', name: name as HandleName };
      else return fail(`unknown type '${name}'`);
    }
    for (;;) {
      const c = s[pos];
      if (c === '?') {
        pos++;
        t = { k: 'optional', of: t };
      } else if (c === '<') {
        pos++;
        const max = s[pos] === '>' ? 0xffffffff : num();
        if (s[pos] !== '>') fail("'>' expected");
        pos++;
        t = { k: 'varray', of: t, max };
      } else if (c === '[') {
        pos++;
        const n = num();
        if (s[pos] !== ']') fail("']' expected");
        pos++;
        t = { k: 'farray', of: t, n };
      } else break;
    }
    return t;
  };
  const t = type();
  if (pos !== s.length) fail('trailing text');
  cache.set(text, t);
  return t;
}
