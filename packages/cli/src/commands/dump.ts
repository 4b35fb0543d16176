/** dump, as virsh 9.0's cmdDump runs it: the domain's core (or memory only, in a format) to a file. */
import { DomainCoreDumpFlags as D, DomainCoreDumpFormat as F } from '@virtkit/core';
import { lookupDomain } from '../lookup';
import { flag, req } from '../opt';
import type { CmdDef } from '../types';

/** virshDomainCoreDumpFormat: the names --format takes, by DomainCoreDumpFormat value. */
const FORMATS: Record<string, number> = {
  elf: F.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW,
  'kdump-zlib': F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB,
  'kdump-lzo': F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO,
  'kdump-snappy': F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY,
  'win-dmp': F.VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP,
};

const OPTION_FLAGS: ReadonlyArray<[opt: string, flag: number]> = [
  ['live', D.VIR_DUMP_LIVE],
  ['crash', D.VIR_DUMP_CRASH],
  ['bypass-cache', D.VIR_DUMP_BYPASS_CACHE],
  ['reset', D.VIR_DUMP_RESET],
  ['memory-only', D.VIR_DUMP_MEMORY_ONLY],
];

export const dumpCommand: CmdDef = {
  name: 'dump',
  group: 'domain',
  help: '',
  opts: [],
  handler: async (ctl, opts) => {
    const to = req(ctl, opts, 'file');
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const flags = OPTION_FLAGS.reduce((acc, [opt, bit]) => (flag(opts, opt) ? acc | bit : acc), 0);
    let format = F.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW as number;
    if (flag(opts, 'format')) {
      if (!(flags & D.VIR_DUMP_MEMORY_ONLY)) ctl.fail('--format only works with --memory-only');
      const name = opts.get('format');
      if (typeof name === 'string' && name !== '') {
        format = FORMATS[name] ?? -1;
        if (format < 0) {
          ctl.fail(`format '${name}' is not supported, expecting 'kdump-zlib', 'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'`);
        }
      }
    }
    const name = dom.getName();
    await ctl.attempt(`Failed to core dump domain '${name}' to ${to}`, () =>
      format !== F.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW ? dom.coreDumpWithFormat(to, format, flags) : dom.coreDump(to, flags),
    );
    ctl.printExtra(`\nDomain '${name}' dumped to ${to}\n`);
    return true;
  },
};
