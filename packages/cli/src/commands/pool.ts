/** Storage pool lifecycle commands: define, create, build, start, refresh, destroy, delete, undefine, autostart, dumpxml, uuid, name. */
import {
  StoragePoolBuildFlags as B,
  StoragePoolCreateFlags as C,
  StoragePoolDefineFlags,
  StorageXMLFlags,
  type StoragePool,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { lookupPool, UUID_RE } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import { objectEventCommand } from './object-event';
import { readXmlFile } from './shared-options';
import { printXml, XPATH_OPTS } from '../xml-dump';

const POOL_OPT: OptDef = { name: 'pool', type: 'string', required: true, help: 'pool name or uuid' };
const FILE_OPT: OptDef = { name: 'file', type: 'string', required: true, help: 'file containing an XML pool description' };
const BUILD_OPTS: OptDef[] = [
  { name: 'build', type: 'bool', help: 'build the pool as normal' },
  { name: 'no-overwrite', type: 'bool', help: 'do not overwrite any existing data' },
  { name: 'overwrite', type: 'bool', help: 'overwrite any existing data' },
];

/** pool-create/pool-start/pool-create-as flags from --build, --overwrite, --no-overwrite. */
function createFlags(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'overwrite', 'no-overwrite');
  let flags = 0;
  if (flag(opts, 'build')) flags |= C.VIR_STORAGE_POOL_CREATE_WITH_BUILD;
  if (flag(opts, 'overwrite')) flags |= C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
  if (flag(opts, 'no-overwrite')) flags |= C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
  return flags;
}

/** The options pool-define-as and pool-create-as share, in virsh's order. */
const AS_OPTS: OptDef[] = [
  { name: 'name', type: 'string', required: true, help: 'name of the pool' },
  { name: 'type', type: 'string', required: true, help: 'type of the pool' },
  { name: 'print-xml', type: 'bool', help: "print XML document, but don't define/create" },
  ...(
    [
      ['source-host', 'source-host for underlying storage'],
      ['source-path', 'source path for underlying storage'],
      ['source-dev', 'source device for underlying storage'],
      ['source-name', 'source name for underlying storage'],
      ['target', 'target for underlying storage'],
      ['source-format', 'format for underlying storage'],
      ['auth-type', 'auth type to be used for underlying storage'],
      ['auth-username', 'auth username to be used for underlying storage'],
      ['secret-usage', 'auth secret usage to be used for underlying storage'],
      ['secret-uuid', 'auth secret UUID to be used for underlying storage'],
      ['adapter-name', 'adapter name to be used for underlying storage'],
      ['adapter-wwnn', 'adapter wwnn to be used for underlying storage'],
      ['adapter-wwpn', 'adapter wwpn to be used for underlying storage'],
      ['adapter-parent', 'adapter parent scsi_hostN to be used for underlying vHBA storage'],
      ['adapter-parent-wwnn', 'adapter parent scsi_hostN wwnn to be used for underlying vHBA storage'],
      ['adapter-parent-wwpn', 'adapter parent scsi_hostN wwpn to be used for underlying vHBA storage'],
      ['adapter-parent-fabric-wwn', 'adapter parent scsi_hostN fabric_wwn to be used for underlying vHBA storage'],
      ['source-protocol-ver', 'nfsvers value for NFS pool mount option'],
      ['source-initiator', 'initiator iqn for underlying storage'],
    ] as const
  ).map(([name, help]): OptDef => ({ name, type: 'string', help })),
];

/** The `<adapter>` element of pool-define-as: scsi_host by name, else fc_host by WWNN/WWPN. */
function adapterXml(o: (n: string) => string | null): string | null {
  if (o('adapter-name') !== null) return `<adapter type='scsi_host' name='${o('adapter-name')}'/>`;
  if (o('adapter-wwnn') === null || o('adapter-wwpn') === null) return null;
  let a = "<adapter type='fc_host'";
  if (o('adapter-parent') !== null) a += ` parent='${o('adapter-parent')}'`;
  else if (o('adapter-parent-wwnn') !== null && o('adapter-parent-wwpn') !== null) {
    a += ` parent_wwnn='${o('adapter-parent-wwnn')}' parent_wwpn='${o('adapter-parent-wwpn')}'`;
  } else if (o('adapter-parent-fabric-wwn') !== null) a += ` parent_fabric_wwn='${o('adapter-parent-fabric-wwn')}'`;
  return `${a} wwnn='${o('adapter-wwnn')}' wwpn='${o('adapter-wwpn')}'/>`;
}

