/** Tuning commands: setmem, setmaxmem, setvcpus, schedinfo. */
import {
  DomainMemoryModFlags as Mem,
  DomainModificationImpact as M,
  DomainVcpuFlags as V,
  TypedParameterType as T,
  VirError,
  ErrorDomain,
  ErrorNumber,
  typedParamType,
  typedParams,
  type Domain,
  type TypedParam,
  type TypedParams,
} from '@virtkit/core';
import type { CmdDef, Opts, OptDef } from '../types';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { parseScaledSize } from '../format';
import { exclusive, flag, int, req, requires } from '../opt';
import { multiValues } from '../parse';
import { typedParamText } from '../typed-param-text';
import { DOMAIN_OPT } from './shared-options';

const IMPACT_OPTS: OptDef[] = [
  { name: 'config', type: 'bool', help: 'affect next boot' },
  { name: 'live', type: 'bool', help: 'affect running domain' },
  { name: 'current', type: 'bool', help: 'affect current domain' },
];

/** virsh's --current/--live/--config: -1 for "current" (the flag-less call), else the AFFECT bits. */
function impact(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  let flags = 0;
  if (flag(opts, 'config')) flags |= M.VIR_DOMAIN_AFFECT_CONFIG;
  if (flag(opts, 'live')) flags |= M.VIR_DOMAIN_AFFECT_LIVE;
  return flags === 0 && !flag(opts, 'current') ? -1 : flags;
}

/** vshCommandOptScaledInt in KiB units, rounded up to whole KiB as virsh does. */
function sizeKiB(ctl: Ctl, opts: Opts): number {
  const text = req(ctl, opts, 'size');
  const bytes = parseScaledSize(text, 1024);
  if (bytes === null || !Number.isSafeInteger(bytes)) {
    const message = `Scaled numeric value '${text}' for <size> option is malformed or out of range`;
    // A number with a suffix virScaleInteger does not know also gets that function's error.
    const suffix = /^\d+(\S+)$/.exec(text)?.[1];
    if (suffix && bytes === null) {
      ctl.error(message);
      ctl.fail(`invalid argument: unknown suffix '${suffix}'`);
    }
    ctl.fail(message);
  }
  return Math.ceil(bytes / 1024);
}

function memoryCommand(name: string, help: string, desc: string, sizeHelp: string, maximum: boolean): CmdDef {
  return {
    name,
    group: 'domain',
    help,
    desc,
    opts: [DOMAIN_OPT, { name: 'size', type: 'int', required: true, help: sizeHelp }, ...IMPACT_OPTS],
    async handler(ctl, opts) {
      const flags = impact(ctl, opts);
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const kib = sizeKiB(ctl, opts);
      const apply = (): Promise<void> => {
        if (flags === -1) return maximum ? dom.setMaxMemory(kib) : dom.setMemory(kib);
        return dom.setMemoryFlags(kib, maximum ? flags | Mem.VIR_DOMAIN_MEM_MAXIMUM : flags);
      };
      if (maximum) await ctl.attempt('Unable to change MaxMemorySize', apply);
      else await apply();
      return true;
    },
  };
}

/** schedinfo's `name=value` updates, typed like the parameter they change (cmdSchedInfoUpdateOne). */
function schedUpdates(ctl: Ctl, opts: Opts, current: TypedParams): TypedParam[] {
  const out: TypedParam[] = [];
  const sets = multiValues(opts, 'set');
  for (const [name, v] of [
    ['weight', opts.get('weight')],
    ['cap', opts.get('cap')],
  ] as const)
    if (typeof v === 'string') sets.push(`${name}=${v}`);
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq < 0) ctl.fail('Invalid syntax for --set, expecting name=value');
    const field = s.slice(0, eq);
    const text = s.slice(eq + 1);
    if (!(field in current)) ctl.fail(`invalid scheduler option: ${field}`);
    const type = typedParamType(current, field) ?? T.VIR_TYPED_PARAM_ULLONG;
    out.push({ field, type, value: typedValue(field, type, text) });
  }
  return out;
}

