import { DomainXMLFlags, type BlockInfo, type Domain } from '@virtkit/core';
import { parseXml, type XmlElement } from '@virtkit/xml';
import type { CmdDef } from '../types';
import { label, prettyCapacity } from '../format';
import { lookupDomain } from '../lookup';
import { flag, printJson, req, str } from '../opt';
import { printTable } from '../table';
import { DOMAIN_OPT, JSON_OPT } from './shared-options';

/** One `<disk>` of the domain XML, as domblklist shows it. */
export interface DiskRow {
  type: string;
  device: string;
  target: string;
  /** null when the disk has no source (an empty CD-ROM, say). */
  source: string | null;
}

const SOURCE_ATTRS = ['file', 'dev', 'dir', 'name', 'volume'];

function diskRow(disk: XmlElement): DiskRow {
  const src = disk.element('source');
  let source: string | null = null;
  if (src) for (const [k, v] of src.attrs) if (source === null && SOURCE_ATTRS.includes(k)) source = v;
  return { type: disk.attr('type') ?? '', device: disk.attr('device') ?? '', target: disk.find('target')?.attr('dev') ?? '', source };
}

/** The disks of `dom`'s live (or, with `inactive`, persistent) definition. */
export async function domainDisks(dom: Domain, inactive: boolean): Promise<Array<DiskRow & { hasSource: boolean }>> {
  const xml = parseXml(await dom.getXMLDesc(inactive ? DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE : 0));
  return (xml.element('devices')?.elements('disk') ?? []).map((d) => ({ ...diskRow(d), hasSource: d.element('source') !== undefined }));
}

/** The three sizes as text; all `-` for a disk with nothing to measure. */
function sizes(info: BlockInfo | null, human: boolean): string[] {
  if (!info || (info.capacity === 0 && info.allocation === 0 && info.physical === 0)) return ['-', '-', '-'];
  return [info.capacity, info.allocation, info.physical].map((n) => (human ? prettyCapacity(n, 3) : String(n)));
}

export const domblkCommands: CmdDef[] = [
  {
    name: 'domblklist',
    group: 'domain-monitor',
    help: 'list all domain blocks',
    opts: [
      DOMAIN_OPT,
      { name: 'inactive', type: 'bool', help: 'get inactive rather than running configuration' },
      { name: 'details', type: 'bool', help: 'additionally display the type and device value' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const disks = await domainDisks(dom, flag(opts, 'inactive'));
      if (flag(opts, 'json')) {
        printJson(
          ctl,
          disks.map(({ type, device, target, source }) => ({ type, device, target, source })),
        );
        return true;
      }
      const details = flag(opts, 'details');
      const header = details ? ['Type', 'Device', 'Target', 'Source'] : ['Target', 'Source'];
      printTable(
        ctl,
        header,
        disks.map((d) => [...(details ? [d.type, d.device] : []), d.target, d.source ?? '-']),
      );
      return true;
    },
  },
  {
    name: 'domblkinfo',
    group: 'domain-monitor',
    help: 'domain block device size information',
    opts: [
      DOMAIN_OPT,
      { name: 'device', type: 'string', help: 'block device' },
      { name: 'human', type: 'bool', help: 'Human readable output' },
      { name: 'all', type: 'bool', help: 'display all block devices info' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const device = str(ctl, opts, 'device');
      if (!flag(opts, 'all') && device === null) ctl.fail("command 'domblkinfo' requires <device> option");
      const human = flag(opts, 'human');
      if (device !== null && !flag(opts, 'all')) {
        const info = await dom.getBlockInfo(device, 0);
        if (flag(opts, 'json')) {
          printJson(ctl, { target: device, ...info });
          return true;
        }
        const [cap, alloc, phys] = [info.capacity, info.allocation, info.physical].map((n) => (human ? prettyCapacity(n, 3) : String(n)));
        ctl.print(`${label('Capacity:')} ${cap}\n${label('Allocation:')} ${alloc}\n${label('Physical:')} ${phys}\n`);
        return true;
      }
      const active = await dom.isActive();
      const rows: Array<{ target: string; info: BlockInfo | null }> = [];
      for (const d of await domainDisks(dom, false)) {
        // a network disk of a shut-off domain cannot be measured; virsh shows it as unknown
        const skip = !d.hasSource || (!active && d.type === 'network');
        rows.push({ target: d.target, info: skip ? null : await dom.getBlockInfo(d.target, 0) });
      }
      if (flag(opts, 'json')) {
        printJson(
          ctl,
          rows.map((r) => ({
            target: r.target,
            capacity: r.info?.capacity ?? null,
            allocation: r.info?.allocation ?? null,
            physical: r.info?.physical ?? null,
          })),
        );
        return true;
      }
      printTable(
        ctl,
        ['Target', 'Capacity', 'Allocation', 'Physical'],
        rows.map((r) => [r.target, ...sizes(r.info, human)]),
      );
      return true;
    },
  },
];
