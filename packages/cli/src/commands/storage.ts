/** Storage commands: pool-list, pool-info, vol-list, vol-info, vol-create-as. */
import { ConnectListAllStoragePoolsFlags as P, StoragePoolState, StorageVolCreateFlags, type StoragePool, type Wide } from '@virtkit/core';
import type { CmdDef } from '../types';
import { label, prettyCapacity } from '../format';
import { lookupPool, lookupVol } from '../lookup';
import { flag, printJson, req, str } from '../opt';
import { printTable } from '../table';
import { escapeXml } from '../xmlinfo';
import { JSON_OPT, volSize } from './shared-options';

const POOL_STATES = ['inactive', 'building', 'running', 'degraded', 'inaccessible'];
const VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'];

const byName = <T extends { getName(): string }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => (a.getName() < b.getName() ? -1 : a.getName() > b.getName() ? 1 : 0));

const POOL_FILTERS: Array<[string, P]> = [
  ['persistent', P.VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT],
  ['transient', P.VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT],
  ['autostart', P.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART],
  ['no-autostart', P.VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART],
];

/** Everything pool-list and pool-info show about one pool. */
async function poolFacts(p: StoragePool) {
  const info = await p.getInfo();
  return {
    name: p.getName(),
    uuid: p.getUUIDString(),
    state: POOL_STATES[info.state] ?? 'unknown',
    active: info.state === StoragePoolState.VIR_STORAGE_POOL_RUNNING || info.state === StoragePoolState.VIR_STORAGE_POOL_DEGRADED,
    persistent: await p.isPersistent(),
    autostart: await p.getAutostart(),
    capacity: info.capacity,
    allocation: info.allocation,
    available: info.available,
  };
}

