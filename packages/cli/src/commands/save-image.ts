/**
 * save-image-dumpxml, save-image-define, save-image-edit, managedsave-dumpxml, managedsave-define
 * and managedsave-edit, as virsh 9.0's handlers run them: the domain XML inside a save image,
 * read, replaced, or edited in virsh's edit cycle (../edit-session.ts).
 */
import { DomainSaveImageXMLFlags, DomainSaveRestoreFlags as S } from '@virtkit/core';
import type { Ctl } from '../ctl';
import { editCycle } from '../edit-session';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req } from '../opt';
import type { CmdDef, Opts } from '../types';
import { printXml } from '../xml-dump';
import { readXmlFile } from './shared-options';

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

const secure = (opts: Opts) => (flag(opts, 'security-info') ? DomainSaveImageXMLFlags.VIR_DOMAIN_SAVE_IMAGE_XML_SECURE : 0);

/** --running and --paused as the saved state to restore into. */
function stateFlags(opts: Opts): number {
  return (flag(opts, 'running') ? S.VIR_DOMAIN_SAVE_RUNNING : 0) | (flag(opts, 'paused') ? S.VIR_DOMAIN_SAVE_PAUSED : 0);
}

async function managedSaveDefine(ctl: Ctl, opts: Opts): Promise<boolean> {
  exclusive(ctl, opts, 'running', 'paused');
  const xml = readXmlFile(req(ctl, opts, 'xml'));
  const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
  const name = dom.getName();
  await ctl.attempt(`Failed to update ${name} XML configuration`, () => dom.managedSaveDefineXML(xml, stateFlags(opts)));
  ctl.printExtra(`Managed save state file of domain '${name}' updated.\n`);
  return true;
}

/**
 * The edit cycle over one image. The callers refuse --running with --paused up front, as virsh
 * does: the define step would fail on them each time, and the cycle would offer to retry forever.
 */
async function editImage(
  ctl: Ctl,
  opts: Opts,
  image: { getXml: () => Promise<string>; define: (doc: string, flags: number) => Promise<void> },
): Promise<'unchanged' | 'edited' | 'failed'> {
  const flags = stateFlags(opts);
  const r = await editCycle(ctl, { getXml: image.getXml, define: (doc) => image.define(doc, flags), notChanged: () => true });
  return r.done === 'unchanged' ? 'unchanged' : r.done === 'failed' ? 'failed' : 'edited';
}

const EDIT_XML_FLAGS = DomainSaveImageXMLFlags.VIR_DOMAIN_SAVE_IMAGE_XML_SECURE;

async function saveImageEdit(ctl: Ctl, opts: Opts): Promise<boolean> {
  exclusive(ctl, opts, 'running', 'paused');
  const file = req(ctl, opts, 'file');
  const done = await editImage(ctl, opts, {
    getXml: () => ctl.c.saveImageGetXMLDesc(file, EDIT_XML_FLAGS),
    define: (doc, flags) => ctl.c.saveImageDefineXML(file, doc, flags),
  });
  if (done === 'failed') return false;
  ctl.printExtra(done === 'unchanged' ? `Saved image ${file} XML configuration not changed.\n` : `State file ${file} edited.\n`);
  return true;
}

async function managedSaveEdit(ctl: Ctl, opts: Opts): Promise<boolean> {
  exclusive(ctl, opts, 'running', 'paused');
  const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
  const name = dom.getName();
  const done = await editImage(ctl, opts, {
    getXml: () => dom.managedSaveGetXMLDesc(EDIT_XML_FLAGS),
    define: (doc, flags) => dom.managedSaveDefineXML(doc, flags),
  });
  if (done === 'failed') return false;
  ctl.printExtra(
    done === 'unchanged'
      ? `Managed save image of domain '${name}' XML configuration not changed.\n`
      : `Managed save image of Domain '${name}' XML configuration edited.\n`,
  );
  return true;
}

export const saveImageCommands: CmdDef[] = [
  cmd('save-image-dumpxml', async (ctl, opts) =>
    printXml(ctl, opts, await ctl.c.saveImageGetXMLDesc(req(ctl, opts, 'file'), secure(opts))),
  ),
  cmd('save-image-define', async (ctl, opts) => {
    const file = req(ctl, opts, 'file');
    const xml = readXmlFile(req(ctl, opts, 'xml'));
    await ctl.attempt(`Failed to update ${file}`, () => ctl.c.saveImageDefineXML(file, xml, stateFlags(opts)));
    ctl.printExtra(`State file ${file} updated.\n`);
    return true;
  }),
  cmd('managedsave-dumpxml', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    return printXml(ctl, opts, await dom.managedSaveGetXMLDesc(secure(opts)));
  }),
  cmd('managedsave-define', managedSaveDefine),
  cmd('save-image-edit', saveImageEdit),
  cmd('managedsave-edit', managedSaveEdit),
];
