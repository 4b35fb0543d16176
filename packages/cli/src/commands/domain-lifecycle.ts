/**
 * Domain lifecycle commands: define, create, start, shutdown, destroy, suspend, resume, reboot, reset, autostart,
 * dompmsuspend, dompmwakeup.
 */
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { DomainCreateFlags, ErrorNumber, NodeSuspendTarget, type Domain } from '@virtkit/core';
import { lookupDomain } from '../lookup';
import { flag, req, str } from '../opt';
import { isVirError } from '../errors';
import { DOMAIN_OPT, readXmlFile } from './shared-options';

/** dompmsuspend's targets. */
const PM_TARGETS: Record<string, number> = {
  mem: NodeSuspendTarget.VIR_NODE_SUSPEND_TARGET_MEM,
  disk: NodeSuspendTarget.VIR_NODE_SUSPEND_TARGET_DISK,
  hybrid: NodeSuspendTarget.VIR_NODE_SUSPEND_TARGET_HYBRID,
};

/** A command that finds a domain, runs one call, and prints virsh's success or failure line. */
function simple(
  name: string,
  help: string,
  call: (dom: Domain, opts: Opts) => Promise<void>,
  ok: string,
  failed: string,
  extraOpts: CmdDef['opts'] = [],
): CmdDef {
  return {
    name,
    group: 'domain',
    help,
    opts: [DOMAIN_OPT, ...extraOpts],
    async handler(ctl: Ctl, opts: Opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.getName();
      await ctl.attempt(failed.replace('%s', n), () => call(dom, opts));
      ctl.printExtra(`${ok.replace('%s', n)}\n`);
      return true;
    },
  };
}

const START_FLAGS: Array<[string, DomainCreateFlags]> = [
  ['paused', DomainCreateFlags.VIR_DOMAIN_START_PAUSED],
  ['autodestroy', DomainCreateFlags.VIR_DOMAIN_START_AUTODESTROY],
  ['bypass-cache', DomainCreateFlags.VIR_DOMAIN_START_BYPASS_CACHE],
  ['force-boot', DomainCreateFlags.VIR_DOMAIN_START_FORCE_BOOT],
];

const FORCE_BOOT = DomainCreateFlags.VIR_DOMAIN_START_FORCE_BOOT;

/** Start `dom`: virDomainCreate without flags, else virDomainCreateWithFlags. */
async function create(dom: Domain, flags: number): Promise<void> {
  return flags === 0 ? dom.create() : dom.createWithFlags(flags);
}

/**
 * virsh's start: a driver that refuses --force-boot gets it emulated — a plain start, which
 * boots afresh when there is no managed save image. Discarding an image first would need
 * virDomainManagedSaveRemove, which the API lacks, so then the refusal stands.
 */
async function startDomain(dom: Domain, flags: number): Promise<void> {
  try {
    await create(dom, flags);
  } catch (e) {
    const refused = isVirError(e) && (e.code === ErrorNumber.VIR_ERR_NO_SUPPORT || e.code === ErrorNumber.VIR_ERR_INVALID_ARG);
    if (!(flags & FORCE_BOOT) || !refused || (await dom.hasManagedSaveImage().catch(() => false))) throw e;
    await create(dom, flags & ~FORCE_BOOT);
  }
}

