/**
 * The guest agent calls of the QEMU driver (libvirt's qemuDomainQemuAgentCommand, GetHostname,
 * GetTime, SetTime, FSFreeze, FSThaw, GetFSInfo, SetUserPassword, GetGuestInfo,
 * AuthorizedSSHKeysGet/Set) and the hooks
 * that follow the agent's channel as the guest opens and closes it.
 */
import {
  DomainAuthorizedSSHKeysSetFlags as K,
  DomainGetHostnameFlags as H,
  DomainQemuAgentCommandTimeoutValues as TO,
  DomainSetTimeFlags,
  DomainSetUserPasswordFlags,
  ErrorNumber,
  VirError,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import { DomainTaintFlag } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { taintDomain } from '../taint/extension';
import { checkFlags, FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { agentStopped, availableAgent, portChanged, refreshChannels } from './channel';
import { compactJson } from './client';
import {
  agentFSFreeze,
  agentFSThaw,
  agentGetTime,
  agentHostname,
  agentSetTime,
  agentSetUserPassword,
  agentSSHAddAuthorizedKeys,
  agentSSHGetAuthorizedKeys,
  agentSSHRemoveAuthorizedKeys,
} from './commands';
import { fsInfoRecords, guestInfo, guestInfoTypes } from './guest-info';

type AgentMethods = Pick<
  Required<DriverConnection>,
  | 'domainQemuAgentCommand'
  | 'domainGetHostname'
  | 'domainGetTime'
  | 'domainSetTime'
  | 'domainFSFreeze'
  | 'domainFSThaw'
  | 'domainGetFSInfo'
  | 'domainSetUserPassword'
  | 'domainGetGuestInfo'
  | 'domainAuthorizedSSHKeysGet'
  | 'domainAuthorizedSSHKeysSet'
>;

export const agentHooks: QemuDriverExtension = (driver) => {
  const quietly = (p: Promise<void>) => void p.catch(() => undefined);
  driver.addHooks({
    started: (obj) => quietly(refreshChannels(driver, obj, true)),
    reconnected: (obj) => refreshChannels(driver, obj, false).catch(() => undefined),
    stopped: (obj) => agentStopped(obj),
    qmpEvent: (obj, ev) => {
      if (ev.event !== 'VSERPORT_CHANGE') return;
      quietly(portChanged(driver, obj, String(ev.data.id), ev.data.open === true));
    },
  });
};

/** The domain, for a call that needs its running agent. */
function withAgent(driver: QemuDriver, ref: DomainRef): QemuDomainObj {
  const obj = driver.domains.get(ref);
  availableAgent(obj);
  return obj;
}

/** virJSONValueFromString's error for a command that is not JSON. */
function parseCommand(cmd: string): void {
  try {
    JSON.parse(cmd);
  } catch (e) {
    throw VirError.internal(`cannot parse json ${cmd}: ${(e as Error).message}`, FROM_QEMU);
  }
}

export const agentMethods: QemuConnectionExtension = (driver): AgentMethods => ({
  async domainQemuAgentCommand(dom, cmd, timeout, flags) {
    checkFlags(flags, 0, 'qemuDomainQemuAgentCommand');
    const agent = availableAgent(withAgent(driver, dom));
    if (timeout < TO.VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INVALID_ARG,
        FROM_QEMU,
        `guest agent timeout '${timeout}' is less than the minimum '${TO.VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK}'`,
      );
    }
    parseCommand(cmd);
    taintDomain(driver.domains.get(dom), DomainTaintFlag.CUSTOM_GA_COMMAND);
    const reply = await agent.callText(cmd, timeout);
    return compactJson(reply.text);
  },

  async domainGetHostname(dom, flags) {
    checkFlags(flags, H.VIR_DOMAIN_GET_HOSTNAME_LEASE | H.VIR_DOMAIN_GET_HOSTNAME_AGENT, 'qemuDomainGetHostname');
    if (flags & H.VIR_DOMAIN_GET_HOSTNAME_LEASE && flags & H.VIR_DOMAIN_GET_HOSTNAME_AGENT) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INVALID_ARG,
        FROM_QEMU,
        "Flags 'VIR_DOMAIN_GET_HOSTNAME_LEASE' and 'VIR_DOMAIN_GET_HOSTNAME_AGENT' are mutually exclusive",
      );
    }
    const obj = driver.domains.get(dom);
    if (flags & H.VIR_DOMAIN_GET_HOSTNAME_LEASE) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        FROM_QEMU,
        'the DHCP lease source of host names is not supported by this driver yet',
      );
    }
    const agent = availableAgent(obj);
    // libvirt ignores the agent's failure here and reports that no name was found.
    const name = await agentHostname(agent).catch(() => undefined);
    if (!name) throw VirError.create(ErrorNumber.VIR_ERR_NO_HOSTNAME, FROM_QEMU, `no hostname found for domain ${obj.name}`);
    return name;
  },

  async domainGetTime(dom, flags) {
    checkFlags(flags, 0, 'qemuDomainGetTime');
    return agentGetTime(availableAgent(withAgent(driver, dom)));
  },

  async domainSetTime(dom, seconds, nseconds, flags) {
    checkFlags(flags, DomainSetTimeFlags.VIR_DOMAIN_TIME_SYNC, 'qemuDomainSetTime');
    const obj = withAgent(driver, dom);
    const caps = await driver.caps();
    // On x86 the RTC's lost-tick reinjection must be reset after the guest clock jumps.
    if (obj.def.os.arch && /^(i686|x86_64)$/.test(obj.def.os.arch) && !caps.flags.has('rtc-reset-reinjection')) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
        FROM_QEMU,
        "cannot set time: qemu doesn't support rtc-reset-reinjection command",
      );
    }
    await agentSetTime(availableAgent(obj), seconds, nseconds, (flags & DomainSetTimeFlags.VIR_DOMAIN_TIME_SYNC) !== 0);
    if (caps.flags.has('rtc-reset-reinjection')) {
      await driver.withJob(obj, 'modify', 'virDomainSetTime', () => obj.monitor().execute('rtc-reset-reinjection'));
    }
  },

  async domainFSFreeze(dom, mountpoints, flags) {
    checkFlags(flags, 0, 'qemuDomainFSFreeze');
    return agentFSFreeze(availableAgent(withAgent(driver, dom)), mountpoints);
  },

  async domainFSThaw(dom, mountpoints, flags) {
    checkFlags(flags, 0, 'qemuDomainFSThaw');
    if (mountpoints.length)
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, FROM_QEMU, 'specifying mountpoints is not supported');
    return agentFSThaw(availableAgent(withAgent(driver, dom)));
  },

  async domainGetFSInfo(dom, flags) {
    checkFlags(flags, 0, 'qemuDomainGetFSInfo');
    const obj = withAgent(driver, dom);
    return fsInfoRecords(availableAgent(obj), obj.def);
  },

  async domainSetUserPassword(dom, user, password, flags) {
    checkFlags(flags, DomainSetUserPasswordFlags.VIR_DOMAIN_PASSWORD_ENCRYPTED, 'qemuDomainSetUserPassword');
    const agent = availableAgent(withAgent(driver, dom));
    await agentSetUserPassword(agent, user, password, (flags & DomainSetUserPasswordFlags.VIR_DOMAIN_PASSWORD_ENCRYPTED) !== 0);
  },

  async domainGetGuestInfo(dom, types, flags) {
    checkFlags(flags, 0, 'qemuDomainGetGuestInfo');
    guestInfoTypes(types);
    const obj = withAgent(driver, dom);
    return guestInfo(availableAgent(obj), obj.def, types);
  },

  async domainAuthorizedSSHKeysGet(dom, user, flags) {
    checkFlags(flags, 0, 'qemuDomainAuthorizedSSHKeysGet');
    return agentSSHGetAuthorizedKeys(availableAgent(withAgent(driver, dom)), user);
  },

  async domainAuthorizedSSHKeysSet(dom, user, keys, flags) {
    const append = K.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND;
    const remove = K.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE;
    // virDomainAuthorizedSSHKeysSet's own check (libvirt makes it in the library, before any driver).
    if (flags & append && flags & remove) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INVALID_ARG,
        FROM_QEMU,
        "Flags 'VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND' and 'VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE' are mutually exclusive",
      );
    }
    checkFlags(flags, append | remove, 'qemuDomainAuthorizedSSHKeysSet');
    const agent = availableAgent(withAgent(driver, dom));
    if (flags & remove) await agentSSHRemoveAuthorizedKeys(agent, user, keys);
    // Without APPEND the keys replace the file: the agent resets it first.
    else await agentSSHAddAuthorizedKeys(agent, user, keys, !(flags & append));
  },
});
