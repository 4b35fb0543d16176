/**
 * The one mapping from object names (domains, snapshots, checkpoints, pools) to the file names
 * that hold them, and back. libvirt writes `NAME.xml`; any legal name (everything but '/' and a
 * newline) must fit, so the file name keeps that layout for ordinary names and escapes the rest:
 *
 * - `%` and `/` (never legal, escaped anyway), control characters, and a leading `.` (which
 *   would hide the file and collide with temp files) become `%XX` of their UTF-8 bytes;
 * - a name whose file name would exceed NAME_MAX (255 bytes) keeps a prefix cut at a character
 *   boundary and ends with `%~` and a hash of the whole name. `%~` never appears in a short
 *   form (`%` is always followed by two hex digits there), so no two names share a file.
 */
import { createHash } from 'node:crypto';

/** Longest file name the kernel accepts (bytes). */
export const NAME_MAX = 255;

const HASH_MARK = '%~';
/** Hex digits of SHA-256 kept in the long form. */
const HASH_HEX = 32;

/** Whether the character must be written as `%XX` at position `i`. */
function needsEscape(ch: string, i: number): boolean {
  const c = ch.codePointAt(0)!;
  return ch === '%' || ch === '/' || c < 0x20 || c === 0x7f || (i === 0 && ch === '.');
}

function escapeChar(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The name with the characters a file name cannot carry as they are percent-escaped. */
function escapeName(name: string): string {
  let out = '';
  let i = 0;
  for (const ch of name) out += needsEscape(ch, i++) ? escapeChar(ch) : ch;
  return out;
}

/** The longest prefix of the escaped name within `budget` bytes, cut between characters and escapes. */
function prefixWithin(escaped: string, budget: number): string {
  let out = '';
  let bytes = 0;
  for (const unit of escaped.match(/%[0-9A-F]{2}|[^]/gu) ?? []) {
    const n = Buffer.byteLength(unit, 'utf8');
    if (bytes + n > budget) break;
    out += unit;
    bytes += n;
  }
  return out;
}

/**
 * The file name holding the object `name`, ending with `suffix` (`.xml`, `.json`, `.log`, or ''
 * for a directory): `NAME.xml` for ordinary names, always within NAME_MAX bytes.
 */
export function fileNameFor(name: string, suffix: string): string {
  const escaped = escapeName(name);
  const suffixBytes = Buffer.byteLength(suffix, 'utf8');
  if (Buffer.byteLength(escaped, 'utf8') + suffixBytes <= NAME_MAX) return escaped + suffix;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_HEX);
  const tail = HASH_MARK + hash;
  return prefixWithin(escaped, NAME_MAX - suffixBytes - tail.length) + tail + suffix;
}

/** The bytes a short-form stem stands for (`%XX` units and UTF-8 text). */
function unescapeStem(stem: string): Buffer {
  const units = stem.match(/%[0-9A-F]{2}|[^%]+/gu) ?? [];
  if (units.join('') !== stem) throw new Error('stray %');
  return Buffer.concat(units.map((u) => (u.startsWith('%') ? Buffer.from([parseInt(u.slice(1), 16)]) : Buffer.from(u, 'utf8'))));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The name a file name stands for: the name itself for the short form; undefined for the hashed
 * long form (only the file's content knows the whole name) and for a file name this mapping
 * never makes (another suffix, a leading dot, a stray or needless escape).
 */
export function nameOfFile(file: string, suffix: string): string | undefined {
  if (!file.endsWith(suffix) || file.length === suffix.length) return undefined;
  const stem = file.slice(0, file.length - suffix.length);
  if (stem.includes(HASH_MARK)) return undefined;
  try {
    const name = UTF8.decode(unescapeStem(stem));
    return fileNameFor(name, suffix) === file ? name : undefined;
  } catch {
    return undefined;
  }
}
