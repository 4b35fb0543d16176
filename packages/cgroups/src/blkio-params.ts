/**
 * virDomainGet/SetBlkioParameters as libvirt's QEMU and LXC drivers share them
 * (virDomainCgroupSetupDomainBlkioParameters, virDomainDriverSetupPersistentDefBlkioParams): the
 * weight, and per-device values as `path,value[,path,value…]` strings merged by path into
 * `<blkiotune>`. Live values are written to the group and read back from it.
 */
import {
  ErrorDomain,
  type TypedParam,
  TypedParameterType as T,
  typedParams,
  type TypedParams,
  validateTypedParams,
  VirError,
} from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { blkioDeviceValue, blkioWeight, blockDeviceId, setBlkioDeviceValue, setBlkioWeight, type BlkioDeviceTunable } from './blkio';
import type { Cgroup } from './group';
import { needController, type LiveTuning } from './memory-params';
import { BLKIO_DEVICE_TUNABLES, blkiotune, setBlkiotune, type BlkioTune } from './tune-xml';

/** Typed parameter name of each per-device tunable. */
const PARAM: Record<BlkioDeviceTunable, string> = {
  weight: 'device_weight',
  read_iops_sec: 'device_read_iops_sec',
  write_iops_sec: 'device_write_iops_sec',
  read_bytes_sec: 'device_read_bytes_sec',
  write_bytes_sec: 'device_write_bytes_sec',
};
const tunableOf = (param: string) => BLKIO_DEVICE_TUNABLES.find((t) => PARAM[t] === param)!;

const KNOWN: Record<string, number> = {
  weight: T.VIR_TYPED_PARAM_UINT,
  ...Object.fromEntries(BLKIO_DEVICE_TUNABLES.map((t) => [PARAM[t], T.VIR_TYPED_PARAM_STRING])),
};

/** The weight and the device lists; the weight from the group when `live` is given. */
export function blkioParameters(live: LiveTuning | null, config: DomainDef | null, from: ErrorDomain): TypedParams {
  if (live) needController(live.cg, 'blkio', from);
  const tune = blkiotune(config ?? live!.def);
  const out: TypedParam[] = [{ field: 'weight', type: T.VIR_TYPED_PARAM_UINT, value: config ? tune.weight : blkioWeight(live!.cg) }];
  for (const t of BLKIO_DEVICE_TUNABLES) {
    const value = tune.devices
      .filter((d) => d.values.get(t))
      .map((d) => `${d.path},${d.values.get(t)}`)
      .join(',');
    out.push({ field: PARAM[t], type: T.VIR_TYPED_PARAM_STRING, value });
  }
  return typedParams(out);
}

/** virDomainDriverParseBlkioDeviceStr: `path,value[,path,value…]` ("" is none). */
function parseDevices(text: string, field: string): Array<[string, bigint]> {
  if (text === '') return [];
  const parts = text.split(',');
  const fail = () => VirError.invalidArg(`unable to parse blkio device '${field}' '${text}'`, ErrorDomain.VIR_FROM_DOMAIN);
  if (parts.length % 2) throw fail();
  const out: Array<[string, bigint]> = [];
  for (let i = 0; i < parts.length; i += 2) {
    const [path, value] = [parts[i], parts[i + 1]];
    if (!/^\d+$/.test(value))
      throw VirError.invalidArg(`invalid value '${value}' for parameter '${field}' of device '${path}'`, ErrorDomain.VIR_FROM_DOMAIN);
    out.push([path, BigInt(value)]);
  }
  return out;
}

/** virDomainMergeBlkioDevice: each device's value replaces the one for the same path. */
function merge(tune: BlkioTune, t: BlkioDeviceTunable, devices: Array<[string, bigint]>): void {
  for (const [path, value] of devices) {
    let dev = tune.devices.find((d) => d.path === path);
    if (!dev) tune.devices.push((dev = { path, values: new Map() }));
    dev.values.set(t, value);
  }
}

/** Set what `params` names in the live group and definition and/or in `config`. */
export function setBlkioParameters(params: TypedParams, live: LiveTuning | null, config: DomainDef | null, from: ErrorDomain): void {
  validateTypedParams(params, KNOWN);
  if (live) needController(live.cg, 'blkio', from);
  const parsed = Object.entries(params).map(([field, value]) =>
    field === 'weight' ? ([field, Number(value)] as const) : ([field, parseDevices(String(value), field)] as const),
  );
  if (live) {
    const tune = blkiotune(live.def);
    for (const [field, value] of parsed) {
      if (typeof value === 'number') {
        setBlkioWeight(live.cg, value);
        tune.weight = blkioWeight(live.cg);
        continue;
      }
      const t = tunableOf(field);
      const applied = value.map(([path, v]): [string, bigint] => {
        const id = blockDeviceId(path);
        setBlkioDeviceValue(live.cg, id, t, v);
        return [path, blkioDeviceValue(live.cg, id, t)];
      });
      merge(tune, t, applied);
    }
    setBlkiotune(live.def, tune);
  }
  if (config) {
    const tune = blkiotune(config);
    for (const [field, value] of parsed) {
      if (typeof value === 'number') tune.weight = value;
      else merge(tune, tunableOf(field), value);
    }
    setBlkiotune(config, tune);
  }
}

/** Apply a definition's `<blkiotune>` to a new group (virDomainCgroupSetupBlkio). */
export function applyBlkiotune(cg: Cgroup, def: DomainDef): void {
  const tune = blkiotune(def);
  if (tune.weight) setBlkioWeight(cg, tune.weight);
  for (const d of tune.devices) {
    const id = blockDeviceId(d.path);
    for (const [t, v] of d.values) if (v) setBlkioDeviceValue(cg, id, t, v);
  }
}
