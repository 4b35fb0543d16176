/**
 * Commands answered by the guest agent: qemu-agent-command, domhostname, domtime, domfsfreeze,
 * domfsthaw, domfsinfo, set-user-password, guestinfo, get-user-sshkeys, set-user-sshkeys (virsh-domain.c,
 * virsh-domain-monitor.c).
 */
import {
  DomainAuthorizedSSHKeysSetFlags as K,
  DomainGetHostnameFlags as H,
  DomainGuestInfoTypes as G,
  DomainQemuAgentCommandTimeoutValues as TO,
  DomainSetTimeFlags,
  DomainSetUserPasswordFlags,
} from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, requires, str } from '../opt';
import { int } from '../opt-numbers';
import { multiValues } from '../parse';
import { printTable } from '../table';
import { typedParamText } from '../typed-param-text';
import { formatJson, parseJson } from '../yajl-json';
import { DOMAIN_OPT, readXmlFile } from './shared-options';

const GUEST_INFO_GROUPS: [string, number][] = [
  ['user', G.VIR_DOMAIN_GUEST_INFO_USERS],
  ['os', G.VIR_DOMAIN_GUEST_INFO_OS],
  ['timezone', G.VIR_DOMAIN_GUEST_INFO_TIMEZONE],
  ['hostname', G.VIR_DOMAIN_GUEST_INFO_HOSTNAME],
  ['filesystem', G.VIR_DOMAIN_GUEST_INFO_FILESYSTEM],
  ['disk', G.VIR_DOMAIN_GUEST_INFO_DISKS],
  ['interface', G.VIR_DOMAIN_GUEST_INFO_INTERFACES],
];