export const storageCommands: CmdDef[] = [
  {
    name: 'pool-list',
    group: 'pool',
    help: 'list pools',
    opts: [
      { name: 'inactive', type: 'bool' },
      { name: 'all', type: 'bool' },
      { name: 'transient', type: 'bool' },
      { name: 'persistent', type: 'bool' },
      { name: 'autostart', type: 'bool' },
      { name: 'no-autostart', type: 'bool' },
      { name: 'type', type: 'string' },
      { name: 'details', type: 'bool' },
      { name: 'uuid', type: 'bool' },
      { name: 'name', type: 'bool' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      let flags: number = P.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
      if (flag(opts, 'inactive')) flags = P.VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
      if (flag(opts, 'all')) flags = 0;
      for (const [name, bit] of POOL_FILTERS) if (flag(opts, name)) flags |= bit;
      const pools = byName(await ctl.attempt('Failed to list pools', () => ctl.c.listAllStoragePools(flags)));
      const facts = [];
      for (const p of pools) facts.push(await poolFacts(p));
      if (flag(opts, 'json')) {
        printJson(ctl, facts);
        return true;
      }
      if (flag(opts, 'name') || flag(opts, 'uuid')) {
        for (const f of facts)
          ctl.print(`${[flag(opts, 'uuid') ? f.uuid : '', flag(opts, 'name') ? f.name : ''].filter(Boolean).join(' ')}\n`);
        return true;
      }
      const yn = (b: boolean): string => (b ? 'yes' : 'no');
      if (!flag(opts, 'details')) {
        printTable(
          ctl,
          ['Name', 'State', 'Autostart'],
          facts.map((f) => [f.name, f.active ? 'active' : 'inactive', yn(f.autostart)]),
        );
        return true;
      }
      printTable(
        ctl,
        ['Name', 'State', 'Autostart', 'Persistent', 'Capacity', 'Allocation', 'Available'],
        facts.map((f) => [
          f.name,
          f.state,
          yn(f.autostart),
          yn(f.persistent),
          ...(f.active ? [prettyCapacity(f.capacity), prettyCapacity(f.allocation), prettyCapacity(f.available)] : ['-', '-', '-']),
        ]),
      );
      return true;
    },
  },
  {
    name: 'pool-info',
    group: 'pool',
    help: 'storage pool information',
    opts: [{ name: 'pool', type: 'string', required: true }, { name: 'bytes', type: 'bool' }, JSON_OPT],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const f = await poolFacts(pool);
      if (flag(opts, 'json')) {
        printJson(ctl, f);
        return true;
      }
      const row = (k: string, v: string): void => ctl.print(`${label(k)} ${v}\n`);
      const size = (n: Wide): string => (flag(opts, 'bytes') ? `${n}` : prettyCapacity(n));
      row('Name:', f.name);
      row('UUID:', f.uuid);
      row('State:', f.state);
      row('Persistent:', f.persistent ? 'yes' : 'no');
      row('Autostart:', f.autostart ? 'yes' : 'no');
      if (f.active) {
        row('Capacity:', size(f.capacity));
        row('Allocation:', size(f.allocation));
        row('Available:', size(f.available));
      }
      return true;
    },
  },
  {
    name: 'vol-list',
    group: 'volume',
    help: 'list vols',
    opts: [{ name: 'pool', type: 'string', required: true }, { name: 'details', type: 'bool' }, JSON_OPT],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const vols = byName(await ctl.attempt('Failed to list storage volumes', () => pool.listAllVolumes()));
      const facts = [];
      for (const v of vols) {
        const info = await v.getInfo();
        facts.push({
          name: v.getName(),
          path: await v.getPath(),
          type: VOL_TYPES[info.type] ?? 'unknown',
          capacity: info.capacity,
          allocation: info.allocation,
        });
      }
      if (flag(opts, 'json')) {
        printJson(ctl, facts);
        return true;
      }
      if (!flag(opts, 'details')) {
        printTable(
          ctl,
          ['Name', 'Path'],
          facts.map((f) => [f.name, f.path]),
        );
        return true;
      }
      printTable(
        ctl,
        ['Name', 'Path', 'Type', 'Capacity', 'Allocation'],
        facts.map((f) => [f.name, f.path, f.type, prettyCapacity(f.capacity), prettyCapacity(f.allocation)]),
      );
      return true;
    },
  },
  {
    name: 'vol-info',
    group: 'volume',
    help: 'storage vol information',
    opts: [
      { name: 'vol', type: 'string', required: true },
      { name: 'pool', type: 'string' },
      { name: 'bytes', type: 'bool' },
      { name: 'physical', type: 'bool' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      const vol = await lookupVol(ctl, req(ctl, opts, 'vol'), str(ctl, opts, 'pool'));
      const info = await vol.getInfo();
      if (flag(opts, 'json')) {
        printJson(ctl, {
          name: vol.getName(),
          type: VOL_TYPES[info.type] ?? 'unknown',
          capacity: info.capacity,
          allocation: info.allocation,
        });
        return true;
      }
      const size = (n: Wide): string => (flag(opts, 'bytes') ? `${n} bytes` : prettyCapacity(n));
      const row = (k: string, v: string): void => ctl.print(`${label(k)} ${v}\n`);
      row('Name:', vol.getName());
      row('Type:', VOL_TYPES[info.type] ?? 'unknown');
      row('Capacity:', size(info.capacity));
      row('Allocation:', size(info.allocation));
      return true;
    },
  },
  {
    name: 'vol-create-as',
    group: 'volume',
    help: 'create a volume from a set of args',
    opts: [
      { name: 'pool', type: 'string', required: true },
      { name: 'name', type: 'string', required: true },
      { name: 'capacity', type: 'string', required: true },
      { name: 'allocation', type: 'string' },
      { name: 'format', type: 'string' },
      { name: 'backing-vol', type: 'string' },
      { name: 'backing-vol-format', type: 'string' },
      { name: 'prealloc-metadata', type: 'bool' },
      { name: 'print-xml', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const name = req(ctl, opts, 'name');
      const capText = req(ctl, opts, 'capacity');
      const cap = volSize(ctl, capText);
      const allocText = str(ctl, opts, 'allocation');
      const alloc = allocText === null ? null : volSize(ctl, allocText);
      const format = str(ctl, opts, 'format');
      let xml = `<volume>\n  <name>${escapeXml(name)}</name>\n  <capacity>${cap}</capacity>\n`;
      if (alloc !== null) xml += `  <allocation>${alloc}</allocation>\n`;
      if (format !== null) xml += `  <target>\n    <format type='${escapeXml(format)}'/>\n  </target>\n`;
      xml += '</volume>\n';
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      await ctl.attempt(`Failed to create vol ${name}`, () =>
        pool.createXML(xml, flag(opts, 'prealloc-metadata') ? StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA : 0),
      );
      ctl.printExtra(`Vol ${name} created\n`);
      return true;
    },
  },
];
