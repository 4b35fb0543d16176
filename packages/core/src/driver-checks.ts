/**
 * Checks every hypervisor driver makes the same way, kept here so drivers share libvirt's rule
 * and wording instead of each carrying a copy.
 */
import { ErrorDomain, ErrorNumber, VirError } from './errors';
import {
  ConnectListAllDomainsFlags as L,
  ConnectListAllNodeDeviceFlags as N,
  DomainModificationImpact as M,
  DomainState,
  TypedParameterType as T,
} from './generated/enums.gen';
import { typedParamType, type TypedParams } from './typed-params';

/**
 * virCheckFlags inside driver function `fn`: an unknown bit is VIR_ERR_INVALID_ARG with the bare
 * text, and (as libvirt's virReportInvalidArg records it) the function and argument names.
 */
export function checkDriverFlags(flags: number, supported: number, fn: string, domain: ErrorDomain): void {
  const unknown = (flags & ~supported) >>> 0;
  if (unknown === 0) return;
  const message = `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`;
  throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain, message, str1: fn, str2: 'flags', int1: 0, int2: 0 });
}

/** What virConnectListAllDomains' filter groups ask of one domain. */
export interface DomainListFacts {
  active: boolean;
  persistent: boolean;
  state: number;
  managedSave: boolean;
  autostart: boolean;
  hasSnapshot: boolean;
  hasCheckpoint: boolean;
}

const STATE_GROUP =
  L.VIR_CONNECT_LIST_DOMAINS_RUNNING |
  L.VIR_CONNECT_LIST_DOMAINS_PAUSED |
  L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
  L.VIR_CONNECT_LIST_DOMAINS_OTHER;

/**
 * virDomainObjListFilter: whether a domain passes every filter group of `flags` (a group with
 * neither of its bits set passes everything). The bulk-stats flags share these bits.
 */
export function domainListMatches(flags: number, d: DomainListFacts): boolean {
  const group = (yes: number, no: number, has: boolean) => {
    const g = flags & (yes | no);
    return !g || (has ? (g & yes) !== 0 : (g & no) !== 0);
  };
  return (
    group(L.VIR_CONNECT_LIST_DOMAINS_ACTIVE, L.VIR_CONNECT_LIST_DOMAINS_INACTIVE, d.active) &&
    group(L.VIR_CONNECT_LIST_DOMAINS_PERSISTENT, L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT, d.persistent) &&
    stateMatches(flags & STATE_GROUP, d.state) &&
    group(L.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, L.VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, d.managedSave) &&
    group(L.VIR_CONNECT_LIST_DOMAINS_AUTOSTART, L.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, d.autostart) &&
    group(L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, L.VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, d.hasSnapshot) &&
    group(L.VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, L.VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, d.hasCheckpoint)
  );
}

function stateMatches(mask: number, state: number): boolean {
  if (!mask) return true;
  switch (state) {
    case DomainState.VIR_DOMAIN_RUNNING:
      return (mask & L.VIR_CONNECT_LIST_DOMAINS_RUNNING) !== 0;
    case DomainState.VIR_DOMAIN_PAUSED:
      return (mask & L.VIR_CONNECT_LIST_DOMAINS_PAUSED) !== 0;
    case DomainState.VIR_DOMAIN_SHUTOFF:
      return (mask & L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF) !== 0;
    default:
      return (mask & L.VIR_CONNECT_LIST_DOMAINS_OTHER) !== 0;
  }
}

/** What libvirt's LIVE / CONFIG rules ask of a domain: is it running, has it a persistent definition. */
export interface DomainPresence {
  active: boolean;
  persistent: boolean;
}

/** The definitions a request addresses: the running domain's, the persistent one, or both. */
export interface ModificationImpact {
  live: boolean;
  config: boolean;
}

/**
 * virDomainObjUpdateModificationImpact: neither VIR_DOMAIN_AFFECT_LIVE nor _CONFIG (CURRENT)
 * means the running domain when it runs and its persistent definition otherwise; LIVE needs a
 * running domain and CONFIG a persistent one. The DEVICE_MODIFY, MEM, VCPU and similar flag
 * families reuse the same two bits, so their flags go in unchanged.
 */
