/**
 * libvirt's configuration-file syntax (virconf.c), which both xl.cfg and xm configs use:
 * `name = value` settings where a value is an integer, a quoted string or a list of values.
 * Settings keep their order, and setting an existing name replaces its value in place, because
 * the order of the written file follows the order in which libvirt's formatter first set each
 * name.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export type ConfValue = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: ConfValue[] };

/** An ordered set of settings. */
export class Conf {
  private readonly entries: Array<{ name: string; value: ConfValue }> = [];

  get(name: string): ConfValue | undefined {
    return this.entries.find((e) => e.name === name)?.value;
  }

  set(name: string, value: ConfValue): void {
    const entry = this.entries.find((e) => e.name === name);
    if (entry) entry.value = value;
    else this.entries.push({ name, value });
  }

  setInt(name: string, value: number | bigint): void {
    this.set(name, { kind: 'int', value: BigInt(value) });
  }

  setString(name: string, value: string): void {
    this.set(name, { kind: 'string', value });
  }

  setList(name: string, items: string[]): void {
    this.set(name, { kind: 'list', items: items.map((value) => ({ kind: 'string', value })) });
  }

  /** The file text, as virConfWriteMem writes it. */
  write(): string {
    return this.entries.map((e) => `${e.name} = ${writeValue(e.value)}\n`).join('');
  }
}

function writeValue(v: ConfValue): string {
  switch (v.kind) {
    case 'int':
      return v.value.toString();
    case 'string':
      if (v.value.includes('\n')) return `"""${v.value}"""`;
      return v.value.includes('"') ? `'${v.value}'` : `"${v.value}"`;
    case 'list':
      return `[ ${v.items.map(writeValue).join(', ')} ]`;
  }
}

function syntaxError(line: number, message: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CONF_SYNTAX, ErrorDomain.VIR_FROM_CONF, `memory conf:${line}: ${message}`);
}

/** Parse configuration text; syntax errors are VIR_ERR_CONF_SYNTAX as in virConfReadString. */
export function parseConf(text: string): Conf {
  const conf = new Conf();
  let pos = 0;
  let line = 1;

  const peek = (): string => text[pos] ?? '';
  const skipBlanks = (newlines: boolean): void => {
    for (;;) {
      const c = peek();
      if (c === ' ' || c === '\t' || c === '\r') pos++;
      else if (newlines && c === '\n') {
        pos++;
        line++;
      } else if (c === '#') {
        while (pos < text.length && peek() !== '\n') pos++;
      } else return;
    }
  };

  const parseString = (): string => {
    const quote = peek();
    if (text.startsWith('"""', pos)) {
      const end = text.indexOf('"""', pos + 3);
      if (end < 0) throw syntaxError(line, 'unterminated string');
      const s = text.slice(pos + 3, end);
      line += s.split('\n').length - 1;
      pos = end + 3;
      return s;
    }
    const end = text.indexOf(quote, pos + 1);
    const nl = text.indexOf('\n', pos + 1);
    if (end < 0 || (nl >= 0 && nl < end)) throw syntaxError(line, 'unterminated string');
    const s = text.slice(pos + 1, end);
    pos = end + 1;
    return s;
  };

  const parseValue = (): ConfValue => {
    const c = peek();
    if (c === '"' || c === "'") return { kind: 'string', value: parseString() };
    if (c === '[') {
      pos++;
      const items: ConfValue[] = [];
      skipBlanks(true);
      while (peek() !== ']') {
        if (pos >= text.length) throw syntaxError(line, 'list is not closed with ]');
        items.push(parseValue());
        skipBlanks(true);
        if (peek() === ',') {
          pos++;
          skipBlanks(true);
        } else if (peek() !== ']') throw syntaxError(line, 'expecting a separator in list');
      }
      pos++;
      return { kind: 'list', items };
    }
    const m = /^[+-]?[0-9]+/.exec(text.slice(pos));
    if (!m) throw syntaxError(line, 'expecting a value');
    pos += m[0].length;
    return { kind: 'int', value: BigInt(m[0]) };
  };

  for (;;) {
    skipBlanks(true);
    if (pos >= text.length) break;
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(pos));
    if (!m) throw syntaxError(line, 'expecting a name');
    pos += m[0].length;
    skipBlanks(false);
    if (peek() !== '=') throw syntaxError(line, 'expecting an assignment');
    pos++;
    skipBlanks(false);
    const value = parseValue();
    skipBlanks(false);
    if (peek() === ';') pos++;
    else if (pos < text.length && peek() !== '\n') throw syntaxError(line, 'expecting a separator');
    if (!conf.get(m[0])) conf.set(m[0], value);
  }
  return conf;
}
