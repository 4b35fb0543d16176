/** setmem, setmaxmem, setvcpus, vcpucount, domcontrol, schedinfo and cpu-stats, as virsh 9.0's handlers run them. */
import {
  DomainMemoryModFlags,
  DomainModificationImpact,
  DomainVcpuFlags,
  TypedParameterType,
  VirError,
  typedParamType,
  typedParams,
} from '@virtkit/core';
import type { Domain, TypedParam, TypedParams, TypedParamValue } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, requires, str, uint } from '../opt';
import { multiValues } from '../parse';
import { int, scaled } from '../opt-numbers';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

/** --current/--live/--config as VIR_DOMAIN_AFFECT_* flags, with virsh's exclusions. */
function impact(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  return (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
}

/** The memory size option in KiB, rounded up (virsh passes the API an unsigned long of KiB). */
function kibibytes(ctl: Ctl, opts: Opts): number {
  const bytes = scaled(ctl, opts, 'size', 1024n, (1n << 64n) - 1n) ?? 0n;
  return Number((bytes + 1023n) / 1024n);
}

/** virshCPUCountCollect with checkState: 0 for a live count of an inactive domain or a config count of a transient one. */
async function countIfApplies(dom: Domain, flags: number): Promise<number> {
  if (flags & LIVE && !(await dom.isActive())) return 0;
  if (flags & CONFIG && !(await dom.isPersistent())) return 0;
  return dom.getVcpusFlags(flags);
}

const STATE_NAMES = ['ok', 'background job', 'occupied', 'error'];
const ERROR_REASONS = ['', 'unknown', 'monitor failure', 'internal (locking) error'];

export const domainTuningCommands: CmdDef[] = [
  cmd('setmem', async (ctl, opts) => {
    const given = flag(opts, 'config') || flag(opts, 'live') || flag(opts, 'current');
    const flags = given ? impact(ctl, opts) : LIVE;
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const kib = kibibytes(ctl, opts);
    await dom.setMemoryFlags(kib, flags);
    return true;
  }),
  cmd('setmaxmem', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const kib = kibibytes(ctl, opts);
    await ctl.attempt('Unable to change MaxMemorySize', () => dom.setMemoryFlags(kib, flags | DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM));
    return true;
  }),
  cmd('setvcpus', async (ctl, opts) => {
    exclusive(ctl, opts, 'current', 'live');
    exclusive(ctl, opts, 'current', 'config');
    exclusive(ctl, opts, 'guest', 'config');
    requires(ctl, opts, 'maximum', 'config');
    let flags = impact(ctl, opts);
    if (flag(opts, 'guest')) flags |= DomainVcpuFlags.VIR_DOMAIN_VCPU_GUEST;
    if (flag(opts, 'maximum')) flags |= DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM;
    if (flag(opts, 'hotpluggable')) flags |= DomainVcpuFlags.VIR_DOMAIN_VCPU_HOTPLUGGABLE;
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const count = uint(ctl, opts, 'count') ?? 0;
    if (count === 0) ctl.fail("Can't set 0 processors for a VM");
    if (!flag(opts, 'current') && flags === 0) await dom.setVcpus(count);
    else await dom.setVcpusFlags(count, flags);
    return true;
  }),
  cmd('vcpucount', async (ctl, opts) => {
    const [maximum, active, config, live, guest] = ['maximum', 'active', 'config', 'live', 'guest'].map((n) => flag(opts, n));
    // Before 0.9.4 --current meant the opposite of --maximum: alone it asks for nothing.
    const current = flag(opts, 'current') && (maximum || active);
    const all = !maximum && !active && !flag(opts, 'current') && !config && !live && !guest;
    exclusive(ctl, opts, 'live', 'config');
    if (current && live) ctl.fail('Options --current and --live are mutually exclusive');
    if (current && config) ctl.fail('Options --current and --config are mutually exclusive');
    exclusive(ctl, opts, 'active', 'maximum');
    exclusive(ctl, opts, 'guest', 'config');
    const MAXIMUM = DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM;
    let flags = (live ? LIVE : 0) | (config ? CONFIG : 0) | (maximum ? MAXIMUM : 0);
    if (guest) flags |= DomainVcpuFlags.VIR_DOMAIN_VCPU_GUEST;
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    if (!all) {
      const count = guest
        ? await ctl.attempt('Failed to retrieve vCPU count from the guest', () => dom.getVcpusFlags(flags))
        : await dom.getVcpusFlags(flags);
      ctl.print(`${count}\n`);
      return true;
    }
    const rows: Array<[string, string, number]> = [
      ['maximum', 'config', CONFIG | MAXIMUM],
      ['maximum', 'live', LIVE | MAXIMUM],
      ['current', 'config', CONFIG],
      ['current', 'live', LIVE],
    ];
    const counts: number[] = [];
    for (const [, , f] of rows) counts.push(await countIfApplies(dom, f));
    rows.forEach(([which, state], i) => {
      if (counts[i] > 0) ctl.print(`${which.padEnd(12)} ${state.padEnd(12)} ${String(counts[i]).padStart(3)}\n`);
    });
    return true;
  }),
  cmd('domcontrol', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const info = await dom.getControlInfo(0);
    const state = STATE_NAMES[info.state] ?? '';
    if (info.state !== 0 && info.state !== 3) ctl.print(`${state} (${(Number(info.stateTime) / 1000).toFixed(3)}s)\n`);
    else if (info.state === 3 && info.details > 0) ctl.print(`${state}: ${ERROR_REASONS[info.details] ?? ''}\n`);
    else ctl.print(`${state}\n`);
    return true;
  }),
  cmd('cpu-stats', async (ctl, opts) => {
    await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const start = int(ctl, opts, 'start');
    if (start !== null && start < 0) ctl.fail('Invalid value for start CPU');
    const count = int(ctl, opts, 'count');
    if (count !== null && count < 0) ctl.fail('Invalid value for number of CPUs to show');
    // Past the option checks virsh needs virDomainGetCPUStats, which no virtkit driver has yet.
    throw VirError.noSupport('virDomainGetCPUStats');
  }),
];

