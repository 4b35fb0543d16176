/** Domain lifecycle commands: define, undefine, create, start, shutdown, destroy, suspend, resume, reboot, reset, autostart. */
import * as fs from 'node:fs';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import type { VDomain } from '../api';
import { VirError, ErrorNumber, ErrorDomain } from '@virtkit/core';
import { lookupDomain } from '../lookup';
import { flag, req } from '../opt';
import { DOMAIN_OPT } from './domain-info';

/** Read an XML file as virsh's virFileReadAll does, failing with its message. */
export function readXmlFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason: Record<string, string> = {
      ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
    };
    throw new VirError({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR, domain: ErrorDomain.VIR_FROM_NONE,
      message: `Failed to open file '${path}': ${reason[err.code ?? ''] ?? err.message}`,
    });
  }
}

/** A command that finds a domain, runs one call, and prints virsh's success or failure line. */
function simple(
  name: string, help: string, call: (dom: VDomain, opts: Opts) => Promise<void>,
  ok: string, failed: string, extraOpts: CmdDef['opts'] = [],
): CmdDef {
  return {
    name, group: 'domain', help, opts: [DOMAIN_OPT, ...extraOpts],
    async handler(ctl: Ctl, opts: Opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.name();
      await ctl.attempt(failed.replace('%s', n), () => call(dom, opts));
      ctl.printExtra(`${ok.replace('%s', n)}\n`);
      return true;
    },
  };
}

/** True when the listing has entries; false when it is empty or unsupported. */
async function hasAny(list: () => Promise<unknown[]>): Promise<boolean> {
  try {
    return (await list()).length > 0;
  } catch {
    return false;
  }
}

/** virDomainUndefineFlags bits. */
const U = { MANAGED_SAVE: 1, SNAPSHOTS_METADATA: 2, NVRAM: 4, KEEP_NVRAM: 8, CHECKPOINTS_METADATA: 16 };

export const domainLifecycleCommands: CmdDef[] = [
  {
    name: 'define', group: 'domain', help: 'define (but don\'t start) a domain from an XML file',
    opts: [{ name: 'file', type: 'string', required: true }, { name: 'validate', type: 'bool' }],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const dom = await ctl.attempt(`Failed to define domain from ${file}`, () => ctl.c.defineXML(xml));
      ctl.printExtra(`Domain '${dom.name()}' defined from ${file}\n`);
      return true;
    },
  },
  {
    name: 'create', group: 'domain', help: 'create a domain from an XML file',
    opts: [{ name: 'file', type: 'string', required: true }, { name: 'console', type: 'bool' },
      { name: 'paused', type: 'bool' }, { name: 'autodestroy', type: 'bool' }, { name: 'validate', type: 'bool' }],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      let flags = 0;
      if (flag(opts, 'paused')) flags |= 1;
      if (flag(opts, 'autodestroy')) flags |= 2;
      if (flag(opts, 'validate')) flags |= 4;
      const dom = await ctl.attempt(`Failed to create domain from ${file}`, () => ctl.c.createXML(xml, flags));
      ctl.printExtra(`Domain '${dom.name()}' created from ${file}\n`);
      return true;
    },
  },
  {
    name: 'undefine', group: 'domain', help: 'undefine a domain',
    opts: [DOMAIN_OPT, { name: 'managed-save', type: 'bool' }, { name: 'snapshots-metadata', type: 'bool' },
      { name: 'checkpoints-metadata', type: 'bool' }, { name: 'nvram', type: 'bool' }, { name: 'keep-nvram', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.name();
      let flags = 0;
      if (flag(opts, 'managed-save')) flags |= U.MANAGED_SAVE;
      // virsh asks for the metadata flags only when the domain has such metadata
      if (flag(opts, 'snapshots-metadata') && await hasAny(() => dom.listAllSnapshots(2))) flags |= U.SNAPSHOTS_METADATA;
      if (flag(opts, 'checkpoints-metadata') && await hasAny(() => dom.listAllCheckpoints(0))) flags |= U.CHECKPOINTS_METADATA;
      if (flag(opts, 'nvram')) flags |= U.NVRAM;
      if (flag(opts, 'keep-nvram')) flags |= U.KEEP_NVRAM;
      await ctl.attempt(`Failed to undefine domain '${n}'`, () => dom.undefine(flags));
      ctl.printExtra(`Domain '${n}' has been undefined\n`);
      return true;
    },
  },
  {
    name: 'start', group: 'domain', help: 'start a (previously defined) inactive domain',
    opts: [DOMAIN_OPT, { name: 'console', type: 'bool' }, { name: 'paused', type: 'bool' },
      { name: 'autodestroy', type: 'bool' }, { name: 'bypass-cache', type: 'bool' }, { name: 'force-boot', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { name: true, uuid: true });
      if (dom.id() !== -1) ctl.fail('Domain is already active');
      const n = dom.name();
      await ctl.attempt(`Failed to start domain '${n}'`, () => dom.start());
      ctl.printExtra(`Domain '${n}' started\n`);
      return true;
    },
  },
  simple('shutdown', 'gracefully shutdown a domain', (d) => d.shutdown(), "Domain '%s' is being shutdown",
    "Failed to shutdown domain '%s'", [{ name: 'mode', type: 'string' }]),
  simple('destroy', 'destroy (stop) a domain', (d) => d.destroy(), "Domain '%s' destroyed",
    "Failed to destroy domain '%s'", [{ name: 'graceful', type: 'bool' }]),
  simple('suspend', 'suspend a domain', (d) => d.suspend(), "Domain '%s' suspended", "Failed to suspend domain '%s'"),
  simple('resume', 'resume a domain', (d) => d.resume(), "Domain '%s' resumed", "Failed to resume domain '%s'"),
  simple('reboot', 'reboot a domain', (d) => d.reboot(0), "Domain '%s' is being rebooted",
    "Failed to reboot domain '%s'", [{ name: 'mode', type: 'string' }]),
  simple('reset', 'reset a domain', (d) => d.reset(0), "Domain '%s' was reset", "Failed to reset domain '%s'"),
  {
    name: 'autostart', group: 'domain', help: 'autostart a domain', opts: [DOMAIN_OPT, { name: 'disable', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.name();
      const on = !flag(opts, 'disable');
      await ctl.attempt(on ? `Failed to mark domain '${n}' as autostarted` : `Failed to unmark domain '${n}' as autostarted`,
        () => dom.setAutostart(on));
      ctl.printExtra(on ? `Domain '${n}' marked as autostarted\n` : `Domain '${n}' unmarked as autostarted\n`);
      return true;
    },
  },
];
