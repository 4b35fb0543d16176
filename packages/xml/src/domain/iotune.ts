/**
 * A disk's I/O limits (`<iotune>`, libvirt's virDomainBlockIoTuneInfo) as the typed parameters of
 * virDomainGet/SetBlockIoTune, and the consistency checks the drivers make before applying them.
 */
import {
  ErrorNumber,
  TypedParameterType as T,
  VirError,
  typedParams,
  typedParamType,
  type ErrorDomain,
  type TypedParams,
} from '@virtkit/core';
import { XmlElement } from '../tree';

/**
 * The largest limit libvirt accepts, the same in its QEMU and test drivers
 * (QEMU_BLOCK_IOTUNE_MAX, TEST_BLOCK_IOTUNE_MAX): 1e15.
 */
export const IOTUNE_MAX = 1e15;

/** The six rate limits; each has a burst (`_max`) and a burst length (`_max_length`). */
export const IOTUNE_RATES = ['total_bytes_sec', 'read_bytes_sec', 'write_bytes_sec', 'total_iops_sec', 'read_iops_sec', 'write_iops_sec'];

/** The parameters in libvirt's order, which is also the order of `<iotune>`'s children. */
export const IOTUNE_FIELDS = [
  ...IOTUNE_RATES,
  ...IOTUNE_RATES.map((r) => `${r}_max`),
  'size_iops_sec',
  'group_name',
  ...IOTUNE_RATES.map((r) => `${r}_max_length`),
];

/** One disk's limits: every numeric field (0: unset) and the throttle group name ('' : none). */
export type IoTune = Record<string, number | string>;

/** No limits at all, every field present. */
export function noIotune(): IoTune {
  return Object.fromEntries(IOTUNE_FIELDS.map((f) => [f, f === 'group_name' ? '' : 0]));
}

/** Whether any limit or a group is set (qemuDiskConfigBlkdeviotuneEnabled). */
export function hasIotune(tune: IoTune): boolean {
  return IOTUNE_FIELDS.some((f) => tune[f]);
}

/** The limits in a disk's `<iotune>`, every field present. */
export function diskIotune(disk: XmlElement): IoTune {
  const el = disk.element('iotune');
  const tune: IoTune = {};
  for (const f of IOTUNE_FIELDS) tune[f] = f === 'group_name' ? (el?.childText(f) ?? '') : Number(el?.childText(f) ?? 0);
  return tune;
}

/** Write the limits as the disk's `<iotune>` (libvirt formats the set fields only, and no element when none is). */
export function setDiskIotune(disk: XmlElement, tune: IoTune): void {
  const el = new XmlElement('iotune');
  for (const f of IOTUNE_FIELDS) {
    if (!tune[f]) continue;
    const child = new XmlElement(f);
    child.children.push({ kind: 'text', text: String(tune[f]) });
    el.children.push(child);
  }
  const at = disk.children.findIndex((c) => c.kind === 'element' && c.name === 'iotune');
  if (at >= 0) disk.children.splice(at, 1);
  if (!el.children.length) return;
  // <iotune> follows <target> in libvirt's disk format.
  const target = disk.children.findIndex((c) => c.kind === 'element' && c.name === 'target');
  disk.children.splice(target + 1, 0, el);
}

/** The limits as virDomainGetBlockIoTune returns them. */
export function iotuneParams(tune: IoTune): TypedParams {
  return typedParams(
    IOTUNE_FIELDS.map((field) => ({
      field,
      type: field === 'group_name' ? T.VIR_TYPED_PARAM_STRING : T.VIR_TYPED_PARAM_ULLONG,
      value: tune[field]!,
    })),
  );
}

const TYPE_NAMES: Record<number, string> = { [T.VIR_TYPED_PARAM_ULLONG]: 'ullong', [T.VIR_TYPED_PARAM_STRING]: 'string' };

/** virTypedParamsValidate over the iotune fields: each one known, with its type. */
function validateParams(params: TypedParams, from: ErrorDomain): void {
  for (const [field, value] of Object.entries(params)) {
    if (!IOTUNE_FIELDS.includes(field)) {
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, from, `parameter '${field}' not supported`);
    }
    const want = field === 'group_name' ? T.VIR_TYPED_PARAM_STRING : T.VIR_TYPED_PARAM_ULLONG;
    const got = typedParamType(params, field) ?? (typeof value === 'string' ? T.VIR_TYPED_PARAM_STRING : T.VIR_TYPED_PARAM_ULLONG);
    if (got !== want) {
      const detail = `invalid type '${TYPE_NAMES[got] ?? got}' for parameter '${field}', expected '${TYPE_NAMES[want]}'`;
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, from, detail);
    }
  }
}

/**
 * `tune` with `params` applied, after the checks libvirt's drivers share: no value above IOTUNE_MAX,
 * and total and read/write rates not both set. How a rate compares with its burst differs by driver.
 */
export function applyIotune(tune: IoTune, params: TypedParams, from: ErrorDomain): IoTune {
  validateParams(params, from);
  const next = { ...tune };
  for (const [field, value] of Object.entries(params)) {
    if (field !== 'group_name' && Number(value) > IOTUNE_MAX) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        from,
        `block I/O throttle limit value must be no more than ${IOTUNE_MAX}`,
      );
    }
    next[field] = field === 'group_name' ? String(value) : Number(value);
  }
  const invalid = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, from, detail);
  for (const kind of ['bytes_sec', 'iops_sec', 'bytes_sec_max', 'iops_sec_max']) {
    if (next[`total_${kind}`] && (next[`read_${kind}`] || next[`write_${kind}`])) {
      throw invalid(`total and read/write of ${kind} cannot be set at the same time`);
    }
  }
  return next;
}
