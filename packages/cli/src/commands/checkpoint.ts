/** Checkpoint commands: checkpoint-create(-as), -list, -dumpxml, -delete. */
import {
  DomainCheckpointCreateFlags as C,
  DomainCheckpointDeleteFlags as D,
  DomainCheckpointListFlags as L,
  DomainCheckpointXMLFlags as X,
  type Domain,
  type DomainCheckpoint,
} from '@virtkit/core';
import type { CmdDef } from '../types';
import type { Ctl } from '../ctl';
import { label } from '../format';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, requires, str } from '../opt';
import { multiValues } from '../parse';
import { describe, printMoments, sortRows } from '../moments';
import { diskspecXml, escapeXml, momentFields } from '../xmlinfo';
import { DOMAIN_OPT, JSON_OPT, readXmlFile, withNewline } from './shared-options';

/** The checkpoint `--checkpointname` names; virsh 9.0 has no current checkpoint to fall back on. */
async function checkpointOf(ctl: Ctl, dom: Domain, name: string | null): Promise<DomainCheckpoint> {
  if (name === null) ctl.fail('--checkpointname is required');
  return dom.checkpointLookupByName(name);
}

/** The parent's name as the checkpoint's XML records it (null for a root), as virsh reads it. */
async function parentName(cp: DomainCheckpoint): Promise<string | null> {
  return momentFields(await cp.getXMLDesc(X.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN)).parent;
}

