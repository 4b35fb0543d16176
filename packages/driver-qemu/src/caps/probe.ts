/**
 * Capability probe of one QEMU binary over QMP (libvirt's virQEMUCapsInitQMP*): run the
 * queries, then derive QemuCaps. The same code runs against a live QEMU (probeBinary) and
 * against libvirt's recorded conversations (`*.replies`, see replay.ts), so the parser is tested
 * without the binary.
 *
 * Like libvirt, the probe uses two sessions when KVM is usable: the main one with
 * `accel=kvm` (everything), and a `accel=tcg` one for the TCG machine / CPU-model lists. Live,
 * both QEMU processes run in parallel.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { QmpClient, type QmpTransport } from '../qmp/client';
import { FLAG_RULES, PROBED_DEVICES, PROBED_OBJECTS } from './flags';
import { QapiSchema, type SchemaEntry } from './schema';
import type { QemuAccel, QemuCaps, QemuCpuModel, QemuCpuProperty, QemuMachineType } from './types';

/** Raw answers of one probe, the input of deriveCaps. */
export interface ProbeData {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  target: { arch: string };
  schema: SchemaEntry[];
  commands: string[];
  kvm: { present: boolean; enabled: boolean };
  types: string[];
  deviceProps: Record<string, Array<{ name: string; type?: string; 'default-value'?: unknown }>>;
  objectProps: Record<string, Array<{ name: string; type?: string }>>;
  tpmModels: string[];
  tpmTypes: string[];
  cmdlineOptions: Array<{ option: string; parameters: Array<{ name: string }> }>;
  migrationCaps: string[];
  /** `query-sev-capabilities` succeeded. */
  sev: boolean;
  /** Per accelerator: machines, CPU models, host CPU model expansion. */
  accel: Partial<Record<QemuAccel, { machines: RawMachine[]; cpus: RawCpu[]; hostModel?: HostModel }>>;
}

interface RawMachine {
  name: string;
  alias?: string;
  'is-default'?: boolean;
  'cpu-max': number;
  'hotpluggable-cpus': boolean;
  'numa-mem-supported'?: boolean;
  'default-cpu-type'?: string;
  'default-ram-id'?: string;
  deprecated?: boolean;
  acpi?: boolean;
}

interface RawCpu {
  name: string;
  typename?: string;
  'unavailable-features'?: string[];
  deprecated?: boolean;
}

/** The host CPU model expansion: its name and properties. */
interface HostModel {
  name: string;
  props: QemuCpuProperty[];
}

type Expansion = { model: { name: string; props?: Record<string, boolean | number | string> } };

const ARCH_MAP: Record<string, string> = { i386: 'i686', ppc: 'ppc', arm: 'armv7l', or1k: 'or32' };

async function optional<T>(p: Promise<T>, fallback: T): Promise<T> {
  try {
    return await p;
  } catch {
    return fallback;
  }
}

/** Run the queries of the main session. `accel` is the accelerator that session runs with. */
export async function collectMain(q: QmpTransport, accel: QemuAccel): Promise<ProbeData> {
  const version = await q.execute<ProbeData['version']>('query-version');
  const target = await q.execute<ProbeData['target']>('query-target');
  const schema = await q.execute<SchemaEntry[]>('query-qmp-schema');
  const commands = (await q.execute<Array<{ name: string }>>('query-commands')).map((c) => c.name);
  const kvm = await optional(q.execute<ProbeData['kvm']>('query-kvm'), { present: false, enabled: false });
  const types = (await q.execute<Array<{ name: string }>>('qom-list-types')).map((t) => t.name);
  const typeSet = new Set(types);
  const deviceProps: ProbeData['deviceProps'] = {};
  for (const d of PROBED_DEVICES) {
    if (!typeSet.has(d)) continue;
    deviceProps[d] = await optional(q.execute('device-list-properties', { typename: d }), []);
  }
  const objectProps: ProbeData['objectProps'] = {};
  for (const o of PROBED_OBJECTS) {
    if (!typeSet.has(o)) continue;
    objectProps[o] = await optional(q.execute('qom-list-properties', { typename: o }), []);
  }
  const machines = await q.execute<RawMachine[]>('query-machines');
  const cpus = await optional(q.execute<RawCpu[]>('query-cpu-definitions'), []);
  const tpmModels = await optional(q.execute<string[]>('query-tpm-models'), []);
  const tpmTypes = await optional(q.execute<string[]>('query-tpm-types'), []);
  const cmdlineOptions = await optional(q.execute<ProbeData['cmdlineOptions']>('query-command-line-options'), []);
  const migrationCaps = (await optional(q.execute<Array<{ capability: string }>>('query-migrate-capabilities'), [])).map(
    (c) => c.capability,
  );
  const sev = await optional(
    q.execute('query-sev-capabilities').then(() => true),
    false,
  );
  const hostModel = await expandHostModel(q, accel === 'kvm' ? 'host' : 'max');
  return {
    version,
    target,
    schema,
    commands,
    kvm,
    types,
    deviceProps,
    objectProps,
    tpmModels,
    tpmTypes,
    cmdlineOptions,
    migrationCaps,
    sev,
    accel: { [accel]: { machines, cpus, hostModel } },
  };
}

