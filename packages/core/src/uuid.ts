/** UUIDs in libvirt's text form. */
import { randomUUID } from 'node:crypto';

/**
 * virUUIDParse: 32 hex digits, optionally with dashes between byte pairs and blanks around;
 * returns the lower-case dashed form, or undefined when the text is not a UUID.
 */
export function parseUuid(text: string): string | undefined {
  const s = text.trim();
  let hex = '';
  let i = 0;
  while (hex.length < 32) {
    while (s[i] === '-') i++;
    const pair = s.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return undefined;
    hex += pair.toLowerCase();
    i += 2;
  }
  if (i !== s.length) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new random (version 4) UUID. */
export function newUuid(): string {
  return randomUUID();
}
