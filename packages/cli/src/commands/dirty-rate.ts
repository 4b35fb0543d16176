/** domdirtyrate-calc, as virsh 9.0's cmdDomDirtyRateCalc runs it. */
import { DomainDirtyRateCalcFlags as D } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { req, str } from '../opt';
import { int } from '../opt-numbers';

/** virshDomainDirtyRateCalcMode: the --mode names and their flags. */
const MODES: Record<string, number> = {
  'page-sampling': D.VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING,
  'dirty-bitmap': D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP,
  'dirty-ring': D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING,
};

export const dirtyRateCommands: CmdDef[] = [
  {
    name: 'domdirtyrate-calc',
    group: 'domain',
    help: '',
    opts: [],
    handler: async (ctl, opts) => {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const seconds = int(ctl, opts, 'seconds') ?? 1;
      const mode = str(ctl, opts, 'mode');
      const flags = mode === null ? 0 : MODES[mode];
      if (flags === undefined) ctl.fail(`Unknown calculation mode '${mode}'`);
      await dom.startDirtyRateCalc(seconds, flags);
      ctl.printExtra("Start to calculate domain's memory dirty rate successfully.\n");
      return true;
    },
  },
];