/** Queries of the secondary (TCG) session. */
export async function collectTcg(q: QmpTransport): Promise<{ machines: RawMachine[]; cpus: RawCpu[]; hostModel?: HostModel }> {
  const cpus = await optional(q.execute<RawCpu[]>('query-cpu-definitions'), []);
  const hostModel = await expandHostModel(q, 'max');
  const machines = await q.execute<RawMachine[]>('query-machines');
  return { machines, cpus, hostModel };
}

/**
 * Static expansion of the host CPU model, once as migratable (the default) and once with
 * non-migratable features too; a feature on only in the second is marked non-migratable.
 */
async function expandHostModel(q: QmpTransport, model: string): Promise<HostModel | undefined> {
  const expand = (props?: Record<string, boolean>) =>
    optional(
      q.execute<Expansion>('query-cpu-model-expansion', { type: 'static', model: props ? { name: model, props } : { name: model } }),
      undefined,
    );
  const migratable = await expand();
  if (!migratable?.model?.name) return undefined;
  const all = (await expand({ migratable: false })) ?? migratable;
  const migProps = migratable.model.props ?? {};
  const props = Object.entries(all.model.props ?? {}).map(([name, value]): QemuCpuProperty =>
    value === true ? { name, value, migratable: migProps[name] === true } : { name, value },
  );
  return { name: migratable.model.name, props };
}

function machineOf(m: RawMachine): QemuMachineType {
  return {
    name: m.name,
    alias: m.alias,
    maxCpus: m['cpu-max'],
    hotplugCpus: m['hotpluggable-cpus'] === true,
    isDefault: m['is-default'] === true,
    defaultCPU: m['default-cpu-type'],
    defaultRAMid: m['default-ram-id'],
    numaMemSupported: m['numa-mem-supported'] === true,
    deprecated: m.deprecated === true,
    acpi: m.acpi,
  };
}

/** libvirt's machine list: `none` dropped, the default machine moved to the front. */
function machinesOf(raw: RawMachine[]): QemuMachineType[] {
  const list = raw.filter((m) => m.name !== 'none').map(machineOf);
  const i = list.findIndex((m) => m.isDefault);
  if (i > 0) list.unshift(...list.splice(i, 1));
  return list;
}

function cpuOf(c: RawCpu): QemuCpuModel {
  const blockers = c['unavailable-features'];
  return {
    name: c.name,
    typename: c.typename,
    usable: blockers === undefined ? 'unknown' : blockers.length === 0 ? 'yes' : 'no',
    blockers: blockers ?? [],
    deprecated: c.deprecated === true,
  };
}

