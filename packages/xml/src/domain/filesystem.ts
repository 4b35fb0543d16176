/**
 * The generic rules for `<filesystem>` (virDomainFSDefParseXML and virDomainFSDefPostParse): an
 * access mode is filled in unless the share goes through a vhost-user socket, and a RAM
 * filesystem's size is kept in bytes, so it is written back in KiB whatever unit it was given in.
 */
import { VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { parseULL, scaleInteger, ULLONG_MAX } from '../scaled';
import { setAttr } from './node';

/** The attributes of `<filesystem>` in the order libvirt writes them. */
const FS_ATTR_ORDER = ['type', 'accessmode', 'model', 'multidevs', 'fmode', 'dmode'];

function normalizeRamUsage(el: XmlElement): void {
  const src = el.element('source');
  const usage = src?.attr('usage');
  if (!src || usage === undefined) throw VirError.xml("missing 'usage' attribute for RAM filesystem");
  const value = parseULL(usage);
  if (value === undefined) throw VirError.xml(`cannot parse usage '${usage}' for RAM filesystem`);
  const bytes = scaleInteger(value, src.attr('units'), 1024n, ULLONG_MAX);
  src.attrs.set('usage', (bytes / 1024n).toString());
  src.attrs.set('units', 'KiB');
}

/** Normalize one `<filesystem>` element in place. */
export function normalizeFilesystem(el: XmlElement): void {
  const socket = el.element('source')?.attr('socket');
  if (el.attr('accessmode') === undefined && socket === undefined) setAttr(el, 'accessmode', 'passthrough', FS_ATTR_ORDER);
  if (el.attr('type') === 'ram') normalizeRamUsage(el);
}
