/** Network port commands (virsh-network.c): net-port-list, net-port-create, net-port-dumpxml, net-port-delete. */
import { NetworkPortCreateFlags, type NetworkPort } from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import { isVirError } from '../errors';
import { flag, req } from '../opt';
import { printTable } from '../table';
import type { CmdDef, OptDef, Opts } from '../types';
import { printXml, XPATH_OPTS } from '../xml-dump';
import { lookupNetwork } from './network';
import { readXmlFile } from './shared-options';

const NETWORK_OPT: OptDef = { name: 'network', type: 'string', required: true, help: 'network name or uuid' };
const PORT_OPT: OptDef = { name: 'port', type: 'string', required: true, help: 'port UUID' };

/**
 * virshCommandOptNetwork + virshCommandOptNetworkPort as net-port-dumpxml and net-port-delete use
 * them: virsh 9.0 starts those commands with ret = true, so a network or port that cannot be found
 * prints its `failed to get …` line and the command still succeeds, without the libvirt error.
 */
async function portOrNull(ctl: Ctl, opts: Opts): Promise<NetworkPort | null> {
  try {
    const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
    const text = req(ctl, opts, 'port');
    try {
      return await net.portLookupByUUIDString(text);
    } catch (e) {
      if (!isVirError(e)) throw e;
      ctl.error(`failed to get network port '${text}'`);
      return null;
    }
  } catch (e) {
    if (isVirError(e) || e instanceof CommandFailed) return null;
    throw e;
  }
}

const netPortList: CmdDef = {
  name: 'net-port-list',
  group: 'network',
  help: 'list network ports',
  desc: 'Returns list of network ports.',
  opts: [
    NETWORK_OPT,
    { name: 'uuid', type: 'bool', help: "list uuid's only" },
    { name: 'table', type: 'bool', help: 'list table (default)' },
  ],
  async handler(ctl, opts) {
    const byUuid = flag(opts, 'uuid');
    if (flag(opts, 'table') && byUuid) ctl.fail('Only one argument from --table and --uuid may be specified.');
    const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
    // virshNetworkPortSorter: by the UUID's bytes, which is the order of its lower-case text.
    const uuids = (await net.listAllPorts()).map((p) => p.getUUIDString()).sort();
    if (byUuid) for (const u of uuids) ctl.print(`${u}\n`);
    else
      printTable(
        ctl,
        ['UUID'],
        uuids.map((u) => [u]),
      );
    return true;
  },
};

const netPortCreate: CmdDef = {
  name: 'net-port-create',
  group: 'network',
  help: 'create a network port from an XML file',
  desc: 'Create a network port.',
  opts: [
    NETWORK_OPT,
    { name: 'file', type: 'string', required: true, help: 'file containing an XML network port description' },
    { name: 'validate', type: 'bool', help: 'validate the XML against the schema' },
  ],
  async handler(ctl, opts) {
    const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
    const file = req(ctl, opts, 'file');
    const xml = readXmlFile(file);
    const flags = flag(opts, 'validate') ? NetworkPortCreateFlags.VIR_NETWORK_PORT_CREATE_VALIDATE : 0;
    // virsh's own wording ("network", not "network port").
    const port = await ctl.attempt(`Failed to create network from ${file}`, () => net.portCreateXML(xml, flags));
    ctl.printExtra(`Network port ${port.getUUIDString()} created from ${file}\n`);
    return true;
  },
};

const netPortDumpxml: CmdDef = {
  name: 'net-port-dumpxml',
  group: 'network',
  help: 'network port information in XML',
  desc: 'Output the network port information as an XML dump to stdout.',
  opts: [NETWORK_OPT, PORT_OPT, ...XPATH_OPTS],
  async handler(ctl, opts) {
    const port = await portOrNull(ctl, opts);
    if (!port) return true;
    return printXml(ctl, opts, await port.getXMLDesc());
  },
};

const netPortDelete: CmdDef = {
  name: 'net-port-delete',
  group: 'network',
  help: 'delete the specified network port',
  desc: 'Delete the specified network port.',
  opts: [NETWORK_OPT, PORT_OPT],
  async handler(ctl, opts) {
    const port = await portOrNull(ctl, opts);
    if (!port) return true;
    const uuid = port.getUUIDString();
    try {
      await port.delete();
    } catch (e) {
      if (!isVirError(e)) throw e;
      ctl.error(`Failed to delete network port ${uuid}`);
      return true;
    }
    ctl.printExtra(`Network port ${uuid} deleted\n`);
    return true;
  },
};

export const networkPortCommands: CmdDef[] = [netPortCreate, netPortDelete, netPortDumpxml, netPortList];