/** The pool XML virsh's pool-define-as builds; like virsh, values go in unescaped. */
function buildPoolXml(ctl: Ctl, opts: Opts): { name: string; xml: string } {
  exclusive(ctl, opts, 'secret-usage', 'secret-uuid');
  const o = (n: string): string | null => str(ctl, opts, n);
  const name = req(ctl, opts, 'name');
  const src: string[] = [];
  if (o('source-host') !== null) src.push(`<host name='${o('source-host')}'/>`);
  if (o('source-path') !== null) src.push(`<dir path='${o('source-path')}'/>`);
  if (o('source-dev') !== null) src.push(`<device path='${o('source-dev')}'/>`);
  if (o('source-initiator') !== null) src.push('<initiator>', `  <iqn name='${o('source-initiator')}'/>`, '</initiator>');
  const adapter = adapterXml(o);
  if (adapter) src.push(adapter);
  const secret =
    o('secret-usage') !== null ? `usage='${o('secret-usage')}'` : o('secret-uuid') !== null ? `uuid='${o('secret-uuid')}'` : null;
  if (o('auth-type') !== null && o('auth-username') !== null && secret !== null) {
    src.push(`<auth type='${o('auth-type')}' username='${o('auth-username')}'>`, `  <secret ${secret}/>`, '</auth>');
  }
  if (o('source-format') !== null) src.push(`<format type='${o('source-format')}'/>`);
  if (o('source-name') !== null) src.push(`<name>${o('source-name')}</name>`);
  if (o('source-protocol-ver') !== null) src.push(`<protocol ver='${o('source-protocol-ver')}'/>`);
  const hasSource =
    ['source-host', 'source-path', 'source-dev', 'source-initiator', 'source-format', 'source-name'].some((n) => o(n) !== null) ||
    adapter !== null;
  let xml = `<pool type='${req(ctl, opts, 'type')}'>\n  <name>${name}</name>\n`;
  if (hasSource) xml += `  <source>\n${src.map((l) => `    ${l}\n`).join('')}  </source>\n`;
  if (o('target') !== null) xml += `  <target>\n    <path>${o('target')}</path>\n  </target>\n`;
  xml += '</pool>\n';
  return { name, xml };
}

/** A command that finds the pool, runs one call, and prints virsh's success or failure line. */
function poolAction(
  name: string,
  help: string,
  verb: string,
  call: (p: StoragePool, opts: Opts) => Promise<void>,
  extra: OptDef[] = [],
  failVerb = name.slice(5),
): CmdDef {
  return {
    name,
    group: 'pool',
    help,
    opts: [POOL_OPT, ...extra],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const n = pool.getName();
      await ctl.attempt(`Failed to ${failVerb} pool ${n}`, () => call(pool, opts));
      ctl.printExtra(`Pool ${n} ${verb}\n`);
      return true;
    },
  };
}

const poolEvent = objectEventCommand<StoragePool>({
  name: 'pool-event',
  group: 'pool',
  noun: 'storage pool',
  filter: { name: 'pool', type: 'string', help: 'filter by storage pool name or uuid' },
  events: ['lifecycle', 'refresh'],
  lifecycle: ['Defined', 'Undefined', 'Started', 'Stopped', 'Created', 'Deleted'],
  lookup: (ctl, text) => lookupPool(ctl, text),
  waitOnFailure: true,
  register: (ctl, only, eventId, cb) => ctl.c.storagePoolEventRegisterAny<StoragePool>(only, eventId, (_c, p, ev) => cb(p, ev)),
  deregister: (ctl, id) => ctl.c.storagePoolEventDeregisterAny(id),
  label: (p) => p.getName(),
});

