/** Domain information commands: list, dominfo, domstate, domid, domname, domuuid, dumpxml. */
import {
  ConnectListAllDomainsFlags as L,
  DomainXMLFlags,
  ErrorNumber,
  type Domain,
  type DomainStateInfo,
  type SecurityLabel,
  type SecurityModel,
  wideToNumber,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef } from '../types';
import { DOMAIN_STATE_IDS, domainReasonName, domainStateName, label } from '../format';
import { lookupDomain } from '../lookup';
import { flag, printJson, req } from '../opt';
import { printTable } from '../table';
import { isVirError } from '../errors';
import { DOMAIN_OPT, JSON_OPT } from './shared-options';
import { printXml, XPATH_OPTS } from '../xml-dump';

const LIST_FILTERS: Array<[string, L]> = [
  ['inactive', L.VIR_CONNECT_LIST_DOMAINS_INACTIVE],
  ['persistent', L.VIR_CONNECT_LIST_DOMAINS_PERSISTENT],
  ['transient', L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT],
  ['with-managed-save', L.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE],
  ['without-managed-save', L.VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE],
  ['autostart', L.VIR_CONNECT_LIST_DOMAINS_AUTOSTART],
  ['no-autostart', L.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART],
  ['with-snapshot', L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT],
  ['without-snapshot', L.VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT],
  ['with-checkpoint', L.VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT],
  ['without-checkpoint', L.VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT],
  ['state-running', L.VIR_CONNECT_LIST_DOMAINS_RUNNING],
  ['state-paused', L.VIR_CONNECT_LIST_DOMAINS_PAUSED],
  ['state-shutoff', L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF],
  ['state-other', L.VIR_CONNECT_LIST_DOMAINS_OTHER],
];

const ACTIVITY = L.VIR_CONNECT_LIST_DOMAINS_ACTIVE | L.VIR_CONNECT_LIST_DOMAINS_INACTIVE;
const STATES =
  L.VIR_CONNECT_LIST_DOMAINS_RUNNING |
  L.VIR_CONNECT_LIST_DOMAINS_PAUSED |
  L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
  L.VIR_CONNECT_LIST_DOMAINS_OTHER;

/** State of a domain: virDomainGetState, else the state of virDomainGetInfo. */
async function stateOf(dom: Domain): Promise<DomainStateInfo> {
  try {
    return await dom.getState();
  } catch (e) {
    if (!isVirError(e)) throw e;
    return { state: (await dom.getInfo()).state, reason: 0 };
  }
}

/** The id virsh prints: `-` for an inactive domain. */
function idText(dom: Domain): string {
  return dom.getID() === -1 ? '-' : String(dom.getID());
}

/** virsh's list order: running domains by id, then inactive ones by name. */
function sortDomains(doms: Domain[]): Domain[] {
  return [...doms].sort((a, b) => {
    const ia = a.getID();
    const ib = b.getID();
    if (ia !== -1 && ib !== -1) return ia - ib;
    if (ia !== -1) return -1;
    if (ib !== -1) return 1;
    return a.getName().toLowerCase().localeCompare(b.getName().toLowerCase());
  });
}

/** A yes/no fact virsh prints as `unknown` when the driver cannot tell. */
async function optional<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (isVirError(e)) return null;
    throw e;
  }
}

/** The host's security model; null when the driver has none (VIR_ERR_NO_SUPPORT), as virsh tolerates. */
async function securityModel(ctl: Ctl): Promise<SecurityModel | null> {
  try {
    return await ctl.c.getSecurityModel();
  } catch (e) {
    if (isVirError(e) && e.code === ErrorNumber.VIR_ERR_NO_SUPPORT) return null;
    throw e;
  }
}