/** g_date_time_format(..., "%Y-%m-%d %H:%M:%S") of a UTC instant. */
function utcText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export const agentCommands: CmdDef[] = [
  {
    name: 'qemu-agent-command',
    group: 'domain',
    help: 'QEMU Guest Agent Command',
    opts: [
      DOMAIN_OPT,
      { name: 'timeout', type: 'string' },
      { name: 'async', type: 'bool' },
      { name: 'block', type: 'bool' },
      { name: 'pretty', type: 'bool' },
      { name: 'cmd', type: 'string', required: true, multi: true },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const text = multiValues(opts, 'cmd').join(' ');
      const given = int(ctl, opts, 'timeout');
      let timeout: number = TO.VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT;
      let chosen = 0;
      if (given !== null) {
        if (given < 1) return ctl.fail('timeout must be positive');
        timeout = given;
        chosen++;
      }
      if (flag(opts, 'async')) {
        timeout = TO.VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT;
        chosen++;
      }
      if (flag(opts, 'block')) {
        timeout = TO.VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK;
        chosen++;
      }
      if (chosen > 1) return ctl.fail('timeout, async and block options are exclusive');
      let result = (await dom.qemuAgentCommand(text, timeout, 0)) ?? '';
      if (flag(opts, 'pretty')) {
        try {
          result = formatJson(parseJson(result), true).trimEnd();
        } catch {
          // virsh prints the reply as it came when it cannot re-format it
        }
      }
      ctl.print(`${result}\n`);
      return true;
    },
  },
  {
    name: 'domhostname',
    group: 'domain',
    help: "print the domain's hostname",
    opts: [DOMAIN_OPT, { name: 'source', type: 'string' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const source = str(ctl, opts, 'source');
      let flags = 0;
      if (source !== null) {
        if (source === 'agent') flags |= H.VIR_DOMAIN_GET_HOSTNAME_AGENT;
        else if (source === 'lease') flags |= H.VIR_DOMAIN_GET_HOSTNAME_LEASE;
        else return ctl.fail(`Unknown data source '${source}'`);
      }
      const name = await ctl.attempt('failed to get hostname', () => dom.getHostname(flags));
      ctl.print(`${name}\n`);
      return true;
    },
  },
  {
    name: 'domtime',
    group: 'domain',
    help: 'domain time',
    opts: [
      DOMAIN_OPT,
      { name: 'now', type: 'bool' },
      { name: 'pretty', type: 'bool' },
      { name: 'sync', type: 'bool' },
      { name: 'time', type: 'string' },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'time', 'now');
      exclusive(ctl, opts, 'time', 'sync');
      exclusive(ctl, opts, 'now', 'sync');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const timeText = str(ctl, opts, 'time');
      if (timeText !== null && !/^\s*[+-]?\d+$/.test(timeText)) {
        return ctl.fail(`Numeric value '${timeText}' for <time> option is malformed or out of range`);
      }
      const now = flag(opts, 'now');
      const sync = flag(opts, 'sync');
      if (timeText !== null || now || sync) {
        const seconds = now ? Math.floor(Date.now() / 1000) : timeText !== null ? BigInt(timeText.trim()) : 0;
        await dom.setTime(
          typeof seconds === 'bigint' && seconds <= BigInt(Number.MAX_SAFE_INTEGER) && seconds >= -BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(seconds)
            : seconds,
          0,
          sync ? DomainSetTimeFlags.VIR_DOMAIN_TIME_SYNC : 0,
        );
        return true;
      }
      const t = await dom.getTime(0);
      ctl.print(flag(opts, 'pretty') ? `Time: ${utcText(Number(t.seconds))}` : `Time: ${t.seconds}`);
      return true;
    },
  },
  {
    name: 'domfsfreeze',
    group: 'domain',
    help: "Freeze domain's mounted filesystems.",
    opts: [DOMAIN_OPT, { name: 'mountpoint', type: 'string', multi: true }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = await ctl.attempt('Unable to freeze filesystems', () => dom.fsFreeze(multiValues(opts, 'mountpoint'), 0));
      ctl.printExtra(`Froze ${n} filesystem(s)\n`);
      return true;
    },
  },
  {
    name: 'domfsthaw',
    group: 'domain',
    help: "Thaw domain's mounted filesystems.",
    opts: [DOMAIN_OPT, { name: 'mountpoint', type: 'string', multi: true }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = await ctl.attempt('Unable to thaw filesystems', () => dom.fsThaw(multiValues(opts, 'mountpoint'), 0));
      ctl.printExtra(`Thawed ${n} filesystem(s)\n`);
      return true;
    },
  },
  {
    name: 'domfsinfo',
    group: 'domain',
    help: "Get information of domain's mounted filesystems.",
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const list = await ctl.attempt('Unable to get filesystem information', () => dom.getFSInfo(0));
      if (list.length === 0) {
        ctl.printExtra('No filesystems are mounted in the domain');
        return true;
      }
      printTable(
        ctl,
        ['Mountpoint', 'Name', 'Type', 'Target'],
        list.map((fs) => [fs.mountpoint, fs.name, fs.fstype, fs.dev_aliases.join(',')]),
      );
      return true;
    },
  },
  {
    name: 'set-user-password',
    group: 'domain',
    help: 'set the user password inside the domain',
    opts: [
      DOMAIN_OPT,
      { name: 'user', type: 'string', required: true },
      { name: 'password', type: 'string', required: true },
      { name: 'encrypted', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const user = req(ctl, opts, 'user');
      const password = req(ctl, opts, 'password');
      const name = req(ctl, opts, 'domain');
      const dom = await lookupDomain(ctl, name);
      await dom.setUserPassword(user, password, flag(opts, 'encrypted') ? DomainSetUserPasswordFlags.VIR_DOMAIN_PASSWORD_ENCRYPTED : 0);
      ctl.printExtra(`Password set successfully for ${user} in ${name}`);
      return true;
    },
  },
  {
    name: 'guestinfo',
    group: 'domain',
    help: 'query information about the guest (via agent)',
    opts: [DOMAIN_OPT, ...GUEST_INFO_GROUPS.map(([name]) => ({ name, type: 'bool' as const }))],
    async handler(ctl, opts) {
      const types = GUEST_INFO_GROUPS.reduce((t, [name, bit]) => (flag(opts, name) ? t | bit : t), 0);
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const params = await dom.getGuestInfo(types, 0);
      for (const field of Object.keys(params)) ctl.print(`${field.padEnd(20)}: ${typedParamText(params, field, false)}\n`);
      return true;
    },
  },
  {
    name: 'get-user-sshkeys',
    group: 'domain',
    help: 'list authorized SSH keys for given user (via agent)',
    opts: [DOMAIN_OPT, { name: 'user', type: 'string', required: true }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const keys = await dom.authorizedSSHKeysGet(req(ctl, opts, 'user'), 0);
      // virsh prints the keys back to back, without separators.
      for (const key of keys) ctl.print(key);
      return true;
    },
  },
  {
    name: 'set-user-sshkeys',
    group: 'domain',
    help: 'manipulate authorized SSH keys file for given user (via agent)',
    opts: [
      DOMAIN_OPT,
      { name: 'user', type: 'string', required: true },
      { name: 'file', type: 'string' },
      { name: 'reset', type: 'bool' },
      { name: 'remove', type: 'bool' },
    ],
    async handler(ctl, opts) {
      requires(ctl, opts, 'remove', 'file');
      exclusive(ctl, opts, 'reset', 'remove');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const user = req(ctl, opts, 'user');
      const file = str(ctl, opts, 'file');
      let flags = 0;
      if (flag(opts, 'remove')) flags = K.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE;
      else if (!flag(opts, 'reset')) {
        flags = K.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND;
        if (file === null) ctl.fail('Option --file is required');
      }
      let keys: string[] = [];
      if (file !== null) {
        const text = readXmlFile(file);
        // g_strsplit(text, "\n", -1): every line, the empty one after a final newline included.
        keys = text === '' ? [] : text.split('\n');
        if (keys.length === 0) ctl.fail(`File ${file} contains no keys`);
      }
      await dom.authorizedSSHKeysSet(user, keys, flags);
      return true;
    },
  },
];
