/** blkdeviotune, as virsh 9.0's cmdBlkdeviotune runs it: print or change one disk's I/O limits. */
import { DomainModificationImpact, TypedParameterType as T, typedParams, type TypedParam } from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str, ullong } from '../opt';
import { scaled } from '../opt-numbers';
import { typedParamText } from '../typed-param-text';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;
const ULLONG_MAX = (1n << 64n) - 1n;

/** The options taking a byte rate with an optional unit, in virsh's order. */
const SCALED = ['total-bytes-sec', 'read-bytes-sec', 'write-bytes-sec', 'total-bytes-sec-max', 'read-bytes-sec-max', 'write-bytes-sec-max'];
/** The options taking a plain count, in virsh's order. */
const COUNTS = [
  'total-iops-sec',
  'read-iops-sec',
  'write-iops-sec',
  'total-iops-sec-max',
  'read-iops-sec-max',
  'write-iops-sec-max',
  'size-iops-sec',
  'total-bytes-sec-max-length',
  'read-bytes-sec-max-length',
  'write-bytes-sec-max-length',
  'total-iops-sec-max-length',
  'read-iops-sec-max-length',
  'write-iops-sec-max-length',
];

/** The limits given on the command line, as typed parameters named like the options. */
function limitParams(ctl: Ctl, opts: Opts): TypedParam[] {
  const params: TypedParam[] = [];
  const add = (opt: string, value: bigint | null) => {
    if (value !== null) params.push({ field: opt.replace(/-/g, '_'), type: T.VIR_TYPED_PARAM_ULLONG, value: Number(value) });
  };
  try {
    for (const opt of SCALED) add(opt, scaled(ctl, opts, opt, 1n, ULLONG_MAX));
    for (const opt of COUNTS) add(opt, ullong(ctl, opts, opt));
  } catch (e) {
    if (e instanceof CommandFailed) ctl.fail('Unable to parse integer parameter');
    throw e;
  }
  const group = str(ctl, opts, 'group-name');
  if (group !== null) params.push({ field: 'group_name', type: T.VIR_TYPED_PARAM_STRING, value: group });
  return params;
}

export const blkdeviotuneCommand: CmdDef = {
  name: 'blkdeviotune',
  group: 'domain',
  help: '',
  opts: [],
  handler: async (ctl, opts) => {
    exclusive(ctl, opts, 'current', 'live');
    exclusive(ctl, opts, 'current', 'config');
    const flags = (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const disk = req(ctl, opts, 'device');
    const params = limitParams(ctl, opts);
    if (params.length) {
      await ctl.attempt('Unable to change block I/O throttle', () => dom.setBlockIoTune(disk, typedParams(params), flags));
      return true;
    }
    // virsh counts the parameters first (no disk), so a bad flag or state fails here.
    await ctl.attempt('Unable to get number of block I/O throttle parameters', () => dom.getBlockIoTune(null, flags));
    const current = await ctl.attempt('Unable to get block I/O throttle parameters', () => dom.getBlockIoTune(disk, flags));
    for (const field of Object.keys(current)) ctl.print(`${field.padEnd(15)}: ${typedParamText(current, field, false)}\n`);
    return true;
  },
};