export const checkpointCommands: CmdDef[] = [
  {
    name: 'checkpoint-create',
    group: 'checkpoint',
    help: 'Create a checkpoint from XML',
    opts: [
      DOMAIN_OPT,
      { name: 'xmlfile', type: 'string' },
      { name: 'redefine', type: 'bool' },
      { name: 'quiesce', type: 'bool' },
      { name: 'redefine-validate', type: 'bool' },
    ],
    async handler(ctl, opts) {
      requires(ctl, opts, 'redefine-validate', 'redefine');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = 0;
      if (flag(opts, 'redefine')) flags |= C.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
      if (flag(opts, 'quiesce')) flags |= C.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE;
      if (flag(opts, 'redefine-validate')) flags |= C.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE;
      const file = str(ctl, opts, 'xmlfile');
      const xml = file === null ? '<domaincheckpoint/>' : readXmlFile(file);
      const cp = await dom.checkpointCreateXML(xml, flags);
      ctl.printExtra(
        file === null ? `Domain checkpoint ${cp.getName()} created` : `Domain checkpoint ${cp.getName()} created from '${file}'`,
      );
      return true;
    },
  },
  {
    name: 'checkpoint-create-as',
    group: 'checkpoint',
    help: 'Create a checkpoint from a set of args',
    opts: [
      DOMAIN_OPT,
      { name: 'name', type: 'string' },
      { name: 'description', type: 'string' },
      { name: 'print-xml', type: 'bool' },
      { name: 'quiesce', type: 'bool' },
      { name: 'diskspec', type: 'string', multi: true },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const name = str(ctl, opts, 'name');
      const desc = str(ctl, opts, 'description');
      let xml = '<domaincheckpoint>\n';
      if (name !== null) xml += `  <name>${escapeXml(name)}</name>\n`;
      if (desc !== null) xml += `  <description>${escapeXml(desc)}</description>\n`;
      const disks = multiValues(opts, 'diskspec');
      if (disks.length) xml += `  <disks>\n${disks.map((d) => diskspecXml(d, 'checkpoint')).join('')}  </disks>\n`;
      xml += '</domaincheckpoint>\n';
      if (flag(opts, 'print-xml')) {
        ctl.print(`${xml}\n`);
        return true;
      }
      const cp = await dom.checkpointCreateXML(xml, flag(opts, 'quiesce') ? C.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE : 0);
      ctl.printExtra(`Domain checkpoint ${cp.getName()} created`);
      return true;
    },
  },
  {
    name: 'checkpoint-list',
    group: 'checkpoint',
    help: 'List checkpoints for a domain',
    opts: [
      DOMAIN_OPT,
      ...['parent', 'roots', 'leaves', 'no-leaves', 'tree'].map((name) => ({ name, type: 'bool' as const })),
      { name: 'from', type: 'string', namedOnly: true },
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
      let flags = 0;
      if (flag(opts, 'leaves')) flags |= L.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES;
      if (flag(opts, 'no-leaves')) flags |= L.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES;
      if (flag(opts, 'topological')) flags |= L.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL;
      const fromName = str(ctl, opts, 'from');
      const tree = flag(opts, 'tree');
      let start: DomainCheckpoint | null = null;
      let items: DomainCheckpoint[];
      if (fromName !== null) {
        start = await dom.checkpointLookupByName(fromName);
        if (flag(opts, 'descendants')) flags |= L.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS;
        items = await start.listAllChildren(flags);
        if (tree) items = [start, ...items];
      } else {
        if (flag(opts, 'roots')) flags |= L.VIR_DOMAIN_CHECKPOINT_LIST_ROOTS;
        items = await dom.listAllCheckpoints(flags);
      }
      let rows = sortRows(await describe(items), flag(opts, 'topological'));
      const root = start && tree ? start.getName() : null;
      if (root !== null) rows = [rows.find((r) => r.name === root)!, ...rows.filter((r) => r.name !== root)];
      printMoments(ctl, opts, rows, false, root);
      return true;
    },
  },
  {
    name: 'checkpoint-info',
    group: 'checkpoint',
    help: 'checkpoint information',
    opts: [DOMAIN_OPT, { name: 'checkpointname', type: 'string', help: 'checkpoint name' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const cp = await checkpointOf(ctl, dom, str(ctl, opts, 'checkpointname'));
      const parent = await parentName(cp);
      const children = (await cp.listAllChildren(0)).length;
      const descendants = (await cp.listAllChildren(L.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS)).length;
      const row = (k: string, v: string | number): void => ctl.print(`${label(k)} ${v}\n`);
      row('Name:', cp.getName());
      row('Domain:', dom.getName());
      row('Parent:', parent ?? '-');
      row('Children:', children);
      row('Descendants:', descendants);
      return true;
    },
  },
  {
    name: 'checkpoint-parent',
    group: 'checkpoint',
    help: 'Get the name of the parent of a checkpoint',
    opts: [DOMAIN_OPT, { name: 'checkpointname', type: 'string', help: 'find parent of checkpoint name' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const cp = await checkpointOf(ctl, dom, str(ctl, opts, 'checkpointname'));
      const parent = await parentName(cp);
      if (parent === null) ctl.fail(`checkpoint '${cp.getName()}' has no parent`);
      ctl.print(parent ?? '');
      return true;
    },
  },
  {
    name: 'checkpoint-dumpxml',
    group: 'checkpoint',
    help: 'Dump XML for a domain checkpoint',
    opts: [
      DOMAIN_OPT,
      { name: 'checkpointname', type: 'string', required: true },
      { name: 'security-info', type: 'bool' },
      { name: 'no-domain', type: 'bool' },
      { name: 'size', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const cp = await dom.checkpointLookupByName(req(ctl, opts, 'checkpointname'));
      let flags = 0;
      if (flag(opts, 'security-info')) flags |= X.VIR_DOMAIN_CHECKPOINT_XML_SECURE;
      if (flag(opts, 'no-domain')) flags |= X.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN;
      if (flag(opts, 'size')) flags |= X.VIR_DOMAIN_CHECKPOINT_XML_SIZE;
      ctl.print(withNewline(await cp.getXMLDesc(flags)));
      return true;
    },
  },
  {
    name: 'checkpoint-delete',
    group: 'checkpoint',
    help: 'Delete a domain checkpoint',
    opts: [
      DOMAIN_OPT,
      { name: 'checkpointname', type: 'string', required: true },
      { name: 'children', type: 'bool' },
      { name: 'children-only', type: 'bool' },
      { name: 'metadata', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const cp = await dom.checkpointLookupByName(req(ctl, opts, 'checkpointname'));
      let flags = 0;
      if (flag(opts, 'children')) flags |= D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN;
      if (flag(opts, 'metadata')) flags |= D.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY;
      if (flag(opts, 'children-only')) flags |= D.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY;
      const n = cp.getName();
      await ctl.attempt(`Failed to delete checkpoint ${n}`, () => cp.delete(flags));
      ctl.printExtra(flag(opts, 'children-only') ? `Domain checkpoint ${n} children deleted\n` : `Domain checkpoint ${n} deleted\n`);
      return true;
    },
  },
];
