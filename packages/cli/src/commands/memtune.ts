/** memtune, numatune and perf, as virsh 9.0's cmdMemtune, cmdNumatune and cmdPerf run them. */
import { DomainModificationImpact, TypedParameterType as T, typedParams, type TypedParam, type TypedParams } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import { parseScaledSize } from '../format';
import { typedParamText } from '../typed-param-text';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED. */
const UNLIMITED = 9007199254740991;
const NUMA_MODES = ['strict', 'preferred', 'interleave', 'restrictive'];

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

function impact(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  return (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
}

const line = (field: string, value: string) => `${field.padEnd(15)}: ${value}\n`;

/** virshMemtuneGetSize: KiB rounded up, a negative value meaning unlimited. */
function memtuneSize(ctl: Ctl, opts: Opts, name: string): number | null {
  const v = str(ctl, opts, name);
  if (v === null) return null;
  if (/^-\d+$/.test(v)) return UNLIMITED;
  const bytes = parseScaledSize(v, 1024);
  if (bytes === null) ctl.fail(`Unable to parse integer parameter ${name}`);
  return Math.ceil(bytes / 1024);
}

/** Print the parameters, or change them: the shape every *tune command shares. */
async function getOrSet(
  ctl: Ctl,
  params: TypedParam[],
  what: string,
  get: () => Promise<TypedParams>,
  set: (p: TypedParams) => Promise<void>,
  text: (p: TypedParams, field: string) => string,
): Promise<boolean> {
  if (params.length) {
    await ctl.attempt(`Unable to change ${what} parameters`, () => set(typedParams(params)));
    return true;
  }
  const current = await ctl.attempt(`Unable to get number of ${what === 'numa' ? 'memory' : what} parameters`, get);
  for (const field of Object.keys(current)) ctl.print(line(field, text(current, field)));
  return true;
}

const PERF_MAX = 64;

export const memtuneCommands: CmdDef[] = [
  cmd('memtune', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const params: TypedParam[] = [];
    for (const [opt, field] of [
      ['hard-limit', 'hard_limit'],
      ['soft-limit', 'soft_limit'],
      ['swap-hard-limit', 'swap_hard_limit'],
      ['min-guarantee', 'min_guarantee'],
    ]) {
      const v = memtuneSize(ctl, opts, opt);
      if (v !== null) params.push({ field, type: T.VIR_TYPED_PARAM_ULLONG, value: v });
    }
    return getOrSet(
      ctl,
      params,
      'memory',
      () => dom.getMemoryParameters(flags),
      (p) => dom.setMemoryParameters(p, flags),
      (p, f) => (Number(p[f]) >= UNLIMITED ? 'unlimited' : typedParamText(p, f, false)),
    );
  }),
  cmd('numatune', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const params: TypedParam[] = [];
    const nodeset = str(ctl, opts, 'nodeset');
    if (nodeset !== null) params.push({ field: 'numa_nodeset', type: T.VIR_TYPED_PARAM_STRING, value: nodeset });
    const mode = str(ctl, opts, 'mode');
    if (mode !== null) {
      let m = NUMA_MODES.indexOf(mode);
      if (m < 0) {
        if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(mode)) ctl.fail(`Invalid mode: ${mode}`);
        m = Number(mode);
      }
      params.push({ field: 'numa_mode', type: T.VIR_TYPED_PARAM_INT, value: m });
    }
    return getOrSet(
      ctl,
      params,
      'numa',
      () => dom.getNumaParameters(flags),
      (p) => dom.setNumaParameters(p, flags),
      (p, f) => (f === 'numa_mode' ? (NUMA_MODES[Number(p[f])] ?? '') : typedParamText(p, f, false)),
    );
  }),
  cmd('perf', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const params: TypedParam[] = [];
    for (const [opt, on] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      const list = str(ctl, opts, opt);
      for (const name of list?.split(',') ?? []) params.push({ field: name, type: T.VIR_TYPED_PARAM_BOOLEAN, value: on });
    }
    const status = (p: TypedParams) => {
      for (const field of Object.keys(p).slice(0, PERF_MAX)) ctl.print(line(field, p[field] === true ? 'enabled' : 'disabled'));
    };
    if (params.length) {
      const set = typedParams(params);
      await ctl.attempt('Unable to enable/disable perf events', () => dom.setPerfEvents(set, flags));
      status(set);
      return true;
    }
    status(await ctl.attempt('Unable to get perf events', () => dom.getPerfEvents(flags)));
    return true;
  }),
];
