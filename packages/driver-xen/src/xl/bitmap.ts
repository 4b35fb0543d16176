/** libvirt's bitmap strings (virBitmapParse / virBitmapFormat): `0-3,^2,8`. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export function parseBitmap(text: string): number[] {
  const set = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^(\^)?([0-9]+)(?:-([0-9]+))?$/.exec(part);
    if (!m) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, `Failed to parse bitmap '${text}'`);
    const lo = Number(m[2]);
    const hi = m[3] === undefined ? lo : Number(m[3]);
    for (let i = lo; i <= hi; i++) {
      if (m[1]) set.delete(i);
      else set.add(i);
    }
  }
  return [...set].sort((a, b) => a - b);
}

/** Ranges of consecutive bits as `a-b`, single bits alone, joined by commas. */
export function formatBitmap(bits: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < bits.length;) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
    out.push(j === i ? `${bits[i]}` : `${bits[i]}-${bits[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
