/** Host interface commands (virsh-interface.c): iface-list, lookups, XML, define/undefine, start/destroy, transactions. */
import { ConnectListAllInterfacesFlags as F, InterfaceDefineFlags, InterfaceXMLFlags, type Interface } from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import type { CmdDef, OptDef } from '../types';
import { isVirError } from '../errors';
import { exclusive, flag, req } from '../opt';
import { printTable } from '../table';
import { readXmlFile, withNewline } from './shared-options';

const IFACE_OPT: OptDef = { name: 'interface', type: 'string', required: true, help: 'interface name or MAC address' };

/** virMacAddrParse's shape: six hex octets separated by colons. */
const MAC_RE = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

/**
 * virshCommandOptInterfaceBy: a MAC address is looked up only by MAC and anything else only by
 * name, as the command allows; else `failed to get interface`.
 */
export async function lookupInterface(
  ctl: Ctl,
  text: string,
  by: { name: boolean; mac: boolean } = { name: true, mac: true },
): Promise<Interface> {
  const isMac = MAC_RE.test(text);
  let last: unknown = null;
  try {
    if (!isMac && by.name) return await ctl.c.interfaceLookupByName(text);
    if (isMac && by.mac) return await ctl.c.interfaceLookupByMACString(text);
  } catch (e) {
    if (!isVirError(e)) throw e;
    last = e;
  }
  ctl.error(`failed to get interface '${text}'`);
  throw last ?? new CommandFailed();
}

