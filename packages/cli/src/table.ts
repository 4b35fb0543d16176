/** virsh's table output (vsh-table.c): a leading blank, columns padded to their widest cell, three blanks between. */
import type { Ctl } from './ctl';

/** Display width of a cell: one column per code point, two for wide (CJK, emoji) ones. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) ||
        (cp >= 0x1f300 && cp <= 0x1faff) ||
        (cp >= 0x20000 && cp <= 0x3fffd))
        ? 2
        : 1;
  }
  return w;
}

function padRight(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** Render a table as virsh does; with `quiet` the header and its rule are left out. */
export function renderTable(header: string[], rows: string[][], quiet: boolean): string {
  const all = quiet ? rows : [header, ...rows];
  const widths = header.map((_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ''))));
  const line = (r: string[]): string =>
    ' ' + r.map((cell, c) => (c === r.length - 1 ? cell : padRight(cell, widths[c]) + '   ')).join('') + '\n';
  let out = '';
  if (!quiet) {
    out += line(header);
    out += '-'.repeat(widths.reduce((a, w) => a + w + 3, 0)) + '\n';
  }
  for (const r of rows) out += line(r);
  return out;
}

/** Print a table through vshPrint. */
export function printTable(ctl: Ctl, header: string[], rows: string[][]): void {
  ctl.print(renderTable(header, rows, ctl.quiet));
}