export function modificationImpact(d: DomainPresence, flags: number): ModificationImpact {
  let live = (flags & M.VIR_DOMAIN_AFFECT_LIVE) !== 0;
  let config = (flags & M.VIR_DOMAIN_AFFECT_CONFIG) !== 0;
  if (!live && !config) {
    live = d.active;
    config = !d.active;
  }
  if (live && !d.active) throw VirError.operationInvalid('domain is not running', ErrorDomain.VIR_FROM_DOMAIN);
  if (config && !d.persistent) {
    throw VirError.operationInvalid('transient domains do not have any persistent config', ErrorDomain.VIR_FROM_DOMAIN);
  }
  return { live, config };
}

/**
 * virDomainObjGetOneDefState's choice for a getter: as modificationImpact, but asking for both
 * definitions at once is an error. True when the live definition is meant.
 */
export function oneDefIsLive(d: DomainPresence, flags: number): boolean {
  if (flags & M.VIR_DOMAIN_AFFECT_LIVE && flags & M.VIR_DOMAIN_AFFECT_CONFIG) {
    const message = "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive";
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
  }
  return modificationImpact(d, flags).live;
}

/** virConnectListAllNodeDevices' capability filter bit of each capability name, in virNodeDevCapType order. */
const NODE_DEVICE_CAP_BITS: ReadonlyArray<readonly [string, number]> = [
  ['system', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM],
  ['pci', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV],
  ['usb_device', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV],
  ['usb', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE],
  ['net', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET],
  ['scsi_host', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST],
  ['scsi_target', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET],
  ['scsi', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI],
  ['storage', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE],
  ['fc_host', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST],
  ['vports', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS],
  ['scsi_generic', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC],
  ['drm', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM],
  ['mdev_types', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES],
  ['mdev', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV],
  ['ccw', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV],
  ['css', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV],
  ['vdpa', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA],
  ['ap_card', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD],
  ['ap_queue', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE],
  ['ap_matrix', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX],
  ['vpd', N.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD],
];

/** VIR_CONNECT_LIST_NODE_DEVICES_FILTERS_CAP: every capability filter bit. */
export const NODE_DEVICE_CAP_FILTERS = NODE_DEVICE_CAP_BITS.reduce((m, [, bit]) => m | bit, 0) >>> 0;

/** The capability filter bits a device with capabilities `names` matches. */
export function nodeDeviceCapBits(names: readonly string[]): number {
  return NODE_DEVICE_CAP_BITS.reduce((m, [name, bit]) => (names.includes(name) ? m | bit : m), 0) >>> 0;
}

/** virTypedParameterTypeToString. */
const TYPE_NAMES: Record<number, string> = {
  [T.VIR_TYPED_PARAM_INT]: 'int',
  [T.VIR_TYPED_PARAM_UINT]: 'uint',
  [T.VIR_TYPED_PARAM_LLONG]: 'llong',
  [T.VIR_TYPED_PARAM_ULLONG]: 'ullong',
  [T.VIR_TYPED_PARAM_DOUBLE]: 'double',
  [T.VIR_TYPED_PARAM_BOOLEAN]: 'boolean',
  [T.VIR_TYPED_PARAM_STRING]: 'string',
};

/** virTypedParamsValidate: every parameter known, and of its type when it carries one. */
export function validateTypedParams(params: TypedParams, known: Record<string, number>): void {
  for (const [field, value] of Object.entries(params)) {
    const want = known[field];
    if (want === undefined)
      throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_NONE, `parameter '${field}' not supported`);
    // a caller in this process may pass plain values: then only a string/number mismatch shows
    const got =
      typedParamType(params, field) ??
      (typeof value === 'string' ? T.VIR_TYPED_PARAM_STRING : want === T.VIR_TYPED_PARAM_STRING ? 0 : want);
    if (got !== want) {
      const detail = `invalid type '${TYPE_NAMES[got] ?? ''}' for parameter '${field}', expected '${TYPE_NAMES[want]}'`;
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, detail);
    }
  }
}