export const domainLifecycleCommands: CmdDef[] = [
  {
    name: 'define',
    group: 'domain',
    help: "define (but don't start) a domain from an XML file",
    opts: [
      { name: 'file', type: 'string', required: true },
      { name: 'validate', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const dom = await ctl.attempt(`Failed to define domain from ${file}`, () => ctl.c.defineXML(xml));
      ctl.printExtra(`Domain '${dom.getName()}' defined from ${file}\n`);
      return true;
    },
  },
  {
    name: 'create',
    group: 'domain',
    help: 'create a domain from an XML file',
    opts: [
      { name: 'file', type: 'string', required: true },
      { name: 'console', type: 'bool' },
      { name: 'paused', type: 'bool' },
      { name: 'autodestroy', type: 'bool' },
      { name: 'validate', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      let flags = 0;
      if (flag(opts, 'paused')) flags |= DomainCreateFlags.VIR_DOMAIN_START_PAUSED;
      if (flag(opts, 'autodestroy')) flags |= DomainCreateFlags.VIR_DOMAIN_START_AUTODESTROY;
      if (flag(opts, 'validate')) flags |= DomainCreateFlags.VIR_DOMAIN_START_VALIDATE;
      const dom = await ctl.attempt(`Failed to create domain from ${file}`, () => ctl.c.createXML(xml, flags));
      ctl.printExtra(`Domain '${dom.getName()}' created from ${file}\n`);
      return true;
    },
  },
  {
    name: 'start',
    group: 'domain',
    help: 'start a (previously defined) inactive domain',
    opts: [
      DOMAIN_OPT,
      { name: 'console', type: 'bool' },
      { name: 'paused', type: 'bool' },
      { name: 'autodestroy', type: 'bool' },
      { name: 'bypass-cache', type: 'bool' },
      { name: 'force-boot', type: 'bool' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'), { name: true, uuid: true });
      if (dom.getID() !== -1) ctl.fail('Domain is already active');
      const n = dom.getName();
      let flags = 0;
      for (const [name, bit] of START_FLAGS) if (flag(opts, name)) flags |= bit;
      await ctl.attempt(`Failed to start domain '${n}'`, () => startDomain(dom, flags));
      ctl.printExtra(`Domain '${n}' started\n`);
      return true;
    },
  },
  simple(
    'shutdown',
    'gracefully shutdown a domain',
    (d) => d.shutdown(),
    "Domain '%s' is being shutdown",
    "Failed to shutdown domain '%s'",
    [{ name: 'mode', type: 'string' }],
  ),
  simple('destroy', 'destroy (stop) a domain', (d) => d.destroy(), "Domain '%s' destroyed", "Failed to destroy domain '%s'", [
    { name: 'graceful', type: 'bool' },
  ]),
  simple('suspend', 'suspend a domain', (d) => d.suspend(), "Domain '%s' suspended", "Failed to suspend domain '%s'"),
  simple('resume', 'resume a domain', (d) => d.resume(), "Domain '%s' resumed", "Failed to resume domain '%s'"),
  simple('reboot', 'reboot a domain', (d) => d.reboot(), "Domain '%s' is being rebooted", "Failed to reboot domain '%s'", [
    { name: 'mode', type: 'string' },
  ]),
  simple('reset', 'reset a domain', (d) => d.reset(), "Domain '%s' was reset", "Failed to reset domain '%s'"),
  {
    name: 'dompmsuspend',
    group: 'domain',
    help: 'suspend a domain gracefully using power management functions',
    opts: [DOMAIN_OPT, { name: 'target', type: 'string', required: true }, { name: 'duration', type: 'string' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      // vshCommandOptULongLong: digits only.
      const d = str(ctl, opts, 'duration');
      if (d !== null && !/^\s*\+?\d+$/.test(d)) ctl.fail(`Numeric value '${d}' for <duration> option is malformed or out of range`);
      const target = PM_TARGETS[req(ctl, opts, 'target')];
      if (target === undefined) ctl.fail('Invalid target');
      const n = dom.getName();
      await ctl.attempt(`Domain '${n}' could not be suspended`, () => dom.PMSuspendForDuration(target, BigInt(d ?? 0), 0));
      ctl.printExtra(`Domain '${n}' successfully suspended`);
      return true;
    },
  },
  {
    name: 'dompmwakeup',
    group: 'domain',
    help: 'wakeup a domain from pmsuspended state',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.getName();
      await ctl.attempt(`Domain '${n}' could not be woken up`, () => dom.PMWakeup(0));
      // virsh's message has no newline of its own (the blank line after a command follows it).
      ctl.printExtra(`Domain '${n}' successfully woken up`);
      return true;
    },
  },
  {
    name: 'autostart',
    group: 'domain',
    help: 'autostart a domain',
    opts: [DOMAIN_OPT, { name: 'disable', type: 'bool' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const n = dom.getName();
      const on = !flag(opts, 'disable');
      await ctl.attempt(on ? `Failed to mark domain '${n}' as autostarted` : `Failed to unmark domain '${n}' as autostarted`, () =>
        dom.setAutostart(on),
      );
      ctl.printExtra(on ? `Domain '${n}' marked as autostarted\n` : `Domain '${n}' unmarked as autostarted\n`);
      return true;
    },
  },
];
