/** Node device commands (virsh-nodedev.c): nodedev-list, -dumpxml, -info, -create, -destroy, -define, -undefine, -start. */
import {
  ConnectListAllNodeDeviceFlags as L,
  NodeDeviceCreateXMLFlags,
  NodeDeviceDefineXMLFlags,
  VirError,
  isNoSupport,
  type NodeDevice,
} from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { isVirError } from '../errors';
import { flag, req, str } from '../opt';
import { renderTree } from '../format';
import { objectEventCommand } from './object-event';
import { readXmlFile } from './shared-options';
import { printXml, XPATH_OPTS } from '../xml-dump';

const DEVICE_OPT: OptDef = { name: 'device', type: 'string', required: true, help: "device name or wwn pair in 'wwnn,wwpn' format" };
const FILE_OPT: OptDef = { name: 'file', type: 'string', required: true, help: 'file containing an XML description of the device' };
const VALIDATE_OPT: OptDef = { name: 'validate', type: 'bool', help: 'validate the XML against the schema' };

/** virNodeDevCapType names and the listing filter each selects. */
const CAP_FILTERS: Readonly<Record<string, number>> = {
  system: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM,
  pci: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV,
  usb_device: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV,
  usb: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE,
  net: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET,
  scsi_host: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST,
  scsi_target: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET,
  scsi: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI,
  storage: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE,
  fc_host: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST,
  vports: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS,
  scsi_generic: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC,
  drm: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM,
  mdev_types: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES,
  mdev: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV,
  ccw: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV,
  css: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV,
  vdpa: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA,
  ap_card: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD,
  ap_queue: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE,
  ap_matrix: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX,
  vpd: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD,
};

/** virValidateWWN: an optional 0x and sixteen hex digits. */
function checkWWN(wwn: string): void {
  if (/^(0x)?[0-9a-fA-F]{16}$/.test(wwn)) return;
  throw VirError.internal(`Malformed wwn: ${wwn}`);
}

/** vshFindNodeDevice: a name, or a 'wwnn,wwpn' pair naming a SCSI host. */
async function findDevice(ctl: Ctl, value: string, byWWN = true): Promise<NodeDevice> {
  let last: unknown = null;
  try {
    if (byWWN && value.includes(',')) {
      const parts = value.split(',');
      if (parts.length !== 2) ctl.fail(`Malformed device value '${value}'`);
      parts.forEach(checkWWN);
      return await ctl.c.nodeDeviceLookupSCSIHostByWWN(parts[0], parts[1]);
    }
    return await ctl.c.nodeDeviceLookupByName(value);
  } catch (e) {
    if (!isVirError(e) || e.message.startsWith('internal error: Malformed wwn')) throw e;
    last = e;
  }
  ctl.error(`Could not find matching device '${value}'`);
  throw last ?? new CommandFailed();
}

/** The filter flags of nodedev-list's options, after virsh's checks. */
function listFlags(ctl: Ctl, opts: Opts): { flags: number; caps: string[] } {
  const tree = flag(opts, 'tree');
  const inactive = flag(opts, 'inactive');
  const all = flag(opts, 'all');
  // vshCommandOptStringQuiet: an empty --cap is accepted (and lists everything)
  const capText = str(ctl, opts, 'cap', true);
  if (inactive && all) ctl.fail('Option --all is incompatible with --inactive');
  if (tree && (capText !== null || inactive)) ctl.fail('Option --tree is incompatible with --cap and --inactive');
  const caps = capText ? capText.split(',') : [];
  let flags = 0;
  for (const cap of caps) {
    const bit = CAP_FILTERS[cap];
    if (bit === undefined) ctl.fail('Invalid capability type');
    flags |= bit;
  }
  if (inactive || all) flags |= L.VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE;
  if (!inactive) flags = (flags | L.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE) >>> 0;
  return { flags, caps };
}