/** vshGetTypedParamValue for the values a typed parameter list carries. */
function paramText(v: TypedParamValue): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(6);
  return String(v);
}

/** How virTypedParamsAddFromString names each VIR_TYPED_PARAM_* type in its errors. */
const TYPE_NAMES: Record<number, string> = {
  1: 'int',
  2: 'unsigned int',
  3: 'long long',
  4: 'unsigned long long',
  5: 'double',
  6: 'boolean',
};

/** virTypedParamsAddFromString: `text` read as the type the parameter `field` of `current` has. */
function paramFrom(ctl: Ctl, current: TypedParams, field: string, text: string): TypedParamValue {
  const now = current[field];
  if (typeof now === 'string') return text;
  if (typeof now === 'boolean') {
    if (/^(1|yes|true)$/i.test(text)) return true;
    if (/^(0|no|false)$/i.test(text)) return false;
  } else if (typeof now === 'bigint' ? /^-?\d+$/.test(text) : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    return typeof now === 'bigint' ? BigInt(text) : Number(text);
  }
  const type = TYPE_NAMES[typedParamType(current, field) ?? 0] ?? (typeof now === 'boolean' ? 'boolean' : 'number');
  ctl.fail(`invalid argument: Invalid value for field '${field}': expected ${type}`);
}

/**
 * cmdSchedInfoUpdate: --set name=value pairs, then --cap and --weight, for parameters the domain
 * has, each with the type the domain reported it with (virTypedParamsAddFromString).
 */
function schedUpdates(ctl: Ctl, opts: Opts, current: TypedParams): TypedParams {
  const updates: TypedParam[] = [];
  const pairs: Array<[string, string]> = multiValues(opts, 'set').map((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) ctl.fail('Invalid syntax for --set, expecting name=value');
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
  for (const legacy of ['cap', 'weight']) {
    const v = str(ctl, opts, legacy);
    if (v !== null) pairs.push([legacy, v]);
  }
  for (const [field, value] of pairs) {
    if (!(field in current)) ctl.fail(`invalid scheduler option: ${field}`);
    const type = typedParamType(current, field);
    const v = paramFrom(ctl, current, field, value);
    updates.push({ field, type: type ?? TypedParameterType.VIR_TYPED_PARAM_ULLONG, value: v });
  }
  return typedParams(updates);
}

domainTuningCommands.push(
  cmd('schedinfo', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const current = flag(opts, 'current');
    // Live and config cannot be read at once: then current is read.
    const queryFlags = flags === (LIVE | CONFIG) ? 0 : flags;
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    let type;
    try {
      type = await dom.getSchedulerType();
    } catch (e) {
      ctl.print(`${'Scheduler'.padEnd(15)}: Unknown\n`);
      throw e;
    }
    ctl.print(`${'Scheduler'.padEnd(15)}: ${type.type}\n`);
    if (!type.nparams) return false;
    const withFlags = flags !== 0 || current;
    const read = (): Promise<TypedParams> => (withFlags ? dom.getSchedulerParametersFlags(queryFlags) : dom.getSchedulerParameters());
    let params = await read();
    const updates = schedUpdates(ctl, opts, params);
    if (Object.keys(updates).length > 0) {
      if (withFlags) await dom.setSchedulerParametersFlags(updates, flags);
      else await dom.setSchedulerParameters(updates);
      params = await read();
    } else if (flags === (LIVE | CONFIG)) {
      ctl.fail('cannot query both live and config at once');
    }
    for (const [field, value] of Object.entries(params)) ctl.print(`${field.padEnd(15)}: ${paramText(value)}\n`);
    return true;
  }),
);
