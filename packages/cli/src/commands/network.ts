/** Virtual network commands (virsh-network.c): net-list, net-info, lifecycle, XML, autostart, update, DHCP leases. */
import {
  ConnectListAllNetworksFlags as F,
  IPAddrType,
  NetworkCreateFlags,
  NetworkDefineFlags,
  NetworkUpdateCommand,
  NetworkUpdateFlags,
  NetworkUpdateSection,
  NetworkXMLFlags,
  type Network,
  type Wide,
} from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { isVirError } from '../errors';
import { exclusive, flag, req, str } from '../opt';
import { printTable } from '../table';
import { objectEventCommand } from './object-event';
import { readXmlFile } from './shared-options';
import { printXml, XPATH_OPTS } from '../xml-dump';

const NETWORK_OPT: OptDef = { name: 'network', type: 'string', required: true, help: 'network name or uuid' };
const FILE_OPT: OptDef = { name: 'file', type: 'string', required: true, help: 'file containing an XML network description' };
const VALIDATE_OPT: OptDef = { name: 'validate', type: 'bool', help: 'validate the XML against the schema' };

/** A network text is tried as a UUID only when it has a UUID's length (virshCommandOptNetworkBy). */
const UUID_LENGTH = 36;

/** The network named by `text`, by UUID and/or name as the command allows; else `failed to get network`. */
export async function lookupNetwork(
  ctl: Ctl,
  text: string,
  by: { uuid: boolean; name: boolean } = { uuid: true, name: true },
): Promise<Network> {
  let last: unknown = null;
  const tryIt = async (fn: () => Promise<Network>): Promise<Network | null> => {
    try {
      return await fn();
    } catch (e) {
      if (!isVirError(e)) throw e;
      last = e;
      return null;
    }
  };
  let net: Network | null = null;
  if (by.uuid && text.length === UUID_LENGTH) net = await tryIt(() => ctl.c.networkLookupByUUIDString(text));
  if (!net && by.name) net = await tryIt(() => ctl.c.networkLookupByName(text));
  if (net) return net;
  ctl.error(`failed to get network '${text}'`);
  // No lookup ran (a name where only a UUID will do): no libvirt error follows.
  throw last ?? new CommandFailed();
}

/** virsh's vshCommandOptInt: a signed int, or null when absent. */
function int(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  if (!/^[+-]?\d+$/.test(v) || Number(v) < -0x80000000 || Number(v) > 0x7fffffff) {
    ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  }
  return Number(v);
}

/** A command that finds the network, runs one call, and prints virsh's success or failure line. */
function netAction(name: string, help: string, desc: string, done: string, call: (n: Network) => Promise<void>): CmdDef {
  return {
    name,
    group: 'network',
    help,
    desc,
    opts: [NETWORK_OPT],
    async handler(ctl, opts) {
      const text = req(ctl, opts, 'network');
      const net = await lookupNetwork(ctl, text);
      await ctl.attempt(`Failed to ${name.slice(4)} network ${text}`, () => call(net));
      ctl.printExtra(`Network ${text} ${done}\n`);
      return true;
    },
  };
}

/** net-create and net-define: read the file, call with flags only when --validate asks. */
function fromFile(name: string, help: string, desc: string, verb: 'create' | 'define'): CmdDef {
  return {
    name,
    group: 'network',
    help,
    desc,
    opts: [FILE_OPT, VALIDATE_OPT],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const validate = flag(opts, 'validate');
      const net = await ctl.attempt(`Failed to ${verb} network from ${file}`, () => {
        if (verb === 'create')
          return validate ? ctl.c.networkCreateXMLFlags(xml, NetworkCreateFlags.VIR_NETWORK_CREATE_VALIDATE) : ctl.c.networkCreateXML(xml);
        return validate ? ctl.c.networkDefineXMLFlags(xml, NetworkDefineFlags.VIR_NETWORK_DEFINE_VALIDATE) : ctl.c.networkDefineXML(xml);
      });
      ctl.printExtra(`Network ${net.getName()} ${verb === 'create' ? 'created' : 'defined'} from ${file}\n`);
      return true;
    },
  };
}

