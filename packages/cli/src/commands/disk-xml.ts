/**
 * The disk XML virsh's attach-disk, detach-disk and change-media hand to libvirt: a `<disk>`
 * built from options, and a disk cut out of the domain XML and edited as virsh does it through
 * libxml2 (so it prints with double-quoted attributes and the domain XML's own indentation).
 */
import * as fs from 'node:fs';
import { parseXml } from '@virtkit/xml';
import { escapeXml } from '../xmlinfo';

export interface NewDisk {
  source: string;
  target: string;
  targetBus: string | null;
  driver: string | null;
  subdriver: string | null;
  cache: string | null;
  io: string | null;
  iothread: string | null;
  device: string | null;
  sourceType: string | null;
  mode: 'readonly' | 'shareable' | null;
  serial: string | null;
  wwn: string | null;
}

function isBlockDevice(file: string): boolean {
  try {
    return fs.statSync(file).isBlockDevice();
  } catch {
    return false;
  }
}

const attr = (name: string, v: string | null) => (v === null ? '' : ` ${name}='${escapeXml(v)}'`);

/** cmdAttachDisk's XML; the source type is `block` for a block device unless given. */
export function attachDiskXml(d: NewDisk): string {
  const type = d.sourceType ?? (isBlockDevice(d.source) ? 'block' : 'file');
  let xml = `<disk type='${escapeXml(type)}'${attr('device', d.device)}>\n`;
  if (d.driver || d.subdriver || d.cache || d.io || d.iothread) {
    xml += `  <driver${attr('name', d.driver)}${attr('type', d.subdriver)}${attr('cache', d.cache)}${attr('io', d.io)}${attr('iothread', d.iothread)}/>\n`;
  }
  xml += `  <source${attr(type === 'block' ? 'dev' : 'file', d.source)}/>\n`;
  xml += `  <target dev='${escapeXml(d.target)}'${attr('bus', d.targetBus)}/>\n`;
  if (d.mode) xml += `  <${d.mode}/>\n`;
  if (d.serial !== null) xml += `  <serial>${escapeXml(d.serial)}</serial>\n`;
  if (d.wwn !== null) xml += `  <wwn>${escapeXml(d.wwn)}</wwn>\n`;
  return `${xml}</disk>\n`;
}

/** One disk of a domain XML: its parsed element and its text as libxml2 would dump it. */
export interface FoundDisk {
  device: string;
  target: string;
  source: string | null;
  text: string;
}

const SOURCE_ATTRS = ['file', 'dev', 'dir', 'name', 'volume'];

/** Attribute quoting as libxml2 writes it: double quotes, `"` escaped, `'` plain. */
export function libxmlQuotes(text: string): string {
  return text.replace(/<[^>]+>/g, (tag) =>
    tag.replace(
      /(\s[\w:-]+)='([^']*)'/g,
      (_m, name: string, v: string) => `${name}="${v.replace(/&apos;/g, "'").replace(/"/g, '&quot;')}"`,
    ),
  );
}

/** virshFindDisk: the disk whose target or source is `path` (only CD-ROMs and floppies when `changeable`). */
export function findDisk(domainXml: string, path: string, changeable: boolean): FoundDisk | null {
  const els = parseXml(domainXml).element('devices')?.elements('disk') ?? [];
  const texts = domainXml.match(/<disk[\s>][\s\S]*?<\/disk>|<disk[^>]*\/>/g) ?? [];
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const device = el.attr('device') ?? 'disk';
    if (changeable && device !== 'cdrom' && device !== 'floppy') continue;
    const src = el.element('source');
    const source = SOURCE_ATTRS.map((a) => src?.attr(a)).find((v) => v !== undefined) ?? null;
    const target = el.element('target')?.attr('dev') ?? '';
    if (target === path || source === path) return { device, target, source, text: libxmlQuotes(texts[i] ?? '') };
  }
  return null;
}

/**
 * virshUpdateDiskXML on the dumped text: the old `<source>` is cut out (its surrounding
 * whitespace stays), a new one goes right before `<target>` followed by that line's indentation,
 * and the disk's type follows the new source's kind.
 */
export function replaceMedium(text: string, newSource: string | null, block: boolean): string {
  let out = text.replace(/<source\b[^>]*\/>|<source\b[^>]*>[\s\S]*?<\/source>/, '');
  if (newSource === null) return out;
  const type = block ? 'block' : 'file';
  out = out.replace(/^<disk type="[^"]*"/, `<disk type="${type}"`);
  const at = out.indexOf('<target');
  const indent = /[ \t]*$/.exec(out.slice(0, at))?.[0] ?? '';
  const source = `<source ${block ? 'dev' : 'file'}="${escapeXml(newSource).replace(/&apos;/g, "'")}"/>`;
  return `${out.slice(0, at)}${source}\n${indent}${out.slice(at)}`;
}
