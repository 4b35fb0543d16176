/**
 * The edit commands: edit, net-edit, pool-edit, iface-edit, snapshot-edit and checkpoint-edit,
 * each one virsh's edit cycle (../edit-session.ts) around its object's get-XML and define calls.
 */
import {
  DomainCheckpointCreateFlags as CpCreate,
  DomainCheckpointDeleteFlags as CpDelete,
  DomainCheckpointXMLFlags as CpXml,
  DomainDefineFlags,
  DomainSnapshotCreateFlags as SnapCreate,
  DomainSnapshotDeleteFlags as SnapDelete,
  DomainSnapshotXMLFlags as SnapXml,
  DomainXMLFlags,
  ErrorNumber,
  InterfaceXMLFlags,
  NetworkXMLFlags,
  StorageXMLFlags,
  VirError,
  type Domain,
  type DomainSnapshot,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import { editCycle } from '../edit-session';
import { lookupDomain, lookupPool } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import type { CmdDef } from '../types';
import { lookupInterface } from './interface';
import { lookupNetwork } from './network';

const isCode = (e: unknown, code: ErrorNumber) => e instanceof VirError && e.code === code;

/** virshDomainDefine: with flags, falling back to the flag-less call when validation alone is not supported. */
async function defineDomain(ctl: Ctl, xml: string, flags: number): Promise<Domain> {
  if (!flags) return ctl.c.defineXML(xml);
  try {
    return await ctl.c.defineXMLFlags(xml, flags);
  } catch (e) {
    if (isCode(e, ErrorNumber.VIR_ERR_NO_SUPPORT) && flags === DomainDefineFlags.VIR_DOMAIN_DEFINE_VALIDATE) return ctl.c.defineXML(xml);
    throw e;
  }
}

/** The text for an object the non-terminal failure path leaves undefined: C's "(null)". */
const nameOrNull = (name: string | undefined) => name ?? '(null)';

/** virshLookupSnapshot: --snapshotname, else the current snapshot with --current. */
async function lookupSnapshot(ctl: Ctl, opts: Map<string, string | true>, dom: Domain): Promise<DomainSnapshot> {
  const name = str(ctl, opts, 'snapshotname');
  if (name !== null) return dom.snapshotLookupByName(name);
  if (flag(opts, 'current')) return dom.snapshotCurrent();
  return ctl.fail('--snapshotname or --current is required');
}

export const editCommands: CmdDef[] = [
  {
    name: 'edit',
    group: 'domain',
    help: 'edit XML configuration for a domain',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let defineFlags = flag(opts, 'skip-validate') ? 0 : DomainDefineFlags.VIR_DOMAIN_DEFINE_VALIDATE;
      const r = await editCycle(ctl, {
        getXml: () => dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_SECURE | DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE),
        define: (doc) => defineDomain(ctl, doc, defineFlags),
        notChanged: () => true,
        relax: () => (defineFlags &= ~DomainDefineFlags.VIR_DOMAIN_DEFINE_VALIDATE),
      });
      if (r.done === 'failed') return false;
      if (r.done === 'unchanged') ctl.printExtra(`Domain '${dom.getName()}' XML configuration not changed.\n`);
      else ctl.printExtra(`Domain '${nameOrNull(r.value?.getName())}' XML configuration edited.\n`);
      return true;
    },
  },
  {
    name: 'net-edit',
    group: 'network',
    help: 'edit XML configuration for a network',
    opts: [],
    async handler(ctl, opts) {
      const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
      const getXml = async () => {
        try {
          return await net.getXMLDesc(NetworkXMLFlags.VIR_NETWORK_XML_INACTIVE);
        } catch (e) {
          if (!isCode(e, ErrorNumber.VIR_ERR_INVALID_ARG)) throw e;
          return net.getXMLDesc(0);
        }
      };
      const r = await editCycle(ctl, { getXml, define: (doc) => ctl.c.networkDefineXML(doc), notChanged: () => true });
      if (r.done === 'failed') return false;
      if (r.done === 'unchanged') ctl.printExtra(`Network ${net.getName()} XML configuration not changed.\n`);
      else ctl.printExtra(`Network ${nameOrNull(r.value?.getName())} XML configuration edited.\n`);
      return true;
    },
  },
  {
    name: 'pool-edit',
    group: 'pool',
    help: 'edit XML configuration for a storage pool',
    opts: [],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      // Some old daemons refuse the inactive flag: without it then.
      let flags: number = StorageXMLFlags.VIR_STORAGE_XML_INACTIVE;
      try {
        await pool.getXMLDesc(flags);
      } catch (e) {
        if (!isCode(e, ErrorNumber.VIR_ERR_INVALID_ARG)) throw e;
        flags = 0;
      }
      const r = await editCycle(ctl, {
        getXml: () => pool.getXMLDesc(flags),
        define: (doc) => ctl.c.storagePoolDefineXML(doc, 0),
        notChanged: () => true,
      });
      if (r.done === 'failed') return false;
      if (r.done === 'unchanged') ctl.printExtra(`Pool ${pool.getName()} XML configuration not changed.\n`);
      else ctl.printExtra(`Pool ${nameOrNull(r.value?.getName())} XML configuration edited.\n`);
      return true;
    },
  },
  {
    name: 'iface-edit',
    group: 'interface',
    help: 'edit XML configuration for a physical host interface',
    opts: [],
    async handler(ctl, opts) {
      const iface = await lookupInterface(ctl, req(ctl, opts, 'interface'));
      const r = await editCycle(ctl, {
        getXml: () => iface.getXMLDesc(InterfaceXMLFlags.VIR_INTERFACE_XML_INACTIVE),
        define: (doc) => ctl.c.interfaceDefineXML(doc, 0),
        notChanged: () => true,
      });
      if (r.done === 'failed') return false;
      if (r.done === 'unchanged') ctl.printExtra(`Interface ${iface.getName()} XML configuration not changed.\n`);
      else ctl.printExtra(`Interface ${nameOrNull(r.value?.getName())} XML configuration edited.\n`);
      return true;
    },
  },
  {
    name: 'snapshot-edit',
    group: 'snapshot',
    help: 'edit XML for a snapshot',
    opts: [],
    async handler(ctl, opts) {
      const renameOk = flag(opts, 'rename');
      const cloneOk = flag(opts, 'clone');
      exclusive(ctl, opts, 'rename', 'clone');
      let defineFlags: number = SnapCreate.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
      if (flag(opts, 'current') && opts.has('snapshotname')) defineFlags |= SnapCreate.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const snap = await lookupSnapshot(ctl, opts, dom);
      const name = snap.getName();
      let original = '';
      const r = await editCycle(ctl, {
        getXml: async () => (original = await snap.getXMLDesc(SnapXml.VIR_DOMAIN_SNAPSHOT_XML_SECURE)),
        define: (doc) => {
          if (original.includes('<state>disk-snapshot</state>')) defineFlags |= SnapCreate.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
          return dom.snapshotCreateXML(doc, defineFlags);
        },
        // Redefining as current happens even from an unchanged document.
        notChanged: () => !(defineFlags & SnapCreate.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT),
      });
      if (r.done === 'unchanged') {
        ctl.printExtra(`Snapshot ${name} XML configuration not changed.\n`);
        return true;
      }
      if (r.done === 'failed' || r.value === undefined) return ctl.fail(`Failed to update ${name}`);
      const editedName = r.value.getName();
      if (editedName === name) ctl.printExtra(`Snapshot ${name} edited.\n`);
      else if (cloneOk) ctl.printExtra(`Snapshot ${name} cloned to ${editedName}.\n`);
      else {
        try {
          await (renameOk ? snap : r.value).delete(SnapDelete.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
        } catch (e) {
          if (e instanceof VirError) ctl.error(e.message);
          ctl.error(`Failed to clean up ${renameOk ? name : editedName}`);
          return ctl.fail(`Failed to update ${name}`);
        }
        if (!renameOk) {
          ctl.error(`Must use --rename or --clone to change ${name} to ${editedName}`);
          return ctl.fail(`Failed to update ${name}`);
        }
      }
      return true;
    },
  },
  {
    name: 'checkpoint-edit',
    group: 'checkpoint',
    help: 'edit XML for a checkpoint',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const cpName = str(ctl, opts, 'checkpointname');
      if (cpName === null) return ctl.fail('--checkpointname is required');
      const cp = await dom.checkpointLookupByName(cpName);
      const name = cp.getName();
      const r = await editCycle(ctl, {
        getXml: () => cp.getXMLDesc(CpXml.VIR_DOMAIN_CHECKPOINT_XML_SECURE),
        define: (doc) => dom.checkpointCreateXML(doc, CpCreate.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE),
        notChanged: () => true,
      });
      if (r.done === 'unchanged') {
        ctl.printExtra(`Checkpoint ${name} XML configuration not changed.\n`);
        return true;
      }
      if (r.done === 'failed' || r.value === undefined) return ctl.fail(`Failed to update ${name}`);
      const editedName = r.value.getName();
      if (editedName === name) {
        ctl.printExtra(`Checkpoint ${name} edited.\n`);
        return true;
      }
      try {
        await r.value.delete(CpDelete.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY);
      } catch (e) {
        if (e instanceof VirError) ctl.error(e.message);
        ctl.error(`Failed to clean up ${editedName}`);
        return ctl.fail(`Failed to update ${name}`);
      }
      ctl.error(`Cannot rename checkpoint ${name} to ${editedName}`);
      return ctl.fail(`Failed to update ${name}`);
    },
  },
];
