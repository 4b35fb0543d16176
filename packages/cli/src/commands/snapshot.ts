/** Snapshot commands: snapshot-create(-as), -list, -info, -dumpxml, -current, -parent, -revert, -delete. */
import {
  DomainSnapshotCreateFlags as C,
  DomainSnapshotDeleteFlags as D,
  DomainSnapshotListFlags as L,
  DomainSnapshotRevertFlags as R,
  DomainSnapshotXMLFlags,
  type Domain,
  type DomainSnapshot,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, printJson, req, str } from '../opt';
import { multiValues } from '../parse';
import { describe, printMoments, sortRows } from '../moments';
import { diskspecXml, escapeXml, momentFields } from '../xmlinfo';
import { splitCommas } from '../comma-list';
import { DOMAIN_OPT, JSON_OPT, readXmlFile, withNewline } from './shared-options';

const SNAP_OPT: OptDef = { name: 'snapshotname', type: 'string' };
const CURRENT_OPT: OptDef = { name: 'current', type: 'bool' };

const CREATE_FLAGS: Array<[string, C]> = [
  ['no-metadata', C.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA],
  ['halt', C.VIR_DOMAIN_SNAPSHOT_CREATE_HALT],
  ['disk-only', C.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY],
  ['reuse-external', C.VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT],
  ['quiesce', C.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE],
  ['atomic', C.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC],
  ['live', C.VIR_DOMAIN_SNAPSHOT_CREATE_LIVE],
  ['validate', C.VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE],
];

const LIST_FILTERS: Array<[string, L]> = [
  ['leaves', L.VIR_DOMAIN_SNAPSHOT_LIST_LEAVES],
  ['no-leaves', L.VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES],
  ['metadata', L.VIR_DOMAIN_SNAPSHOT_LIST_METADATA],
  ['no-metadata', L.VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA],
  ['inactive', L.VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE],
  ['active', L.VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE],
  ['disk-only', L.VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY],
  ['internal', L.VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL],
  ['external', L.VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL],
  ['topological', L.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL],
];

/** XML flags of the dump commands: --security-info. */
function xmlFlags(opts: Opts): number {
  return flag(opts, 'security-info') ? DomainSnapshotXMLFlags.VIR_DOMAIN_SNAPSHOT_XML_SECURE : 0;
}

function createFlags(opts: Opts): number {
  let f = 0;
  for (const [n, bit] of CREATE_FLAGS) if (flag(opts, n)) f |= bit;
  return f;
}

/** The snapshot a command names: `snapshotname`, or the current one with --current (or when omitted). */
async function snapshotArg(ctl: Ctl, opts: Opts, dom: Domain): Promise<DomainSnapshot> {
  const name = str(ctl, opts, 'snapshotname');
  exclusive(ctl, opts, 'current', 'snapshotname');
  if (name !== null) return dom.snapshotLookupByName(name);
  return currentSnapshot(ctl, dom);
}

async function currentSnapshot(ctl: Ctl, dom: Domain): Promise<DomainSnapshot> {
  if (!(await dom.hasCurrentSnapshot())) ctl.fail(`domain '${dom.getName()}' has no current snapshot`);
  return dom.snapshotCurrent();
}

/** Location as virsh's snapshot-info reports it, from the memory and disk `snapshot=` values. */
function location(state: string | null, locs: string[]): string {
  if (state === 'disk-snapshot') return 'external';
  const ext = locs.includes('external');
  const int = locs.includes('internal');
  if (ext && !int) return 'external';
  return 'internal';
}