/** virshNetworkSorter: by name, case-insensitively. */
function sortByName(nets: Network[]): Network[] {
  const key = (n: Network) => n.getName().toLowerCase();
  return [...nets].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const LIST_FILTERS: Array<[string, F]> = [
  ['persistent', F.VIR_CONNECT_LIST_NETWORKS_PERSISTENT],
  ['transient', F.VIR_CONNECT_LIST_NETWORKS_TRANSIENT],
  ['autostart', F.VIR_CONNECT_LIST_NETWORKS_AUTOSTART],
  ['no-autostart', F.VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART],
];

const netList: CmdDef = {
  name: 'net-list',
  group: 'network',
  help: 'list networks',
  desc: 'Returns list of networks.',
  opts: [
    { name: 'inactive', type: 'bool', help: 'list inactive networks' },
    { name: 'all', type: 'bool', help: 'list inactive & active networks' },
    { name: 'persistent', type: 'bool', help: 'list persistent networks' },
    { name: 'transient', type: 'bool', help: 'list transient networks' },
    { name: 'autostart', type: 'bool', help: 'list networks with autostart enabled' },
    { name: 'no-autostart', type: 'bool', help: 'list networks with autostart disabled' },
    { name: 'uuid', type: 'bool', help: "list uuid's only" },
    { name: 'name', type: 'bool', help: 'list network names only' },
    { name: 'table', type: 'bool', help: 'list table (default)' },
  ],
  async handler(ctl, opts) {
    let flags: number = F.VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    if (flag(opts, 'inactive')) flags = F.VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (flag(opts, 'all')) flags = F.VIR_CONNECT_LIST_NETWORKS_ACTIVE | F.VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    for (const [name, bit] of LIST_FILTERS) if (flag(opts, name)) flags |= bit;
    const byName = flag(opts, 'name');
    const byUuid = flag(opts, 'uuid');
    if (Number(flag(opts, 'table')) + Number(byName) + Number(byUuid) > 1)
      ctl.fail('Only one argument from --table, --name and --uuid may be specified.');
    const nets = sortByName(await ctl.attempt('Failed to list networks', () => ctl.c.listAllNetworks(flags)));
    if (byUuid || byName) {
      for (const n of nets) ctl.print(`${byUuid ? n.getUUIDString() : n.getName()}\n`);
      return true;
    }
    const rows: string[][] = [];
    for (const n of nets) {
      const autostart = await n.getAutostart().then(
        (a) => (a ? 'yes' : 'no'),
        () => 'no autostart',
      );
      rows.push([n.getName(), (await n.isActive()) ? 'active' : 'inactive', autostart, (await n.isPersistent()) ? 'yes' : 'no']);
    }
    printTable(ctl, ['Name', 'State', 'Autostart', 'Persistent'], rows);
    return true;
  },
};

const netInfo: CmdDef = {
  name: 'net-info',
  group: 'network',
  help: 'network information',
  desc: 'Returns basic information about the network',
  opts: [NETWORK_OPT],
  async handler(ctl, opts) {
    const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
    const row = (k: string, v: string) => ctl.print(`${k.padEnd(15)} ${v}\n`);
    const yn = (b: boolean) => (b ? 'yes' : 'no');
    const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);
    row('Name:', net.getName());
    row('UUID:', net.getUUIDString());
    const active = await orNull(net.isActive());
    if (active !== null) row('Active:', yn(active));
    const persistent = await orNull(net.isPersistent());
    row('Persistent:', persistent === null ? 'unknown' : yn(persistent));
    const autostart = await orNull(net.getAutostart());
    row('Autostart:', autostart === null ? 'no autostart' : yn(autostart));
    const bridge = await orNull(net.getBridgeName());
    if (bridge !== null) row('Bridge:', bridge);
    return true;
  },
};

const UPDATE_COMMANDS = ['none', 'modify', 'delete', 'add-last', 'add-first'];
const UPDATE_SECTIONS = [
  'none',
  'bridge',
  'domain',
  'ip',
  'ip-dhcp-host',
  'ip-dhcp-range',
  'forward',
  'forward-interface',
  'forward-pf',
  'portgroup',
  'dns-host',
  'dns-txt',
  'dns-srv',
];

