/** Small helpers libvirt's storage parser relies on. */
import { randomUUID } from 'node:crypto';

/** virFileSanitizePath: squeeze repeated slashes, drop a trailing one; a leading `//` stays. */
export function sanitizePath(p: string): string {
  let prefix = '';
  let rest = p;
  if (p.startsWith('//') && p[2] !== '/') {
    prefix = '/';
    rest = p.slice(1);
  }
  let out = rest.replace(/\/{2,}/g, '/');
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return prefix + out;
}

/** virUUIDParse: 32 hex digits, dashes allowed between pairs, surrounding blanks; lowercase dashed form. */
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

export function newUuid(): string {
  return randomUUID();
}
