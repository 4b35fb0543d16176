/** Domain information commands: list, dominfo, domstate, domid, domname, domuuid, dumpxml. */
import type { CmdDef, OptDef } from '../types';
import type { VDomain } from '../api';
import { DOMAIN_STATE_IDS, domainReasonName, domainStateName, label } from '../format';
import { lookupDomain } from '../lookup';
import { flag, printJson, req } from '../opt';
import { printTable } from '../table';
import { isVirError } from '../errors';
import { JSON_OPT } from './host';

/** The `domain` option most commands take first. */
export const DOMAIN_OPT: OptDef = { name: 'domain', type: 'string', required: true, help: 'domain name, id or uuid' };

/** virConnectListAllDomains flag bits. */
const L = {
  ACTIVE: 1, INACTIVE: 2, PERSISTENT: 4, TRANSIENT: 8, RUNNING: 16, PAUSED: 32, SHUTOFF: 64, OTHER: 128,
  MANAGEDSAVE: 256, NO_MANAGEDSAVE: 512, AUTOSTART: 1024, NO_AUTOSTART: 2048, HAS_SNAPSHOT: 4096,
  NO_SNAPSHOT: 8192, HAS_CHECKPOINT: 16384, NO_CHECKPOINT: 32768,
};

const LIST_FILTERS: Array<[string, number]> = [
  ['inactive', L.INACTIVE], ['persistent', L.PERSISTENT], ['transient', L.TRANSIENT],
  ['with-managed-save', L.MANAGEDSAVE], ['without-managed-save', L.NO_MANAGEDSAVE],
  ['autostart', L.AUTOSTART], ['no-autostart', L.NO_AUTOSTART], ['with-snapshot', L.HAS_SNAPSHOT],
  ['without-snapshot', L.NO_SNAPSHOT], ['with-checkpoint', L.HAS_CHECKPOINT], ['without-checkpoint', L.NO_CHECKPOINT],
  ['state-running', L.RUNNING], ['state-paused', L.PAUSED], ['state-shutoff', L.SHUTOFF], ['state-other', L.OTHER],
];

/** State of a domain: virDomainGetState, else the state of virDomainGetInfo. */
async function stateOf(dom: VDomain): Promise<{ state: number; reason: number }> {
  try {
    return await dom.state();
  } catch (e) {
    if (!isVirError(e)) throw e;
    return { state: (await dom.info()).state, reason: 0 };
  }
}

/** virsh's list order: running domains by id, then inactive ones by name. */
function sortDomains(doms: VDomain[]): VDomain[] {
  return [...doms].sort((a, b) => {
    const ia = a.id();
    const ib = b.id();
    if (ia !== -1 && ib !== -1) return ia - ib;
    if (ia !== -1) return -1;
    if (ib !== -1) return 1;
    return a.name().toLowerCase().localeCompare(b.name().toLowerCase());
  });
}

