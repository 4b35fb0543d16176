/**
 * LXC's configuration syntax as libvirt reads it (virConfReadString with VIR_CONF_FLAG_LXC_FORMAT):
 * `key = value` statements, one per line, where the value is the rest of the line (or a quoted
 * string), and `#` comments. Entries keep their order; a key may repeat.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export interface ConfEntry {
  name: string;
  value: string;
}

/** libvirt names an in-memory configuration this way in syntax errors. */
const FILENAME = 'memory conf';

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isEol = (c: string | undefined) => c === '\n' || c === '\r';

class ConfReader {
  private i = 0;
  private line = 1;
  readonly entries: ConfEntry[] = [];

  constructor(private readonly text: string) {}

  private cur(): string | undefined {
    return this.text[this.i];
  }

  private next(): void {
    if (this.cur() === '\n') this.line++;
    this.i++;
  }

  private error(info: string): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_CONF_SYNTAX, ErrorDomain.VIR_FROM_CONF, `${FILENAME}:${this.line}: ${info}`);
  }

  private skipBlanks(): void {
    while (this.i < this.text.length && isBlank(this.cur())) this.next();
  }

  private skipBlanksAndEol(): void {
    while (this.i < this.text.length && (isBlank(this.cur()) || isEol(this.cur()))) this.next();
  }

  private toEol(): string {
    const base = this.i;
    while (this.i < this.text.length && !isEol(this.cur())) this.next();
    return this.text.slice(base, this.i);
  }

  private name(): string {
    this.skipBlanks();
    const base = this.i;
    if (!/[A-Za-z]/.test(this.cur() ?? '')) throw this.error('expecting a name');
    while (this.i < this.text.length && /[A-Za-z0-9_.]/.test(this.cur()!)) this.next();
    return this.text.slice(base, this.i);
  }

  /** A quoted string ends at its quote; any other value runs to the end of the line. */
  private value(): string {
    this.skipBlanks();
    if (this.i >= this.text.length) throw this.error('expecting a value');
    const quote = this.cur();
    if (quote === '"' || quote === "'") {
      if (quote === "'" && this.text.startsWith("'''", this.i)) return this.tripleQuoted();
      this.next();
      const base = this.i;
      while (this.i < this.text.length && this.cur() !== quote && !isEol(this.cur())) this.next();
      if (this.cur() !== quote) throw this.error('unterminated string');
      const s = this.text.slice(base, this.i);
      this.next();
      return s;
    }
    return this.toEol();
  }

  private tripleQuoted(): string {
    this.i += 3;
    const end = this.text.indexOf("'''", this.i);
    if (end < 0) throw this.error('unterminated string');
    const s = this.text.slice(this.i, end);
    for (const c of s) if (c === '\n') this.line++;
    this.i = end + 3;
    return s;
  }

  private statement(): void {
    this.skipBlanksAndEol();
    if (this.i >= this.text.length) return;
    if (this.cur() === '#') {
      this.toEol();
      return;
    }
    const name = this.name();
    this.skipBlanks();
    if (this.cur() !== '=') throw this.error('expecting an assignment');
    this.next();
    const value = this.value();
    this.skipBlanks();
    if (this.cur() === '#') this.toEol();
    this.entries.push({ name, value });
  }

  private separator(): void {
    this.skipBlanks();
    if (this.i >= this.text.length) return;
    if (isEol(this.cur())) this.skipBlanksAndEol();
    else if (this.cur() === ';') {
      this.next();
      this.skipBlanksAndEol();
    } else throw this.error('expecting a separator');
  }

  read(): ConfEntry[] {
    while (this.i < this.text.length) {
      this.statement();
      this.separator();
    }
    return this.entries;
  }
}

/** The entries of an LXC configuration, in order. */
export class LxcConf {
  readonly entries: ConfEntry[];

  constructor(text: string) {
    this.entries = new ConfReader(text).read();
  }

  /** virConfGetValueString: the first value of `name`. */
  get(name: string): string | undefined {
    return this.entries.find((e) => e.name === name)?.value;
  }

  /** The first value of the LXC 3.0 key, else of its legacy spelling. */
  getEither(key: string, legacy: string): string | undefined {
    return this.get(key) ?? this.get(legacy);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }
}
