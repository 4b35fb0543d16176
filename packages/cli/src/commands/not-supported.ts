/** The handler of a virsh command vsh has no implementation for yet: it fails as virsh does on a driver without the API. */
import { VirError } from '@virtkit/core';
import type { CmdDef } from '../types';
import type { VirshCommand } from '../virsh-table';
import { lookupDomain } from '../lookup';
import { str } from '../opt';

/**
 * The API named where the table's first call is not the one virsh reports (qemu-monitor-command
 * uses the WithFiles variant only with --pass-fds), or where the handler reaches the API through
 * a helper the table extraction does not follow.
 */
const API_OVERRIDES: Record<string, string> = {
  'qemu-monitor-command': 'virDomainQemuMonitorCommand',
  console: 'virDomainOpenConsole',
  save: 'virDomainSaveFlags',
  managedsave: 'virDomainManagedSave',
  edit: 'virDomainDefineXMLFlags',
  'qemu-agent-command': 'virDomainQemuAgentCommand',
  'qemu-monitor-event': 'virConnectDomainQemuMonitorEventRegister',
  'qemu-attach': 'virDomainQemuAttach',
  // Both read the capabilities (which exist) for the page sizes before the call that is missing.
  freepages: 'virNodeGetFreePages',
  allocpages: 'virNodeAllocPages',
};

/** Lookup the domain first (virsh reports a missing domain before the missing API), then fail. */
export function notSupportedHandler(t: VirshCommand): CmdDef['handler'] {
  const api = API_OVERRIDES[t.name] ?? t.api ?? `vsh ${t.name}`;
  return async (ctl, opts) => {
    const domain = t.opts.some((o) => o.name === 'domain') ? str(ctl, opts, 'domain') : null;
    if (domain !== null) await lookupDomain(ctl, domain);
    throw VirError.noSupport(api);
  };
}
