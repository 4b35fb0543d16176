/** Saved state commands: save, restore, managedsave, managedsave-remove, with virsh's texts. */
import { DomainSaveRestoreFlags as S } from '@virtkit/core';
import { lookupDomain } from '../lookup';
import { flag, req, str } from '../opt';
import type { CmdDef, OptDef, Opts } from '../types';
import { DOMAIN_OPT, readXmlFile } from './shared-options';

const b = (name: string, help: string): OptDef => ({ name, type: 'bool', help });
const BYPASS = b('bypass-cache', 'avoid file system cache when saving');
const RUNNING = b('running', 'set domain to be running on restore');
const PAUSED = b('paused', 'set domain to be paused on restore');
const VERBOSE = b('verbose', 'display the progress of save');

/** --bypass-cache, --running, --paused as save/restore flags (libvirt, not virsh, refuses the last two together). */
function saveFlags(opts: Opts): number {
  let flags = 0;
  if (flag(opts, 'bypass-cache')) flags |= S.VIR_DOMAIN_SAVE_BYPASS_CACHE;
  if (flag(opts, 'running')) flags |= S.VIR_DOMAIN_SAVE_RUNNING;
  if (flag(opts, 'paused')) flags |= S.VIR_DOMAIN_SAVE_PAUSED;
  if (flag(opts, 'reset-nvram')) flags |= S.VIR_DOMAIN_SAVE_RESET_NVRAM;
  return flags;
}

export const saveCommands: CmdDef[] = [
  {
    name: 'save',
    group: 'domain',
    help: 'save a domain state to a file',
    opts: [
      DOMAIN_OPT,
      { name: 'file', type: 'string', required: true, help: 'where to save the data' },
      BYPASS,
      { name: 'xml', type: 'string', help: 'filename containing updated XML for the target' },
      RUNNING,
      PAUSED,
      VERBOSE,
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const file = req(ctl, opts, 'file');
      const flags = saveFlags(opts);
      const xmlFile = str(ctl, opts, 'xml');
      const xml = xmlFile === null ? null : readXmlFile(xmlFile);
      const name = dom.getName();
      await ctl.attempt(`Failed to save domain '${name}' to ${file}`, () =>
        flags || xml !== null ? dom.saveFlags(file, xml, flags) : dom.save(file),
      );
      ctl.printExtra(`\nDomain '${name}' saved to ${file}\n`);
      return true;
    },
  },
  {
    name: 'restore',
    group: 'domain',
    help: 'restore a domain from a saved state in a file',
    opts: [
      { name: 'file', type: 'string', required: true, help: 'the state to restore' },
      BYPASS,
      { name: 'xml', type: 'string', help: 'filename containing updated XML for the target' },
      RUNNING,
      PAUSED,
      b('reset-nvram', 're-initialize NVRAM from its pristine template'),
    ],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const flags = saveFlags(opts);
      const xmlFile = str(ctl, opts, 'xml');
      const xml = xmlFile === null ? null : readXmlFile(xmlFile);
      await ctl.attempt(`Failed to restore domain from ${file}`, () =>
        flags || xml !== null ? ctl.c.restoreFlags(file, xml, flags) : ctl.c.restore(file),
      );
      ctl.printExtra(`Domain restored from ${file}\n`);
      return true;
    },
  },
  {
    name: 'managedsave',
    group: 'domain',
    help: 'managed save of a domain state',
    opts: [DOMAIN_OPT, BYPASS, RUNNING, PAUSED, VERBOSE],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const flags = saveFlags(opts);
      const name = dom.getName();
      await ctl.attempt(`Failed to save domain '${name}' state`, () => dom.managedSave(flags));
      ctl.printExtra(`\nDomain '${name}' state saved by libvirt\n`);
      return true;
    },
  },
  {
    name: 'managedsave-remove',
    group: 'domain',
    help: 'Remove managed save of a domain',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const name = dom.getName();
      if (!(await dom.hasManagedSaveImage(0))) {
        ctl.printExtra(`Domain '${name}' has no manage save image; removal skipped`);
        return true;
      }
      await ctl.attempt(`Failed to remove managed save image for domain '${name}'`, () => dom.managedSaveRemove(0));
      ctl.printExtra(`Removed managedsave image for domain '${name}'`);
      return true;
    },
  },
];