/** The line net-update prints after a successful update (no newline, as virsh). */
async function updatedWhat(net: Network, config: boolean, live: boolean): Promise<string> {
  const n = net.getName();
  if (config) return live ? `Updated network ${n} persistent config and live state` : `Updated network ${n} persistent config`;
  if (live || (await net.isActive())) return `Updated network ${n} live state`;
  return `Updated network ${n} persistent config`;
}

const netUpdate: CmdDef = {
  name: 'net-update',
  group: 'network',
  help: "update parts of an existing network's configuration",
  desc: '',
  opts: [
    NETWORK_OPT,
    { name: 'command', type: 'string', required: true, help: 'type of update (add-first, add-last (add), delete, or modify)' },
    { name: 'section', type: 'string', required: true, help: 'which section of network configuration to update' },
    {
      name: 'xml',
      type: 'string',
      required: true,
      help: "name of file containing xml (or, if it starts with '<', the complete xml element itself) to add/modify, or to be matched for search",
    },
    { name: 'parent-index', type: 'int', help: 'which parent object to search through' },
    { name: 'config', type: 'bool', help: 'affect next network startup' },
    { name: 'live', type: 'bool', help: 'affect running network' },
    { name: 'current', type: 'bool', help: 'affect current state of network' },
  ],
  async handler(ctl, opts) {
    exclusive(ctl, opts, 'current', 'live');
    exclusive(ctl, opts, 'current', 'config');
    const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
    const commandText = req(ctl, opts, 'command');
    const command = commandText === 'add' ? NetworkUpdateCommand.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST : UPDATE_COMMANDS.indexOf(commandText);
    if (command <= 0) ctl.fail(`unrecognized command name '${commandText}'`);
    const sectionText = req(ctl, opts, 'section');
    const section = UPDATE_SECTIONS.indexOf(sectionText) as NetworkUpdateSection | -1;
    if (section <= 0) ctl.fail(`unrecognized section name '${sectionText}'`);
    const parentIndex = int(ctl, opts, 'parent-index') ?? -1;
    const xmlArg = req(ctl, opts, 'xml');
    const xml = xmlArg.startsWith('<') ? xmlArg : readXmlFile(xmlArg);
    const config = flag(opts, 'config');
    const live = flag(opts, 'live');
    let flags: number = NetworkUpdateFlags.VIR_NETWORK_UPDATE_AFFECT_CURRENT;
    if (config) flags |= NetworkUpdateFlags.VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    if (live) flags |= NetworkUpdateFlags.VIR_NETWORK_UPDATE_AFFECT_LIVE;
    await ctl.attempt(`Failed to update network ${net.getName()}`, () => net.update(command, section, parentIndex, xml, flags));
    ctl.printExtra(await updatedWhat(net, config, live));
    return true;
  },
};

