/** Domain monitoring commands: domstats. */
import { ConnectGetAllDomainStatsFlags as F, DomainStatsTypes as S, type DomainStatsRecord } from '@virtkit/core';
import type { CmdDef, OptDef } from '../types';
import { lookupDomain } from '../lookup';
import { flag } from '../opt';
import { multiValues } from '../parse';
import { typedParamText } from '../typed-param-text';

/** The group options of domstats, in virsh's order, with the stats bit each asks for. */
const GROUPS: Array<[string, number, string]> = [
  ['state', S.VIR_DOMAIN_STATS_STATE, 'report domain state'],
  ['cpu-total', S.VIR_DOMAIN_STATS_CPU_TOTAL, 'report domain physical cpu usage'],
  ['balloon', S.VIR_DOMAIN_STATS_BALLOON, 'report domain balloon statistics'],
  ['vcpu', S.VIR_DOMAIN_STATS_VCPU, 'report domain virtual cpu information'],
  ['interface', S.VIR_DOMAIN_STATS_INTERFACE, 'report domain network interface information'],
  ['block', S.VIR_DOMAIN_STATS_BLOCK, 'report domain block device statistics'],
  ['perf', S.VIR_DOMAIN_STATS_PERF, 'report domain perf event statistics'],
  ['iothread', S.VIR_DOMAIN_STATS_IOTHREAD, 'report domain IOThread information'],
  ['memory', S.VIR_DOMAIN_STATS_MEMORY, 'report domain memory usage'],
  ['dirtyrate', S.VIR_DOMAIN_STATS_DIRTYRATE, 'report domain dirty rate information'],
  ['vm', S.VIR_DOMAIN_STATS_VM, 'report hypervisor-specific statistics'],
];

/** The list and behaviour options, with their flag bits. */
const FLAGS: Array<[string, number, string]> = [
  ['list-active', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE, 'list only active domains'],
  ['list-inactive', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE, 'list only inactive domains'],
  ['list-persistent', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT, 'list only persistent domains'],
  ['list-transient', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT, 'list only transient domains'],
  ['list-running', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING, 'list only running domains'],
  ['list-paused', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED, 'list only paused domains'],
  ['list-shutoff', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF, 'list only shutoff domains'],
  ['list-other', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER, 'list only domains in other states'],
];

const TAIL_FLAGS: Array<[string, number, string]> = [
  ['enforce', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, 'enforce requested stats parameters'],
  ['backing', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING, 'add backing chain information to block stats'],
  ['nowait', F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT, 'report only stats that are accessible instantly'],
];

const bool = ([name, , help]: [string, number, string]): OptDef => ({ name, type: 'bool', help });

/** OR of the bits of the options given. */
const bits = (opts: Map<string, unknown>, table: Array<[string, number, string]>): number =>
  table.reduce((acc, [name, bit]) => (opts.has(name) ? (acc | bit) >>> 0 : acc), 0);

export const monitorCommands: CmdDef[] = [
  {
    name: 'domstats',
    group: 'domain-monitor',
    help: 'get statistics about one or multiple domains',
    desc: 'Gets statistics about one or more (or all) domains',
    opts: [
      ...GROUPS.map(bool),
      ...FLAGS.map(bool),
      { name: 'raw', type: 'bool', help: 'do not pretty-print the fields' },
      ...TAIL_FLAGS.map(bool),
      { name: 'domain', type: 'data', multi: true, help: 'list of domains to get stats for' },
    ],
    async handler(ctl, opts) {
      const stats = bits(opts, GROUPS);
      const flags = (bits(opts, FLAGS) | bits(opts, TAIL_FLAGS)) >>> 0;
      const names = multiValues(opts, 'domain');
      let records: DomainStatsRecord[];
      if (names.length) {
        const doms = [];
        for (const n of names) doms.push(await lookupDomain(ctl, n));
        records = await ctl.c.domainListGetStats(doms, stats, flags);
      } else {
        records = await ctl.c.getAllDomainStats(stats, flags);
      }
      const raw = flag(opts, 'raw');
      // Records are separated by an empty line (the command's own final newline ends the last).
      records.forEach((r, i) => {
        let out = `${i ? '\n' : ''}Domain: '${r.dom.getName()}'\n`;
        for (const field of Object.keys(r.params)) out += `  ${field}=${typedParamText(r.params, field, raw)}\n`;
        ctl.print(out);
      });
      return true;
    },
  },
];