export const domainInfoCommands: CmdDef[] = [
  {
    name: 'list', group: 'domain-monitor', help: 'list domains',
    opts: [
      ...LIST_FILTERS.map(([name]) => ({ name, type: 'bool' as const })),
      { name: 'all', type: 'bool' }, { name: 'uuid', type: 'bool' }, { name: 'name', type: 'bool' },
      { name: 'id', type: 'bool' }, { name: 'table', type: 'bool' }, { name: 'managed-save', type: 'bool' },
      { name: 'title', type: 'bool' }, JSON_OPT,
    ],
    async handler(ctl, opts) {
      let flags = L.ACTIVE;
      if (flag(opts, 'inactive')) flags = L.INACTIVE;
      if (flag(opts, 'all')) flags = L.ACTIVE | L.INACTIVE;
      for (const [name, bit] of LIST_FILTERS) if (flag(opts, name)) flags |= bit;
      if (flags & (L.RUNNING | L.PAUSED | L.SHUTOFF | L.OTHER)) flags &= ~(L.ACTIVE | L.INACTIVE);
      const doms = sortDomains(await ctl.attempt('Failed to list domains', () => ctl.c.listAllDomains(flags)));
      if (flag(opts, 'json')) {
        const out = [];
        for (const d of doms) {
          const s = await stateOf(d);
          out.push({ id: d.id() === -1 ? null : d.id(), name: d.name(), uuid: d.uuid(), state: DOMAIN_STATE_IDS[s.state] });
        }
        printJson(ctl, out);
        return true;
      }
      const byName = flag(opts, 'name');
      const byUuid = flag(opts, 'uuid');
      const byId = flag(opts, 'id');
      if ((byName || byUuid || byId) && !flag(opts, 'table')) {
        for (const d of doms) {
          const parts: string[] = [];
          if (byId) parts.push(d.id() === -1 ? '-' : String(d.id()));
          if (byUuid) parts.push(d.uuid());
          if (byName) parts.push(d.name());
          ctl.print(`${parts.join(' ')}\n`);
        }
        return true;
      }
      const rows: string[][] = [];
      for (const d of doms) {
        const s = await stateOf(d);
        rows.push([d.id() === -1 ? '-' : String(d.id()), d.name(), domainStateName(s.state)]);
      }
      printTable(ctl, ['Id', 'Name', 'State'], rows);
      return true;
    },
  },
  {
    name: 'dominfo', group: 'domain-monitor', help: 'domain information', opts: [DOMAIN_OPT, JSON_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const id = dom.id();
      const info = await dom.info();
      const osType = await dom.getOSType();
      const optional = async <T>(fn: () => Promise<T>): Promise<T | null> => {
        try {
          return await fn();
        } catch (e) {
          if (isVirError(e)) return null;
          throw e;
        }
      };
      const persistent = await optional(() => dom.isPersistent());
      const autostart = await optional(() => dom.getAutostart());
      const managed = await optional(() => dom.hasManagedSaveImage());
      let sec: { model: string; doi: string } | null = null;
      try {
        sec = await ctl.c.securityModel();
      } catch (e) {
        if (!isVirError(e) || e.code !== 3) throw e;
      }
      const seclabel = sec && sec.model ? await dom.securityLabel() : null;
      if (flag(opts, 'json')) {
        printJson(ctl, {
          id: id === -1 ? null : id, name: dom.name(), uuid: dom.uuid(), osType, state: DOMAIN_STATE_IDS[info.state],
          cpus: info.nrVirtCpu, cpuTime: info.cpuTime, maxMemory: info.maxMem, usedMemory: info.memory,
          persistent, autostart, managedSave: managed,
          security: sec && sec.model ? { model: sec.model, doi: sec.doi, label: seclabel?.label || null,
            enforcing: seclabel?.label ? seclabel.enforcing : null } : null,
        });
        return true;
      }
      const row = (k: string, v: string): void => ctl.print(`${label(k)} ${v}\n`);
      row('Id:', id === -1 ? '-' : String(id));
      row('Name:', dom.name());
      row('UUID:', dom.uuid());
      row('OS Type:', osType);
      row('State:', domainStateName(info.state));
      row('CPU(s):', String(info.nrVirtCpu));
      if (info.cpuTime !== 0) row('CPU time:', `${(info.cpuTime / 1e9).toFixed(1)}s`);
      row('Max memory:', info.maxMem === 0xffffffff ? 'no limit' : `${info.maxMem} KiB`);
      row('Used memory:', `${info.memory} KiB`);
      row('Persistent:', persistent === null ? 'unknown' : persistent ? 'yes' : 'no');
      if (autostart !== null) row('Autostart:', autostart ? 'enable' : 'disable');
      row('Managed save:', managed === null ? 'unknown' : managed ? 'yes' : 'no');
      if (sec && sec.model) {
        row('Security model:', sec.model);
        row('Security DOI:', sec.doi);
        if (seclabel && seclabel.label) row('Security label:', `${seclabel.label} (${seclabel.enforcing ? 'enforcing' : 'permissive'})`);
      }
      return true;
    },
  },
  {
    name: 'domstate', group: 'domain-monitor', help: 'domain state',
    opts: [DOMAIN_OPT, { name: 'reason', type: 'bool' }, JSON_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const s = await stateOf(dom);
      if (flag(opts, 'json')) {
        printJson(ctl, { state: DOMAIN_STATE_IDS[s.state], reason: domainReasonName(s.state, s.reason) });
      } else if (flag(opts, 'reason')) {
        ctl.print(`${domainStateName(s.state)} (${domainReasonName(s.state, s.reason)})\n`);
      } else {
        ctl.print(`${domainStateName(s.state)}\n`);
      }
      return true;
    },
  },
  {
    name: 'domid', group: 'domain', help: 'convert a domain name or UUID to domain id', opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { name: true, uuid: true });
      ctl.print(dom.id() === -1 ? '-\n' : `${dom.id()}\n`);
      return true;
    },
  },
  {
    name: 'domname', group: 'domain', help: 'convert a domain id or UUID to domain name', opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { id: true, uuid: true });
      ctl.print(`${dom.name()}\n`);
      return true;
    },
  },
  {
    name: 'domuuid', group: 'domain', help: 'convert a domain name or id to domain UUID', opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { id: true, name: true });
      ctl.print(`${dom.uuid()}\n`);
      return true;
    },
  },
  {
    name: 'dumpxml', group: 'domain', help: 'domain information in XML',
    opts: [DOMAIN_OPT, { name: 'inactive', type: 'bool' }, { name: 'security-info', type: 'bool' },
      { name: 'update-cpu', type: 'bool' }, { name: 'migratable', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = 0;
      if (flag(opts, 'security-info')) flags |= 1;
      if (flag(opts, 'inactive')) flags |= 2;
      if (flag(opts, 'update-cpu')) flags |= 4;
      if (flag(opts, 'migratable')) flags |= 8;
      ctl.print(withNewline(await dom.getXMLDesc(flags)));
      return true;
    },
  },
];

/** XML as virsh prints it: libvirt's documents end with one newline. */
export function withNewline(xml: string): string {
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
