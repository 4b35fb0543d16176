/** `<permissions>` of pool targets, volume targets and backing stores. */
import { ErrorDomain, VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import type { XmlWriter } from '../writer';
import { childString } from '../moment';
import type { StoragePerms } from './types';

const D = ErrorDomain.VIR_FROM_STORAGE;

const UID_MAX = 0xffffffff;

function parseId(text: string | undefined, what: 'owner' | 'group'): number | undefined {
  // libvirt reads number(./owner): XPath number semantics, then insists on a uid_t or -1.
  const v = text === undefined ? NaN : Number(text.trim() === '' ? NaN : text.trim());
  if (!Number.isInteger(v) || !((v >= 0 && v <= UID_MAX) || v === -1)) {
    throw VirError.xml(`malformed ${what} element`, D);
  }
  // (uid_t)-1 written either way means 'not set'.
  return v === -1 || v === UID_MAX ? undefined : v;
}

/** virStorageDefParsePerms; all fields unset when `el` is absent. */
export function parsePerms(el: XmlElement | undefined): StoragePerms {
  const perms: StoragePerms = {};
  if (!el) return perms;
  const mode = childString(el, 'mode');
  if (mode !== undefined) {
    const m = /^[ \t\n\r]*([+-]?[0-7]+)$/.exec(mode);
    const v = m ? parseInt(m[1], 8) : NaN;
    if (!Number.isInteger(v) || v < 0 || v & ~0o777) throw VirError.xml('malformed octal mode', D);
    perms.mode = v;
  }
  if (el.element('owner')) perms.owner = parseId(el.childText('owner'), 'owner');
  if (el.element('group')) perms.group = parseId(el.childText('group'), 'group');
  perms.label = childString(el, 'label');
  return perms;
}

export function formatPerms(w: XmlWriter, perms: StoragePerms | undefined): void {
  if (!perms) return;
  if (perms.mode === undefined && perms.owner === undefined && perms.group === undefined && perms.label === undefined) return;
  w.element('permissions', [], (c) => {
    if (perms.mode !== undefined) c.leaf('mode', `0${perms.mode.toString(8)}`);
    if (perms.owner !== undefined) c.leaf('owner', perms.owner | 0);
    if (perms.group !== undefined) c.leaf('group', perms.group | 0);
    c.leaf('label', perms.label);
  });
}