/** virTypedParamsAddFromString: the text as a value of `type`, or libvirt's error. */
function typedValue(field: string, type: number, text: string): number | bigint | string | boolean {
  const fail = (what: string): never => {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INVALID_ARG,
      ErrorDomain.VIR_FROM_NONE,
      `Invalid value for field '${field}': expected ${what}`,
    );
  };
  switch (type) {
    case T.VIR_TYPED_PARAM_INT:
      return /^[+-]?\d+$/.test(text) && Math.abs(Number(text)) <= 0x7fffffff ? Number(text) : fail('int');
    case T.VIR_TYPED_PARAM_UINT:
      return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : fail('unsigned int');
    case T.VIR_TYPED_PARAM_LLONG:
      return /^[+-]?\d+$/.test(text) ? BigInt(text) : fail('long long');
    case T.VIR_TYPED_PARAM_ULLONG:
      return /^\d+$/.test(text) ? BigInt(text) : fail('unsigned long long');
    case T.VIR_TYPED_PARAM_DOUBLE:
      return text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : fail('double');
    case T.VIR_TYPED_PARAM_BOOLEAN:
      if (/^(1|yes|true)$/i.test(text)) return true;
      return /^(0|no|false)$/i.test(text) ? false : fail('boolean');
    default:
      return text;
  }
}

async function schedParams(dom: Domain, flags: number, both: boolean): Promise<TypedParams> {
  return flags === -1 ? dom.getSchedulerParameters() : dom.getSchedulerParametersFlags(both ? 0 : flags);
}

/**
 * virshCPUCountCollect: one count, or null when the domain is not in the state the flags ask
 * about (only checked for the table); a failing call is reported and fails the command.
 */
async function cpuCount(ctl: Ctl, dom: Domain, flags: number, checkState: boolean): Promise<number | null> {
  if (checkState) {
    if (flags & M.VIR_DOMAIN_AFFECT_LIVE && !(await dom.isActive())) return null;
    if (flags & M.VIR_DOMAIN_AFFECT_CONFIG && !(await dom.isPersistent())) return null;
  }
  if (flags & V.VIR_DOMAIN_VCPU_GUEST) return ctl.attempt('Failed to retrieve vCPU count from the guest', () => dom.getVcpusFlags(flags));
  return dom.getVcpusFlags(flags);
}