export const poolCommands: CmdDef[] = [
  poolEvent,
  {
    name: 'pool-define',
    group: 'pool',
    help: 'define an inactive persistent storage pool or modify an existing persistent one from an XML file',
    opts: [FILE_OPT, { name: 'validate', type: 'bool', help: 'validate the XML against the schema' }],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const flags = flag(opts, 'validate') ? StoragePoolDefineFlags.VIR_STORAGE_POOL_DEFINE_VALIDATE : 0;
      const pool = await ctl.attempt(`Failed to define pool from ${file}`, () => ctl.c.storagePoolDefineXML(xml, flags));
      ctl.printExtra(`Pool ${pool.getName()} defined from ${file}\n`);
      return true;
    },
  },
  {
    name: 'pool-create',
    group: 'pool',
    help: 'create a pool from an XML file',
    opts: [FILE_OPT, ...BUILD_OPTS],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const flags = createFlags(ctl, opts);
      const xml = readXmlFile(file);
      const pool = await ctl.attempt(`Failed to create pool from ${file}`, () => ctl.c.storagePoolCreateXML(xml, flags));
      ctl.printExtra(`Pool ${pool.getName()} created from ${file}\n`);
      return true;
    },
  },
  {
    name: 'pool-define-as',
    group: 'pool',
    help: 'define a pool from a set of args',
    opts: AS_OPTS,
    async handler(ctl, opts) {
      const { name, xml } = buildPoolXml(ctl, opts);
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      await ctl.attempt(`Failed to define pool ${name}`, () => ctl.c.storagePoolDefineXML(xml, 0));
      ctl.printExtra(`Pool ${name} defined\n`);
      return true;
    },
  },
  {
    name: 'pool-create-as',
    group: 'pool',
    help: 'create a pool from a set of args',
    opts: [...AS_OPTS, ...BUILD_OPTS],
    async handler(ctl, opts) {
      const flags = createFlags(ctl, opts);
      const { name, xml } = buildPoolXml(ctl, opts);
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      await ctl.attempt(`Failed to create pool ${name}`, () => ctl.c.storagePoolCreateXML(xml, flags));
      ctl.printExtra(`Pool ${name} created\n`);
      return true;
    },
  },
  poolAction(
    'pool-build',
    'build a pool',
    'built',
    (p, opts) => {
      let flags = 0;
      if (flag(opts, 'no-overwrite')) flags |= B.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
      if (flag(opts, 'overwrite')) flags |= B.VIR_STORAGE_POOL_BUILD_OVERWRITE;
      return p.build(flags);
    },
    BUILD_OPTS.slice(1),
  ),
  {
    name: 'pool-start',
    group: 'pool',
    help: 'start a (previously defined) inactive pool',
    opts: [POOL_OPT, ...BUILD_OPTS],
    async handler(ctl, opts) {
      const flags = createFlags(ctl, opts);
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const n = pool.getName();
      await ctl.attempt(`Failed to start pool ${n}`, () => pool.create(flags));
      ctl.printExtra(`Pool ${n} started\n`);
      return true;
    },
  },
  poolAction('pool-refresh', 'refresh a pool', 'refreshed', (p) => p.refresh(0)),
  poolAction('pool-destroy', 'destroy (stop) a pool', 'destroyed', (p) => p.destroy()),
  poolAction('pool-delete', 'delete a pool', 'deleted', (p) => p.delete(0)),
  {
    name: 'pool-undefine',
    group: 'pool',
    help: 'undefine an inactive pool',
    opts: [POOL_OPT],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const n = pool.getName();
      await ctl.attempt(`Failed to undefine pool ${n}`, () => pool.undefine());
      ctl.printExtra(`Pool ${n} has been undefined\n`);
      return true;
    },
  },
  {
    name: 'pool-autostart',
    group: 'pool',
    help: 'autostart a pool',
    opts: [POOL_OPT, { name: 'disable', type: 'bool', help: 'disable autostarting' }],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const n = pool.getName();
      const on = !flag(opts, 'disable');
      await ctl.attempt(on ? `failed to mark pool ${n} as autostarted` : `failed to unmark pool ${n} as autostarted`, () =>
        pool.setAutostart(on),
      );
      ctl.printExtra(on ? `Pool ${n} marked as autostarted\n` : `Pool ${n} unmarked as autostarted\n`);
      return true;
    },
  },
  {
    name: 'pool-dumpxml',
    group: 'pool',
    help: 'pool information in XML',
    opts: [POOL_OPT, { name: 'inactive', type: 'bool', help: 'show inactive defined XML' }, ...XPATH_OPTS],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      return printXml(ctl, opts, await pool.getXMLDesc(flag(opts, 'inactive') ? StorageXMLFlags.VIR_STORAGE_XML_INACTIVE : 0));
    },
  },
  {
    name: 'pool-uuid',
    group: 'pool',
    help: 'convert a pool name to pool UUID',
    opts: [POOL_OPT],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      ctl.print(`${pool.getUUIDString()}\n`);
      return true;
    },
  },
  {
    name: 'pool-name',
    group: 'pool',
    help: 'convert a pool UUID to pool name',
    opts: [POOL_OPT],
    async handler(ctl, opts) {
      const text = req(ctl, opts, 'pool');
      // virsh looks the pool up by UUID only here, so a name is not found and no libvirt error follows
      if (!UUID_RE.test(text)) ctl.fail(`failed to get pool '${text}'`);
      const pool = await ctl.attempt(`failed to get pool '${text}'`, () => ctl.c.storagePoolLookupByUUIDString(text));
      ctl.print(`${pool.getName()}\n`);
      return true;
    },
  },
];
