/** domblkthreshold and domblkerror, as virsh 9.0's cmdDomblkthreshold and cmdDomBlkError run them. */
import { DomainDiskErrorCode as E } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { req } from '../opt';
import { scaled } from '../opt-numbers';

const ULLONG_MAX = (1n << 64n) - 1n;

/** virshDomainIOError: the text of each virDomainDiskErrorCode. */
const IO_ERROR_TEXT: Record<number, string> = {
  [E.VIR_DOMAIN_DISK_ERROR_NONE]: 'no error',
  [E.VIR_DOMAIN_DISK_ERROR_UNSPEC]: 'unspecified error',
  [E.VIR_DOMAIN_DISK_ERROR_NO_SPACE]: 'no space',
};

export const diskWatchCommands: CmdDef[] = [
  {
    name: 'domblkthreshold',
    group: 'domain',
    help: '',
    opts: [],
    handler: async (ctl, opts) => {
      const dev = req(ctl, opts, 'dev');
      const threshold = scaled(ctl, opts, 'threshold', 1n, ULLONG_MAX)!;
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      await dom.setBlockThreshold(dev, threshold <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(threshold) : threshold, 0);
      return true;
    },
  },
  {
    name: 'domblkerror',
    group: 'monitor',
    help: '',
    opts: [],
    handler: async (ctl, opts) => {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const errors = await dom.getDiskErrors(0);
      if (errors.length === 0) ctl.print('No errors found\n');
      for (const e of errors) ctl.print(`${e.disk}: ${IO_ERROR_TEXT[e.error] ?? 'unknown error'}\n`);
      return true;
    },
  },
];