/** Derive QemuCaps from raw probe answers. */
export function deriveCaps(data: ProbeData, emulator: string): QemuCaps {
  const schema = new QapiSchema(data.schema);
  const commands = new Set(data.commands);
  const events = new Set(schema.names('event'));
  const types = new Set(data.types);
  const arch = ARCH_MAP[data.target.arch] ?? data.target.arch;
  const cli = new Map(data.cmdlineOptions.map((o) => [o.option, new Set(o.parameters.map((p) => p.name))]));
  const allCpus = Object.values(data.accel).flatMap((a) => a?.cpus ?? []);
  const devProp = (spec: string) => {
    const dot = spec.indexOf('.');
    return data.deviceProps[spec.slice(0, dot)]?.find((p) => p.name === spec.slice(dot + 1));
  };
  const v = data.version.qemu;
  const version = v.major * 1_000_000 + v.minor * 1_000 + v.micro;
  const test = (rule: string): boolean => {
    if (rule.includes('&')) return rule.split('&').every(test);
    const colon = rule.indexOf(':');
    const kind = colon < 0 ? rule : rule.slice(0, colon);
    const arg = colon < 0 ? '' : rule.slice(colon + 1);
    switch (kind) {
      case 'kvm':
        return data.kvm.present && data.kvm.enabled;
      case 'sev':
        return data.sev;
      case 'minver':
        return version >= Number(arg);
      case 'cmd':
        return commands.has(arg);
      case 'event':
        return events.has(arg);
      case 'type':
        return types.has(arg);
      case 'dev':
        return devProp(arg) !== undefined;
      case 'devfalse':
        return devProp(arg)?.['default-value'] === false;
      case 'obj': {
        const dot = arg.indexOf('.');
        return data.objectProps[arg.slice(0, dot)]?.some((p) => p.name === arg.slice(dot + 1)) ?? false;
      }
      case 'schema':
        return schema.query(arg);
      case 'cli': {
        const [opt, param] = arg.split('.');
        const params = cli.get(opt!);
        return params !== undefined && (param === undefined || params.has(param));
      }
      case 'mig':
        return data.migrationCaps.includes(arg);
      case 'tpmtype':
        return data.tpmTypes.includes(arg);
      case 'tpmmodel':
        return data.tpmModels.includes(arg);
      case 'arch':
        return arg.split('|').includes(arch);
      case 'cpu':
        return allCpus.some((c) => c.name === arg);
      default:
        return false;
    }
  };
  const flags = new Set<string>();
  for (const [flag, ...rules] of FLAG_RULES) if (rules.some(test)) flags.add(flag);

  const caps: QemuCaps = {
    emulator,
    version,
    kvmVersion: 0,
    package: data.version.package.trim(),
    arch,
    flags,
    machines: { kvm: [], tcg: [] },
    cpuModels: { kvm: [], tcg: [] },
    hostCpuModel: {},
    hypervCaps: [],
    kvmSupportsSecureGuest: false,
  };
  for (const accel of ['kvm', 'tcg'] as const) {
    const a = data.accel[accel];
    if (!a) continue;
    caps.machines[accel] = machinesOf(a.machines);
    caps.cpuModels[accel] = a.cpus.map(cpuOf);
    if (a.hostModel) {
      caps.hostCpuModel[accel] = a.hostModel.name;
      (caps.hostCpuProps ??= {})[accel] = a.hostModel.props;
    }
  }
  return caps;
}

/** Probe over already-open sessions (live or replayed). `tcg` is the secondary session, if any. */
export async function probeSessions(main: QmpTransport, tcg: QmpTransport | undefined, emulator: string): Promise<QemuCaps> {
  const mainAccel: QemuAccel = tcg ? 'kvm' : 'tcg';
  const [data, tcgData] = await Promise.all([collectMain(main, mainAccel), tcg ? collectTcg(tcg) : undefined]);
  if (tcgData) data.accel.tcg = tcgData;
  return deriveCaps(data, emulator);
}

export interface ProbeBinaryOptions {
  /** Use KVM when /dev/kvm opens (default true). */
  kvm?: boolean;
  timeoutMs?: number;
}

/** Whether KVM can be used by this process. */
export function kvmAvailable(): boolean {
  try {
    fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** Start a throw-away QEMU for probing and connect to it. */
async function probeProcess(binary: string, accel: string, dir: string, tag: string, timeoutMs: number) {
  const sock = path.join(dir, `${tag}.sock`);
  const child = spawn(
    binary,
    ['-S', '-no-user-config', '-nodefaults', '-nographic', '-machine', `none,accel=${accel}`, '-qmp', `unix:${sock},server=on,wait=off`],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  try {
    const client = await QmpClient.connect(sock, { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, shouldRetry: () => !exited });
    return { client, child };
  } catch {
    child.kill('SIGKILL');
    throw VirError.create(
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_QEMU,
      `Failed to probe capabilities for ${binary}: ${stderr.trim() || 'QEMU did not open its monitor'}`,
    );
  }
}

/** Probe a binary live (`-machine none`, QMP). */
export async function probeBinary(binary: string, opts: ProbeBinaryOptions = {}): Promise<QemuCaps> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const useKvm = (opts.kvm ?? true) && kvmAvailable();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-probe-'));
  const procs: Array<Awaited<ReturnType<typeof probeProcess>>> = [];
  try {
    const started = await Promise.all(
      useKvm
        ? [probeProcess(binary, 'kvm', dir, 'kvm', timeoutMs), probeProcess(binary, 'tcg', dir, 'tcg', timeoutMs)]
        : [probeProcess(binary, 'tcg', dir, 'tcg', timeoutMs)],
    );
    procs.push(...started);
    return await probeSessions(started[0]!.client, started[1]?.client, binary);
  } finally {
    await Promise.all(
      procs.map(async ({ client, child }) => {
        client.destroy();
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise((r) => child.once('exit', r));
          child.kill('SIGKILL');
          await gone;
        }
      }),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