export const snapshotCommands: CmdDef[] = [
  {
    name: 'snapshot-create',
    group: 'snapshot',
    help: 'Create a snapshot from XML',
    opts: [
      DOMAIN_OPT,
      { name: 'xmlfile', type: 'string' },
      { name: 'redefine', type: 'bool' },
      CURRENT_OPT,
      ...CREATE_FLAGS.map(([name]) => ({ name, type: 'bool' as const })),
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = createFlags(opts);
      if (flag(opts, 'redefine')) flags |= C.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
      if (flag(opts, 'current')) flags |= C.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
      const file = str(ctl, opts, 'xmlfile');
      const xml = file === null ? '<domainsnapshot/>' : readXmlFile(file);
      const snap = await dom.snapshotCreateXML(xml, flags);
      ctl.printExtra(
        file === null ? `Domain snapshot ${snap.getName()} created` : `Domain snapshot ${snap.getName()} created from '${file}'`,
      );
      return true;
    },
  },
  {
    name: 'snapshot-create-as',
    group: 'snapshot',
    help: 'Create a snapshot from a set of args',
    opts: [
      DOMAIN_OPT,
      { name: 'name', type: 'string' },
      { name: 'description', type: 'string' },
      { name: 'print-xml', type: 'bool' },
      ...CREATE_FLAGS.map(([name]) => ({ name, type: 'bool' as const })),
      { name: 'memspec', type: 'string', namedOnly: true },
      { name: 'diskspec', type: 'string', multi: true },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const name = str(ctl, opts, 'name');
      const desc = str(ctl, opts, 'description');
      const memspec = str(ctl, opts, 'memspec');
      let xml = '<domainsnapshot>\n';
      if (name !== null) xml += `  <name>${escapeXml(name)}</name>\n`;
      if (desc !== null) xml += `  <description>${escapeXml(desc)}</description>\n`;
      if (memspec !== null) xml += memspecXml(memspec);
      const disks = multiValues(opts, 'diskspec');
      if (disks.length) xml += `  <disks>\n${disks.map((d) => diskspecXml(d, 'snapshot')).join('')}  </disks>\n`;
      xml += '</domainsnapshot>\n';
      if (flag(opts, 'print-xml')) {
        ctl.print(`${xml}\n`);
        return true;
      }
      const snap = await dom.snapshotCreateXML(xml, createFlags(opts));
      ctl.printExtra(`Domain snapshot ${snap.getName()} created`);
      return true;
    },
  },
  {
    name: 'snapshot-list',
    group: 'snapshot',
    help: 'List snapshots for a domain',
    opts: [
      DOMAIN_OPT,
      ...[
        'parent',
        'roots',
        'leaves',
        'no-leaves',
        'metadata',
        'no-metadata',
        'inactive',
        'active',
        'disk-only',
        'internal',
        'external',
        'tree',
      ].map((name) => ({ name, type: 'bool' as const })),
      { name: 'from', type: 'string', namedOnly: true },
      CURRENT_OPT,
      { name: 'descendants', type: 'bool' },
      { name: 'name', type: 'bool' },
      { name: 'topological', type: 'bool' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      exclusive(ctl, opts, 'tree', 'name');
      exclusive(ctl, opts, 'parent', 'roots');
      exclusive(ctl, opts, 'parent', 'tree');
      exclusive(ctl, opts, 'roots', 'tree');
      exclusive(ctl, opts, 'roots', 'from');
      exclusive(ctl, opts, 'roots', 'current');
      let flags = 0;
      for (const [n, bit] of LIST_FILTERS) if (flag(opts, n)) flags |= bit;
      const fromName = str(ctl, opts, 'from');
      const tree = flag(opts, 'tree');
      let start: DomainSnapshot | null = null;
      if (fromName !== null) start = await dom.snapshotLookupByName(fromName);
      else if (flag(opts, 'current')) start = await currentSnapshot(ctl, dom);
      let items: DomainSnapshot[];
      if (start) {
        if (flag(opts, 'descendants')) flags |= L.VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
        items = await start.listAllChildren(flags);
        if (tree) items = [start, ...items];
      } else {
        if (flag(opts, 'roots')) flags |= L.VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;
        items = await dom.listAllSnapshots(flags);
      }
      let rows = sortRows(await describe(items), flag(opts, 'topological'));
      const root = start && tree ? start.getName() : null;
      if (root !== null) rows = [rows.find((r) => r.name === root)!, ...rows.filter((r) => r.name !== root)];
      printMoments(ctl, opts, rows, true, root);
      return true;
    },
  },
  {
    name: 'snapshot-info',
    group: 'snapshot',
    help: 'snapshot information',
    opts: [DOMAIN_OPT, SNAP_OPT, CURRENT_OPT, JSON_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const snap = await snapshotArg(ctl, opts, dom);
      const f = momentFields(await snap.getXMLDesc());
      const current = await snap.isCurrent();
      let parent: string | null = null;
      try {
        parent = (await snap.getParent()).getName();
      } catch {
        parent = null;
      }
      const children = (await snap.listAllChildren(0)).length;
      const descendants = (await snap.listAllChildren(L.VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)).length;
      const metadata = await snap.hasMetadata();
      const loc = location(f.state, f.locations);
      if (flag(opts, 'json')) {
        printJson(ctl, {
          name: snap.getName(),
          domain: dom.getName(),
          current,
          state: f.state,
          location: loc,
          parent,
          children,
          descendants,
          metadata,
        });
        return true;
      }
      const row = (k: string, v: string): void => ctl.print(`${k.padEnd(15)} ${v}\n`);
      row('Name:', snap.getName());
      row('Domain:', dom.getName());
      row('Current:', current ? 'yes' : 'no');
      row('State:', f.state ?? '');
      row('Location:', loc);
      row('Parent:', parent ?? '-');
      row('Children:', String(children));
      row('Descendants:', String(descendants));
      row('Metadata:', metadata ? 'yes' : 'no');
      return true;
    },
  },
  {
    name: 'snapshot-dumpxml',
    group: 'snapshot',
    help: 'Dump XML for a domain snapshot',
    opts: [DOMAIN_OPT, { name: 'snapshotname', type: 'string', required: true }, { name: 'security-info', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const snap = await dom.snapshotLookupByName(req(ctl, opts, 'snapshotname'));
      ctl.print(withNewline(await snap.getXMLDesc(xmlFlags(opts))));
      return true;
    },
  },
  {
    name: 'snapshot-current',
    group: 'snapshot',
    help: 'Get or set the current snapshot',
    opts: [DOMAIN_OPT, { name: 'name', type: 'bool' }, { name: 'security-info', type: 'bool' }, SNAP_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const target = str(ctl, opts, 'snapshotname');
      if (target !== null) {
        exclusive(ctl, opts, 'name', 'snapshotname');
        const snap = await dom.snapshotLookupByName(target);
        const xml = await snap.getXMLDesc(DomainSnapshotXMLFlags.VIR_DOMAIN_SNAPSHOT_XML_SECURE);
        await dom.snapshotCreateXML(xml, C.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | C.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
        ctl.printExtra(`Snapshot ${target} set as current`);
        return true;
      }
      const snap = await currentSnapshot(ctl, dom);
      if (flag(opts, 'name')) ctl.print(snap.getName());
      else ctl.print(withNewline(await snap.getXMLDesc(xmlFlags(opts))));
      return true;
    },
  },
  {
    name: 'snapshot-parent',
    group: 'snapshot',
    help: 'Get the name of the parent of a snapshot',
    opts: [DOMAIN_OPT, SNAP_OPT, CURRENT_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const snap = await snapshotArg(ctl, opts, dom);
      const parent = momentFields(await snap.getXMLDesc()).parent;
      if (parent === null) ctl.fail(`snapshot '${snap.getName()}' has no parent`);
      ctl.print(parent ?? '');
      return true;
    },
  },
  {
    name: 'snapshot-revert',
    group: 'snapshot',
    help: 'Revert a domain to a snapshot',
    opts: [
      DOMAIN_OPT,
      SNAP_OPT,
      CURRENT_OPT,
      { name: 'running', type: 'bool' },
      { name: 'paused', type: 'bool' },
      { name: 'force', type: 'bool' },
      { name: 'reset-nvram', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = 0;
      if (flag(opts, 'running')) flags |= R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
      if (flag(opts, 'paused')) flags |= R.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
      if (flag(opts, 'force')) flags |= R.VIR_DOMAIN_SNAPSHOT_REVERT_FORCE;
      if (flag(opts, 'reset-nvram')) flags |= R.VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM;
      const snap = await snapshotArg(ctl, opts, dom);
      await snap.revert(flags);
      ctl.printExtra(`Domain snapshot ${snap.getName()} reverted\n`);
      return true;
    },
  },
  {
    name: 'snapshot-delete',
    group: 'snapshot',
    help: 'Delete a domain snapshot',
    opts: [
      DOMAIN_OPT,
      SNAP_OPT,
      CURRENT_OPT,
      { name: 'children', type: 'bool' },
      { name: 'children-only', type: 'bool' },
      { name: 'metadata', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const snap = await snapshotArg(ctl, opts, dom);
      let flags = 0;
      if (flag(opts, 'children')) flags |= D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
      if (flag(opts, 'metadata')) flags |= D.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
      if (flag(opts, 'children-only')) flags |= D.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
      const n = snap.getName();
      await ctl.attempt(`Failed to delete snapshot ${n}`, () => snap.delete(flags));
      ctl.printExtra(flag(opts, 'children-only') ? `Domain snapshot ${n} children deleted\n` : `Domain snapshot ${n} deleted\n`);
      return true;
    },
  },
];

/** `--memspec [file=]path[,snapshot=type]` as a <memory> element. */
function memspecXml(spec: string): string {
  let snapshot: string | null = null;
  let file: string | null = null;
  for (const p of splitCommas(spec)) {
    if (p.startsWith('snapshot=')) snapshot = p.slice(9);
    else if (p.startsWith('file=')) file = p.slice(5);
    else if (p) file = p;
  }
  let out = '  <memory';
  if (snapshot) out += ` snapshot='${escapeXml(snapshot)}'`;
  if (file) out += ` file='${escapeXml(file)}'`;
  return `${out}/>\n`;
}