/** g_date_time_format(local, "%Y-%m-%d %H:%M:%S") of a lease's expiry. */
function expiryText(seconds: Wide): string {
  const d = new Date(Number(seconds) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

const netDhcpLeases: CmdDef = {
  name: 'net-dhcp-leases',
  group: 'network',
  help: 'print lease info for a given network',
  desc: 'Print lease info for a given network',
  opts: [NETWORK_OPT, { name: 'mac', type: 'string', help: 'MAC address' }],
  async handler(ctl, opts) {
    const mac = str(ctl, opts, 'mac');
    const text = req(ctl, opts, 'network');
    const net = await lookupNetwork(ctl, text);
    const leases = await ctl.attempt(`Failed to get leases info for ${text}`, () => net.getDHCPLeases(mac, 0));
    const key = (m: string | null) => (m ?? '').toLowerCase();
    leases.sort((a, b) => (key(a.mac) < key(b.mac) ? -1 : key(a.mac) > key(b.mac) ? 1 : 0));
    const type = (t: number) => (t === IPAddrType.VIR_IP_ADDR_TYPE_IPV4 ? 'ipv4' : t === IPAddrType.VIR_IP_ADDR_TYPE_IPV6 ? 'ipv6' : '-');
    printTable(
      ctl,
      ['Expiry Time', 'MAC address', 'Protocol', 'IP address', 'Hostname', 'Client ID or DUID'],
      leases.map((l) => [
        expiryText(l.expirytime),
        l.mac ?? '-',
        type(l.type),
        `${l.ipaddr}/${l.prefix}`,
        l.hostname ?? '-',
        l.clientid ?? '-',
      ]),
    );
    return true;
  },
};

const netEvent = objectEventCommand<Network>({
  name: 'net-event',
  group: 'network',
  noun: 'network',
  filter: { name: 'network', type: 'string', help: 'filter by network name or uuid' },
  events: ['lifecycle'],
  lifecycle: ['Defined', 'Undefined', 'Started', 'Stopped'],
  lookup: (ctl, text) => lookupNetwork(ctl, text),
  waitOnFailure: true,
  register: (ctl, only, eventId, cb) => ctl.c.networkEventRegisterAny<Network>(only, eventId, (_c, n, ev) => cb(n, ev)),
  deregister: (ctl, id) => ctl.c.networkEventDeregisterAny(id),
  label: (n) => n.getName(),
});

export const networkCommands: CmdDef[] = [
  {
    name: 'net-autostart',
    group: 'network',
    help: 'autostart a network',
    desc: 'Configure a network to be automatically started at boot.',
    opts: [NETWORK_OPT, { name: 'disable', type: 'bool', help: 'disable autostarting' }],
    async handler(ctl, opts) {
      const text = req(ctl, opts, 'network');
      const net = await lookupNetwork(ctl, text);
      const on = !flag(opts, 'disable');
      await ctl.attempt(on ? `failed to mark network ${text} as autostarted` : `failed to unmark network ${text} as autostarted`, () =>
        net.setAutostart(on),
      );
      ctl.printExtra(on ? `Network ${text} marked as autostarted\n` : `Network ${text} unmarked as autostarted\n`);
      return true;
    },
  },
  fromFile('net-create', 'create a network from an XML file', 'Create a network.', 'create'),
  fromFile(
    'net-define',
    'define an inactive persistent virtual network or modify an existing persistent one from an XML file',
    'Define or modify a persistent virtual network.',
    'define',
  ),
  netAction('net-destroy', 'destroy (stop) a network', 'Forcefully stop a given network.', 'destroyed', (n) => n.destroy()),
  netDhcpLeases,
  netEvent,
  {
    name: 'net-dumpxml',
    group: 'network',
    help: 'network information in XML',
    desc: 'Output the network information as an XML dump to stdout.',
    opts: [NETWORK_OPT, { name: 'inactive', type: 'bool', help: 'show inactive defined XML' }, ...XPATH_OPTS],
    async handler(ctl, opts) {
      const net = await lookupNetwork(ctl, req(ctl, opts, 'network'));
      return printXml(ctl, opts, await net.getXMLDesc(flag(opts, 'inactive') ? NetworkXMLFlags.VIR_NETWORK_XML_INACTIVE : 0));
    },
  },
  netInfo,
  netList,
  {
    name: 'net-name',
    group: 'network',
    help: 'convert a network UUID to network name',
    desc: '',
    opts: [{ name: 'network', type: 'string', required: true, help: 'network uuid' }],
    async handler(ctl, opts) {
      const net = await lookupNetwork(ctl, req(ctl, opts, 'network'), { uuid: true, name: false });
      ctl.print(`${net.getName()}\n`);
      return true;
    },
  },
  netAction('net-start', 'start a (previously defined) inactive network', 'Start a network.', 'started', (n) => n.create()),
  netAction(
    'net-undefine',
    'undefine a persistent network',
    'Undefine the configuration for a persistent network.',
    'has been undefined',
    (n) => n.undefine(),
  ),
  netUpdate,
  {
    name: 'net-uuid',
    group: 'network',
    help: 'convert a network name to network UUID',
    desc: '',
    opts: [{ name: 'network', type: 'string', required: true, help: 'network name' }],
    async handler(ctl, opts) {
      const net = await lookupNetwork(ctl, req(ctl, opts, 'network'), { uuid: false, name: true });
      ctl.print(`${net.getUUIDString()}\n`);
      return true;
    },
  },
];
