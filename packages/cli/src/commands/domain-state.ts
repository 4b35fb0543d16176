/** inject-nmi, domrename, desc and metadata, as virsh 9.0's handlers run them (virsh-domain.c). */
import { DomainMetadataType as M, DomainModificationImpact, ErrorNumber } from '@virtkit/core';
import type { Ctl } from '../ctl';
import { isVirError } from '../errors';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import { multiValues } from '../parse';
import type { CmdDef, Opts } from '../types';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

/** --current/--live/--config as VIR_DOMAIN_AFFECT_* flags, with virsh's exclusions. */
function impact(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  return (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
}

export const domainStateCommands: CmdDef[] = [
  cmd('inject-nmi', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.injectNMI(0);
    return true;
  }),
  cmd('domrename', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.rename(req(ctl, opts, 'new-name'), 0);
    ctl.printExtra('Domain successfully renamed\n');
    return true;
  }),
  cmd('desc', async (ctl, opts) => {
    const title = flag(opts, 'title');
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    if (flag(opts, 'edit')) ctl.fail('vsh desc --edit is not supported yet');
    const type = title ? M.VIR_DOMAIN_METADATA_TITLE : M.VIR_DOMAIN_METADATA_DESCRIPTION;
    if (opts.has('new-desc')) {
      const desc = multiValues(opts, 'new-desc').join(' ');
      await ctl.attempt(title ? 'Failed to set new domain title' : 'Failed to set new domain description', () =>
        dom.setMetadata(type, desc, null, null, flags),
      );
      ctl.printExtra(title ? 'Domain title updated successfully' : 'Domain description updated successfully');
      return true;
    }
    let desc = '';
    try {
      // virsh reads with the --config choice only: --live reads the current definition.
      desc = await dom.getMetadata(type, null, flags & CONFIG);
    } catch (e) {
      // virshGetDomainDescription: no such metadata is an empty one.
      if (!isVirError(e) || e.code !== ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) throw e;
    }
    if (desc.length > 0) ctl.print(desc);
    else ctl.printExtra(`No ${title ? 'title' : 'description'} for domain: ${dom.getName()}`);
    return true;
  }),
  cmd('metadata', async (ctl, opts) => {
    exclusive(ctl, opts, 'edit', 'set');
    exclusive(ctl, opts, 'remove', 'set');
    exclusive(ctl, opts, 'remove', 'edit');
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const uri = req(ctl, opts, 'uri');
    const key = str(ctl, opts, 'key');
    const set = str(ctl, opts, 'set', true);
    const remove = flag(opts, 'remove');
    const edit = flag(opts, 'edit');
    if ((set !== null || edit) && key === null) ctl.fail('namespace key is required when modifying metadata');
    if (edit) ctl.fail('vsh metadata --edit is not supported yet');
    if (set !== null || remove) {
      await dom.setMetadata(M.VIR_DOMAIN_METADATA_ELEMENT, set, key, uri, flags);
      ctl.printExtra(remove ? 'Metadata removed\n' : 'Metadata modified\n');
      return true;
    }
    ctl.print(`${await dom.getMetadata(M.VIR_DOMAIN_METADATA_ELEMENT, uri, flags)}\n`);
    return true;
  }),
];
