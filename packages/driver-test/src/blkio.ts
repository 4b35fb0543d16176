/**
 * Block I/O tuning of the test driver (testDomainGet/SetBlkioParameters): the weight and the
 * per-device limits of `<blkiotune>`, reported as libvirt's typed parameters (device lists as
 * `path,value,...` strings) and merged into the definition per device path.
 */
import {
  DomainModificationImpact as M,
  ErrorNumber,
  TypedParameterFlags,
  TypedParameterType as T,
  typedParams,
  type DomainRef,
  type TypedParam,
  type TypedParams,
} from '@virtkit/core';
import { XmlElement } from '@virtkit/xml';
import type { DomainDef } from './domain-xml';
import { defsOf, oneDefState } from './domain-info';
import { checkFlags, err } from './errors';
import type { TestState } from './state';

/** Typed parameter name → `<device>` child, in the order libvirt reports and writes them. */
const DEVICE_FIELDS: ReadonlyArray<[param: string, element: string]> = [
  ['device_weight', 'weight'],
  ['device_read_iops_sec', 'read_iops_sec'],
  ['device_write_iops_sec', 'write_iops_sec'],
  ['device_read_bytes_sec', 'read_bytes_sec'],
  ['device_write_bytes_sec', 'write_bytes_sec'],
];

interface BlkioDevice {
  path: string;
  values: Map<string, number>;
}

function read(def: DomainDef): { weight: number; devices: BlkioDevice[] } {
  const el = def.preserved.get('blkiotune')?.[0];
  const devices = (el?.elements('device') ?? []).map((d) => ({
    path: d.childText('path') ?? '',
    values: new Map(DEVICE_FIELDS.filter(([, e]) => d.element(e)).map(([, e]) => [e, Number(d.childText(e))])),
  }));
  return { weight: Number(el?.childText('weight') ?? 0), devices };
}

function leaf(name: string, value: string | number): XmlElement {
  const el = new XmlElement(name);
  el.children.push({ kind: 'text', text: String(value) });
  return el;
}

function write(def: DomainDef, weight: number, devices: BlkioDevice[]): void {
  const el = new XmlElement('blkiotune');
  if (weight) el.children.push(leaf('weight', weight));
  for (const d of devices) {
    const dev = new XmlElement('device');
    dev.children.push(leaf('path', d.path));
    for (const [, e] of DEVICE_FIELDS) if (d.values.get(e)) dev.children.push(leaf(e, d.values.get(e)!));
    el.children.push(dev);
  }
  if (el.children.length) def.preserved.set('blkiotune', [el]);
  else def.preserved.delete('blkiotune');
}

/** testDomainGetBlkioParameters. */
export function get(state: TestState, ref: DomainRef, flags: number): TypedParams {
  checkFlags(
    flags,
    M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY,
    'testDomainGetBlkioParameters',
  );
  const { weight, devices } = read(oneDefState(state.domObj(ref), flags).def);
  const out: TypedParam[] = [{ field: 'weight', type: T.VIR_TYPED_PARAM_UINT, value: weight }];
  for (const [param, e] of DEVICE_FIELDS) {
    const value = devices
      .filter((d) => d.values.get(e))
      .map((d) => `${d.path},${d.values.get(e)}`)
      .join(',');
    out.push({ field: param, type: T.VIR_TYPED_PARAM_STRING, value });
  }
  return typedParams(out);
}

/** virDomainDriverParseBlkioDeviceStr: `path,value[,path,value...]`. */
function parseDevices(text: string, field: string): Array<[string, number]> {
  const parts = text.split(',');
  if (text === '' || parts.length % 2) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `unable to parse blkio device '${text}' '${field}'`);
  const out: Array<[string, number]> = [];
  for (let i = 0; i < parts.length; i += 2) {
    if (!/^\d+$/.test(parts[i + 1])) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `unable to parse blkio device '${text}' '${field}'`);
    out.push([parts[i], Number(parts[i + 1])]);
  }
  return out;
}

/** testDomainSetBlkioParameters: the weight, and per-device values merged by path. */
export function set(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG, 'testDomainSetBlkioParameters');
  for (const def of defsOf(state.domObj(ref), flags)) {
    let { weight, devices } = read(def);
    for (const [field, value] of Object.entries(params)) {
      if (field === 'weight') {
        weight = Number(value);
        continue;
      }
      const e = DEVICE_FIELDS.find(([p]) => p === field)?.[1];
      if (!e) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `parameter '${field}' not supported`);
      for (const [path, v] of parseDevices(String(value), field)) {
        let dev = devices.find((d) => d.path === path);
        if (!dev) devices = [...devices, (dev = { path, values: new Map() })];
        dev.values.set(e, v);
      }
    }
    write(def, weight, devices);
  }
}