export const domainInfoCommands: CmdDef[] = [
  {
    name: 'list',
    group: 'domain-monitor',
    help: 'list domains',
    opts: [
      ...LIST_FILTERS.map(([name]) => ({ name, type: 'bool' as const })),
      { name: 'all', type: 'bool' },
      { name: 'uuid', type: 'bool' },
      { name: 'name', type: 'bool' },
      { name: 'id', type: 'bool' },
      { name: 'table', type: 'bool' },
      { name: 'managed-save', type: 'bool' },
      { name: 'title', type: 'bool' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      let flags: number = L.VIR_CONNECT_LIST_DOMAINS_ACTIVE;
      if (flag(opts, 'inactive')) flags = L.VIR_CONNECT_LIST_DOMAINS_INACTIVE;
      if (flag(opts, 'all')) flags = ACTIVITY;
      for (const [name, bit] of LIST_FILTERS) if (flag(opts, name)) flags |= bit;
      if (flags & STATES) flags &= ~ACTIVITY;
      const doms = sortDomains(await ctl.attempt('Failed to list domains', () => ctl.c.listAllDomains(flags)));
      if (flag(opts, 'json')) {
        const out = [];
        for (const d of doms) {
          const s = await stateOf(d);
          out.push({
            id: d.getID() === -1 ? null : d.getID(),
            name: d.getName(),
            uuid: d.getUUIDString(),
            state: DOMAIN_STATE_IDS[s.state],
          });
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
          if (byId) parts.push(idText(d));
          if (byUuid) parts.push(d.getUUIDString());
          if (byName) parts.push(d.getName());
          ctl.print(`${parts.join(' ')}\n`);
        }
        return true;
      }
      const rows: string[][] = [];
      for (const d of doms) {
        const s = await stateOf(d);
        rows.push([idText(d), d.getName(), domainStateName(s.state)]);
      }
      printTable(ctl, ['Id', 'Name', 'State'], rows);
      return true;
    },
  },
  {
    name: 'dominfo',
    group: 'domain-monitor',
    help: 'domain information',
    opts: [DOMAIN_OPT, JSON_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const info = await dom.getInfo();
      const osType = await dom.getOSType();
      const persistent = await optional(() => dom.isPersistent());
      const autostart = await optional(() => dom.getAutostart());
      const managed = await optional(() => dom.hasManagedSaveImage());
      const sec = await securityModel(ctl);
      if (flag(opts, 'json')) {
        const seclabel = sec?.model ? await dom.getSecurityLabel() : null;
        printJson(ctl, {
          id: dom.getID() === -1 ? null : dom.getID(),
          name: dom.getName(),
          uuid: dom.getUUIDString(),
          osType,
          state: DOMAIN_STATE_IDS[info.state],
          cpus: info.nrVirtCpu,
          cpuTime: info.cpuTime,
          maxMemory: info.maxMem,
          usedMemory: info.memory,
          persistent,
          autostart,
          managedSave: managed,
          security: sec?.model
            ? {
                model: sec.model,
                doi: sec.doi,
                label: seclabel?.label || null,
                enforcing: seclabel?.label ? seclabel.enforcing !== 0 : null,
              }
            : null,
        });
        return true;
      }
      const row = (k: string, v: string): void => ctl.print(`${label(k)} ${v}\n`);
      row('Id:', idText(dom));
      row('Name:', dom.getName());
      row('UUID:', dom.getUUIDString());
      row('OS Type:', osType);
      row('State:', domainStateName(info.state));
      row('CPU(s):', String(info.nrVirtCpu));
      if (info.cpuTime !== 0) row('CPU time:', `${(wideToNumber(info.cpuTime) / 1e9).toFixed(1)}s`);
      row('Max memory:', info.maxMem === 0xffffffff ? 'no limit' : `${info.maxMem} KiB`);
      row('Used memory:', `${info.memory} KiB`);
      row('Persistent:', persistent === null ? 'unknown' : persistent ? 'yes' : 'no');
      if (autostart !== null) row('Autostart:', autostart ? 'enable' : 'disable');
      row('Managed save:', managed === null ? 'unknown' : managed ? 'yes' : 'no');
      if (sec?.model) {
        row('Security model:', sec.model);
        row('Security DOI:', sec.doi);
        // the label is asked for only after the model lines are out, so a failure follows them
        const seclabel: SecurityLabel = await dom.getSecurityLabel();
        if (seclabel.label) row('Security label:', `${seclabel.label} (${seclabel.enforcing ? 'enforcing' : 'permissive'})`);
      }
      // taint and deprecation notes; a driver without them (or without the call) prints none
      const messages = (await optional(() => dom.getMessages())) ?? [];
      messages.forEach((m, i) => row(i === 0 ? 'Messages:' : '', m));
      return true;
    },
  },
  {
    name: 'domstate',
    group: 'domain-monitor',
    help: 'domain state',
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
    name: 'domid',
    group: 'domain',
    help: 'convert a domain name or UUID to domain id',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { name: true, uuid: true });
      ctl.print(`${idText(dom)}\n`);
      return true;
    },
  },
  {
    name: 'domname',
    group: 'domain',
    help: 'convert a domain id or UUID to domain name',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { id: true, uuid: true });
      ctl.print(`${dom.getName()}\n`);
      return true;
    },
  },
  {
    name: 'domuuid',
    group: 'domain',
    help: 'convert a domain name or id to domain UUID',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { id: true, name: true });
      ctl.print(`${dom.getUUIDString()}\n`);
      return true;
    },
  },
  {
    name: 'dumpxml',
    group: 'domain',
    help: 'domain information in XML',
    opts: [
      DOMAIN_OPT,
      { name: 'inactive', type: 'bool' },
      { name: 'security-info', type: 'bool' },
      { name: 'update-cpu', type: 'bool' },
      { name: 'migratable', type: 'bool' },
      ...XPATH_OPTS,
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = 0;
      if (flag(opts, 'security-info')) flags |= DomainXMLFlags.VIR_DOMAIN_XML_SECURE;
      if (flag(opts, 'inactive')) flags |= DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE;
      if (flag(opts, 'update-cpu')) flags |= DomainXMLFlags.VIR_DOMAIN_XML_UPDATE_CPU;
      if (flag(opts, 'migratable')) flags |= DomainXMLFlags.VIR_DOMAIN_XML_MIGRATABLE;
      return printXml(ctl, opts, await dom.getXMLDesc(flags));
    },
  },
];