export const tuningCommands: CmdDef[] = [
  {
    name: 'vcpucount',
    group: 'domain',
    help: 'domain vcpu counts',
    desc: 'Returns the number of virtual CPUs used by the domain.',
    opts: [
      DOMAIN_OPT,
      { name: 'maximum', type: 'bool', help: 'get maximum count of vcpus' },
      { name: 'active', type: 'bool', help: 'get number of currently active vcpus' },
      { name: 'live', type: 'bool', help: 'get value from running domain' },
      { name: 'config', type: 'bool', help: 'get value to be used on next boot' },
      { name: 'current', type: 'bool', help: 'get value according to current domain state' },
      { name: 'guest', type: 'bool', help: 'retrieve vcpu count from the guest instead of the hypervisor' },
    ],
    async handler(ctl, opts) {
      const given = ['maximum', 'active', 'current', 'config', 'live', 'guest'].filter((o) => opts.has(o));
      exclusive(ctl, opts, 'current', 'live');
      exclusive(ctl, opts, 'current', 'config');
      exclusive(ctl, opts, 'active', 'maximum');
      exclusive(ctl, opts, 'guest', 'config');
      let flags = 0;
      if (flag(opts, 'live')) flags |= M.VIR_DOMAIN_AFFECT_LIVE;
      if (flag(opts, 'config')) flags |= M.VIR_DOMAIN_AFFECT_CONFIG;
      if (flag(opts, 'maximum')) flags |= V.VIR_DOMAIN_VCPU_MAXIMUM;
      if (flag(opts, 'guest')) flags |= V.VIR_DOMAIN_VCPU_GUEST;
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      if (given.length) {
        ctl.print(`${await cpuCount(ctl, dom, flags, false)}\n`);
        return true;
      }
      const C = M.VIR_DOMAIN_AFFECT_CONFIG;
      const L = M.VIR_DOMAIN_AFFECT_LIVE;
      const MAX = V.VIR_DOMAIN_VCPU_MAXIMUM;
      const rows: Array<[string, string, number | null]> = [
        ['maximum', 'config', await cpuCount(ctl, dom, C | MAX, true)],
        ['maximum', 'live', await cpuCount(ctl, dom, L | MAX, true)],
        ['current', 'config', await cpuCount(ctl, dom, C, true)],
        ['current', 'live', await cpuCount(ctl, dom, L, true)],
      ];
      for (const [which, state, n] of rows)
        if (n !== null && n > 0) ctl.print(`${which.padEnd(12)} ${state.padEnd(12)} ${String(n).padStart(3)}\n`);
      return true;
    },
  },
  memoryCommand(
    'setmem',
    'change memory allocation',
    'Change the current memory allocation in the guest domain.',
    'new memory size, as scaled integer (default KiB)',
    false,
  ),
  memoryCommand(
    'setmaxmem',
    'change maximum memory limit',
    'Change the maximum memory allocation limit in the guest domain.',
    'new maximum memory size, as scaled integer (default KiB)',
    true,
  ),
  {
    name: 'setvcpus',
    group: 'domain',
    help: 'change number of virtual CPUs',
    desc: 'Change the number of virtual CPUs in the guest domain.',
    opts: [
      DOMAIN_OPT,
      { name: 'count', type: 'int', required: true, help: 'number of virtual CPUs' },
      { name: 'maximum', type: 'bool', help: 'set maximum limit on next boot' },
      ...IMPACT_OPTS,
      { name: 'guest', type: 'bool', help: 'modify cpu state in the guest' },
      { name: 'hotpluggable', type: 'bool', help: 'make added vcpus hot(un)pluggable' },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'guest', 'config');
      requires(ctl, opts, 'maximum', 'config');
      let flags = impact(ctl, opts);
      const extra =
        (flag(opts, 'guest') ? V.VIR_DOMAIN_VCPU_GUEST : 0) |
        (flag(opts, 'maximum') ? V.VIR_DOMAIN_VCPU_MAXIMUM : 0) |
        (flag(opts, 'hotpluggable') ? V.VIR_DOMAIN_VCPU_HOTPLUGGABLE : 0);
      if (extra) flags = (flags === -1 ? 0 : flags) | extra;
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const count = int(ctl, opts, 'count')!;
      if (count === 0) ctl.fail("Can't set 0 processors for a VM");
      if (count < 0) ctl.fail(`Numeric value '${count}' for <count> option is malformed or out of range`);
      if (flags === -1) await dom.setVcpus(count);
      else await dom.setVcpusFlags(count, flags);
      return true;
    },
  },
  {
    name: 'schedinfo',
    group: 'domain',
    help: 'show/set scheduler parameters',
    desc: 'Show/Set scheduler parameters.',
    opts: [
      DOMAIN_OPT,
      { name: 'weight', type: 'int', namedOnly: true, help: 'weight for XEN_CREDIT' },
      { name: 'cap', type: 'int', namedOnly: true, help: 'cap for XEN_CREDIT' },
      { name: 'current', type: 'bool', help: 'get/set current scheduler info' },
      { name: 'config', type: 'bool', help: 'get/set value to be used on next boot' },
      { name: 'live', type: 'bool', help: 'get/set value from running domain' },
      { name: 'set', type: 'data', multi: true, help: 'parameter=value' },
    ],
    async handler(ctl, opts) {
      const flags = impact(ctl, opts);
      const both = flag(opts, 'live') && flag(opts, 'config');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const type = await ctl.attempt('Scheduler type not found', () => dom.getSchedulerType());
      ctl.print(`${'Scheduler'.padEnd(15)}: ${type.type}\n`);
      if (!type.nparams) return true;
      let params = await schedParams(dom, flags, both);
      const updates = schedUpdates(ctl, opts, params);
      if (updates.length) {
        const p = typedParams(updates);
        if (flags === -1) await dom.setSchedulerParameters(p);
        else await dom.setSchedulerParametersFlags(p, flags);
        params = await schedParams(dom, flags, both);
      } else if (both) {
        ctl.fail('cannot query both live and config at once');
      }
      for (const field of Object.keys(params)) ctl.print(`${field.padEnd(15)}: ${typedParamText(params, field, false)}\n`);
      return true;
    },
  },
];