/** virshInterfaceSorter: by name, case-insensitively. */
function sortByName(ifaces: Interface[]): Interface[] {
  const key = (i: Interface) => i.getName().toLowerCase();
  return [...ifaces].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A command on one interface that prints virsh's success or failure line. */
function ifaceAction(name: string, help: string, desc: string, verb: string, done: string, call: (i: Interface) => Promise<void>): CmdDef {
  return {
    name,
    group: 'interface',
    help,
    desc,
    opts: [IFACE_OPT],
    async handler(ctl, opts) {
      const text = req(ctl, opts, 'interface');
      const iface = await lookupInterface(ctl, text);
      await ctl.attempt(`Failed to ${verb} interface ${text}`, () => call(iface));
      ctl.printExtra(`Interface ${text} ${done}\n`);
      // virsh 9.0's iface-destroy reports failure even when the interface went down
      return name !== 'iface-destroy';
    },
  };
}

/** iface-begin/commit/rollback: one connection-wide call. */
function transaction(name: string, help: string, desc: string, verb: string, done: string, call: (ctl: Ctl) => Promise<void>): CmdDef {
  return {
    name,
    group: 'interface',
    help,
    desc,
    opts: [],
    async handler(ctl) {
      await ctl.attempt(`Failed to ${verb} network config change transaction`, () => call(ctl));
      ctl.printExtra(`Network config change transaction ${done}\n`);
      return true;
    },
  };
}

export const interfaceCommands: CmdDef[] = [
  transaction(
    'iface-begin',
    'create a snapshot of current interfaces settings, which can be later committed (iface-commit) or restored (iface-rollback)',
    'Create a restore point for interfaces settings',
    'begin',
    'started',
    (ctl) => ctl.c.interfaceChangeBegin(0),
  ),
  transaction(
    'iface-commit',
    'commit changes made since iface-begin and free restore point',
    'commit changes and free restore point',
    'commit',
    'committed',
    (ctl) => ctl.c.interfaceChangeCommit(0),
  ),
  transaction(
    'iface-rollback',
    'rollback to previous saved configuration created via iface-begin',
    'rollback to previous restore point',
    'rollback',
    'rolled back',
    (ctl) => ctl.c.interfaceChangeRollback(0),
  ),
  {
    name: 'iface-define',
    group: 'interface',
    help: 'define an inactive persistent physical host interface or modify an existing persistent one from an XML file',
    desc: 'Define or modify a persistent physical host interface.',
    opts: [
      { name: 'file', type: 'string', required: true, help: 'file containing an XML interface description' },
      { name: 'validate', type: 'bool', help: 'validate the XML against the schema' },
    ],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const flags = flag(opts, 'validate') ? InterfaceDefineFlags.VIR_INTERFACE_DEFINE_VALIDATE : 0;
      const xml = readXmlFile(file);
      const iface = await ctl.attempt(`Failed to define interface from ${file}`, () => ctl.c.interfaceDefineXML(xml, flags));
      ctl.printExtra(`Interface ${iface.getName()} defined from ${file}\n`);
      return true;
    },
  },
  ifaceAction(
    'iface-destroy',
    'destroy a physical host interface (disable it / "if-down")',
    'forcefully stop a physical host interface.',
    'destroy',
    'destroyed',
    (i) => i.destroy(0),
  ),
  {
    name: 'iface-dumpxml',
    group: 'interface',
    help: 'interface information in XML',
    desc: 'Output the physical host interface information as an XML dump to stdout.',
    opts: [IFACE_OPT, { name: 'inactive', type: 'bool', help: 'show inactive defined XML' }],
    async handler(ctl, opts) {
      const flags = flag(opts, 'inactive') ? InterfaceXMLFlags.VIR_INTERFACE_XML_INACTIVE : 0;
      const iface = await lookupInterface(ctl, req(ctl, opts, 'interface'));
      ctl.print(withNewline(await iface.getXMLDesc(flags)));
      return true;
    },
  },
  {
    name: 'iface-list',
    group: 'interface',
    help: 'list physical host interfaces',
    desc: 'Returns list of physical host interfaces.',
    opts: [
      { name: 'inactive', type: 'bool', help: 'list inactive interfaces' },
      { name: 'all', type: 'bool', help: 'list inactive & active interfaces' },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'all', 'inactive');
      let flags: number = F.VIR_CONNECT_LIST_INTERFACES_ACTIVE;
      if (flag(opts, 'inactive')) flags = F.VIR_CONNECT_LIST_INTERFACES_INACTIVE;
      if (flag(opts, 'all')) flags = F.VIR_CONNECT_LIST_INTERFACES_INACTIVE | F.VIR_CONNECT_LIST_INTERFACES_ACTIVE;
      const ifaces = sortByName(await ctl.attempt('Failed to list interfaces', () => ctl.c.listAllInterfaces(flags)));
      const rows: string[][] = [];
      for (const i of ifaces) rows.push([i.getName(), (await i.isActive()) ? 'active' : 'inactive', i.getMACString()]);
      printTable(ctl, ['Name', 'State', 'MAC Address'], rows);
      return true;
    },
  },
  {
    name: 'iface-mac',
    group: 'interface',
    help: 'convert an interface name to interface MAC address',
    desc: '',
    opts: [{ name: 'interface', type: 'string', required: true, help: 'interface name' }],
    async handler(ctl, opts) {
      const iface = await lookupInterface(ctl, req(ctl, opts, 'interface'), { name: true, mac: false });
      ctl.print(`${iface.getMACString()}\n`);
      return true;
    },
  },
  {
    name: 'iface-name',
    group: 'interface',
    help: 'convert an interface MAC address to interface name',
    desc: '',
    opts: [{ name: 'interface', type: 'string', required: true, help: 'interface mac' }],
    async handler(ctl, opts) {
      const iface = await lookupInterface(ctl, req(ctl, opts, 'interface'), { name: false, mac: true });
      ctl.print(`${iface.getName()}\n`);
      return true;
    },
  },
  ifaceAction(
    'iface-start',
    'start a physical host interface (enable it / "if-up")',
    'start a physical host interface.',
    'start',
    'started',
    (i) => i.create(0),
  ),
  ifaceAction(
    'iface-undefine',
    'undefine a physical host interface (remove it from configuration)',
    'undefine an interface.',
    'undefine',
    'undefined',
    (i) => i.undefine(),
  ),
];