/** virshNodeDeviceListCollect: the listing call, else the old count-and-name calls filtered by capability. */
async function collect(ctl: Ctl, flags: number, caps: string[]): Promise<string[]> {
  let names: string[];
  try {
    names = (await ctl.c.listAllNodeDevices(flags)).map((d) => d.getName());
  } catch (e) {
    if (!isNoSupport(e)) {
      ctl.error('Failed to list node devices');
      throw e;
    }
    const n = await ctl.attempt('Failed to count node devices', () => ctl.c.numOfDevices(null));
    names = await ctl.attempt('Failed to list node devices', () => ctl.c.listDevices(null, n));
    if (caps.length) {
      const kept: string[] = [];
      for (const name of names) {
        const dev = await ctl.c.nodeDeviceLookupByName(name);
        const n = await ctl.attempt('Failed to get capability numbers of the device', () => dev.numOfCaps());
        const have = await ctl.attempt('Failed to get capability names of the device', () => dev.listCaps(n));
        if (have.some((c) => caps.includes(c))) kept.push(name);
      }
      names = kept;
    }
  }
  // virshNodeDeviceSorter: case-insensitive by name
  return names.sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

async function printTreeOf(ctl: Ctl, names: string[]): Promise<void> {
  const parents: (string | null)[] = [];
  for (const name of names) parents.push(name === 'computer' ? null : await (await ctl.c.nodeDeviceLookupByName(name)).getParent());
  // A device whose parent is not listed belongs to no printed tree (vshTreePrint starts at roots only).
  const parentOf = parents.map((p) => (p === null ? -1 : names.includes(p) ? names.indexOf(p) : -2));
  ctl.print(renderTree(names, parentOf));
}

/** A boolean query that virsh prints as "yes" unless it answered 0 (a failure counts as yes). */
async function yesUnlessFalse(q: () => Promise<boolean>): Promise<string> {
  try {
    return (await q()) ? 'yes' : 'no';
  } catch (e) {
    if (!isVirError(e)) throw e;
    return 'yes';
  }
}

const nodedevEvent = objectEventCommand<NodeDevice>({
  name: 'nodedev-event',
  group: 'nodedev',
  noun: 'node device',
  filter: { name: 'device', type: 'string', help: 'filter by node device name' },
  events: ['lifecycle', 'update'],
  lifecycle: ['Created', 'Deleted', 'Defined', 'Undefined'],
  lookup: (ctl, text) => findDevice(ctl, text, false),
  waitOnFailure: false,
  register: (ctl, only, eventId, cb) => ctl.c.nodeDeviceEventRegisterAny<NodeDevice>(only, eventId, (_c, d, ev) => cb(d, ev)),
  deregister: (ctl, id) => ctl.c.nodeDeviceEventDeregisterAny(id),
  label: (d) => d.getName(),
});

export const nodedevCommands: CmdDef[] = [
  nodedevEvent,
  {
    name: 'nodedev-list',
    group: 'nodedev',
    help: 'enumerate devices on this host',
    desc: '',
    opts: [
      { name: 'tree', type: 'bool', help: 'list devices in a tree' },
      { name: 'cap', type: 'string', help: 'capability names, separated by comma' },
      { name: 'inactive', type: 'bool', help: 'list inactive devices' },
      { name: 'all', type: 'bool', help: 'list inactive & active devices' },
    ],
    async handler(ctl, opts) {
      const { flags, caps } = listFlags(ctl, opts);
      const names = await collect(ctl, flags, caps);
      if (flag(opts, 'tree')) await printTreeOf(ctl, names);
      else for (const n of names) ctl.print(`${n}\n`);
      return true;
    },
  },
  {
    name: 'nodedev-dumpxml',
    group: 'nodedev',
    help: 'node device details in XML',
    desc: 'Output the node device details as an XML dump to stdout.',
    opts: [DEVICE_OPT, ...XPATH_OPTS],
    async handler(ctl, opts) {
      const dev = await findDevice(ctl, req(ctl, opts, 'device'));
      return printXml(ctl, opts, await dev.getXMLDesc());
    },
  },
  {
    name: 'nodedev-info',
    group: 'nodedev',
    help: 'node device information',
    desc: 'Returns basic information about the node device',
    opts: [DEVICE_OPT],
    async handler(ctl, opts) {
      const dev = await findDevice(ctl, req(ctl, opts, 'device'));
      const row = (label: string, value: string) => ctl.print(`${label.padEnd(15)} ${value}\n`);
      row('Name:', dev.getName());
      row('Parent:', (await dev.getParent()) ?? '');
      row('Active:', await yesUnlessFalse(() => dev.isActive()));
      row('Persistent:', await yesUnlessFalse(() => dev.isPersistent()));
      let autostart: string;
      try {
        autostart = (await dev.getAutostart()) ? 'yes' : 'no';
      } catch (e) {
        if (!isVirError(e)) throw e;
        autostart = 'no autostart';
      }
      row('Autostart:', autostart);
      return true;
    },
  },
  {
    name: 'nodedev-create',
    group: 'nodedev',
    help: 'create a device defined by an XML file on the node',
    desc: 'Create a device on the node.  Note that this command creates devices on the physical host that can then be assigned to a virtual machine.',
    opts: [FILE_OPT, VALIDATE_OPT],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const flags = flag(opts, 'validate') ? NodeDeviceCreateXMLFlags.VIR_NODE_DEVICE_CREATE_XML_VALIDATE : 0;
      const dev = await ctl.attempt(`Failed to create node device from ${file}`, () => ctl.c.nodeDeviceCreateXML(xml, flags));
      ctl.printExtra(`Node device ${dev.getName()} created from ${file}\n`);
      return true;
    },
  },
  {
    name: 'nodedev-destroy',
    group: 'nodedev',
    help: 'destroy (stop) a device on the node',
    desc: 'Destroy a device on the node.  Note that this command destroys devices on the physical host',
    opts: [DEVICE_OPT],
    async handler(ctl, opts) {
      const value = req(ctl, opts, 'device');
      const dev = await findDevice(ctl, value);
      await ctl.attempt(`Failed to destroy node device '${value}'`, () => dev.destroy());
      ctl.printExtra(`Destroyed node device '${value}'\n`);
      return true;
    },
  },
  {
    name: 'nodedev-define',
    group: 'nodedev',
    help: 'Define a device by an xml file on a node',
    desc: 'Defines a persistent device on the node that can be assigned to a domain. The device must be started before it can be assigned to a domain.',
    opts: [FILE_OPT, VALIDATE_OPT],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const flags = flag(opts, 'validate') ? NodeDeviceDefineXMLFlags.VIR_NODE_DEVICE_DEFINE_XML_VALIDATE : 0;
      const dev = await ctl.attempt(`Failed to define node device from '${file}'`, () => ctl.c.nodeDeviceDefineXML(xml, flags));
      ctl.printExtra(`Node device '${dev.getName()}' defined from '${file}'\n`);
      return true;
    },
  },
  {
    name: 'nodedev-undefine',
    group: 'nodedev',
    help: 'Undefine an inactive node device',
    desc: 'Undefines the configuration for an inactive node device',
    opts: [DEVICE_OPT],
    async handler(ctl, opts) {
      const value = req(ctl, opts, 'device');
      const dev = await findDevice(ctl, value);
      await ctl.attempt(`Failed to undefine node device '${value}'`, () => dev.undefine());
      ctl.printExtra(`Undefined node device '${value}'\n`);
      return true;
    },
  },
  {
    name: 'nodedev-start',
    group: 'nodedev',
    help: 'Start an inactive node device',
    desc: 'Starts an inactive node device that was previously defined',
    opts: [{ name: 'device', type: 'string', required: true, help: 'device name' }],
    async handler(ctl, opts) {
      const value = req(ctl, opts, 'device');
      const dev = await findDevice(ctl, value, false);
      await ctl.attempt(`Failed to start device ${value}`, () => dev.create());
      ctl.printExtra(`Device ${value} started\n`);
      return true;
    },
  },
];
