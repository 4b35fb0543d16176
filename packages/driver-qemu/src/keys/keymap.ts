/**
 * Key code sets (libvirt's virkeycode.c over keycodemapdb's data/keymaps.csv, copied into
 * data/keymaps): every code set as a table indexed by the Linux key code, as keymap-gen's
 * code-table builds them, so a code translates through the first row that holds it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { KeycodeSet as K } from '@virtkit/core';
import { packageDataDir } from '../cpu/map';

/** libvirt's names of the code sets (virKeycodeSet's enum strings). */
export const KEYCODE_SET_NAMES = ['linux', 'xt', 'atset1', 'atset2', 'atset3', 'os_x', 'xt_kbd', 'usb', 'win32', 'qnum'];

interface Keymap {
  codes: Map<number, number[]>;
  names: Map<number, (string | undefined)[]>;
}

let loaded: Keymap | undefined;

/** A number as the CSV writes it: decimal or 0x hex; undefined when the cell is empty. */
function cell(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = v.startsWith('0x') ? parseInt(v, 16) : /^\d+$/.test(v) ? parseInt(v, 10) : NaN;
  return Number.isNaN(n) ? undefined : n;
}

/** The CSV's rows as cells (its names hold no commas or quotes inside quotes). */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
}

/** XT scan codes with 0xe0 codes folded: xt_kbd as 0x100 + code, QNUM as 0x80 + code (keymap-gen). */
function folded(at1: number | undefined, high: number): number | undefined {
  if (at1 === undefined) return undefined;
  return at1 > 0x7f ? high | (at1 & 0x7f) : at1;
}

function load(): Keymap {
  if (loaded) return loaded;
  const file = path.join(packageDataDir('keymaps', 'keymaps.csv'), 'keymaps.csv');
  const size = K.VIR_KEYCODE_SET_QNUM + 1;
  const codes = new Map<number, number[]>();
  const names = new Map<number, (string | undefined)[]>();
  for (let s = 0; s < size; s++) {
    codes.set(s, []);
    names.set(s, []);
  }
  for (const r of rows(readFileSync(file, 'utf8'))) {
    const linux = cell(r[1]);
    if (linux === undefined) continue;
    const at1 = cell(r[4]);
    const values: [number, number | undefined][] = [
      [K.VIR_KEYCODE_SET_LINUX, linux],
      [K.VIR_KEYCODE_SET_XT, at1],
      [K.VIR_KEYCODE_SET_ATSET1, at1],
      [K.VIR_KEYCODE_SET_ATSET2, cell(r[5])],
      [K.VIR_KEYCODE_SET_ATSET3, cell(r[6])],
      [K.VIR_KEYCODE_SET_OSX, cell(r[3])],
      [K.VIR_KEYCODE_SET_XT_KBD, folded(at1, 0x100)],
      [K.VIR_KEYCODE_SET_USB, cell(r[7])],
      [K.VIR_KEYCODE_SET_WIN32, cell(r[9])],
      [K.VIR_KEYCODE_SET_QNUM, folded(at1, 0x80)],
    ];
    for (const [set, v] of values) codes.get(set)![linux] = v ?? 0;
    names.get(K.VIR_KEYCODE_SET_LINUX)![linux] = r[0] || undefined;
    names.get(K.VIR_KEYCODE_SET_OSX)![linux] = r[2] || undefined;
    names.get(K.VIR_KEYCODE_SET_WIN32)![linux] = r[8] || undefined;
  }
  // Unlisted Linux codes below the largest are rows of zeros, as in keymap-gen's tables.
  const rowsCount = codes.get(K.VIR_KEYCODE_SET_LINUX)!.length;
  for (const table of codes.values()) for (let i = 0; i < rowsCount; i++) table[i] ??= 0;
  loaded = { codes, names };
  return loaded;
}

/** virKeycodeValueTranslate: `key` of code set `from` in code set `to`, or -1 when no row holds it. */
export function translateKeycode(from: number, to: number, key: number): number {
  if (key < 0) return -1;
  const { codes } = load();
  const src = codes.get(from);
  const dst = codes.get(to);
  if (!src || !dst) return -1;
  const i = src.indexOf(key);
  return i < 0 ? -1 : dst[i];
}

/** virKeycodeValueFromString: the code of key `name` in `codeset` (names exist for linux, os_x, win32), or -1. */
export function keycodeFromName(codeset: number, name: string): number {
  const { codes, names } = load();
  const list = names.get(codeset);
  if (!list) return -1;
  const i = list.indexOf(name);
  return i < 0 ? -1 : codes.get(codeset)![i];
}
