/**
 * The size argument of libvirt's legacy list calls (`maxids`, `maxnames`), checked as libvirtd
 * checks it before any driver is asked: above the wire's array bound, the generated dispatcher
 * answers "maxids > REMOTE_DOMAIN_LIST_MAX" (VIR_ERR_RPC); below zero, the public API answers
 * "maxids in virConnectListDomains must be zero or greater" (virCheckNonNegativeArg).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { ProcedureInfo } from '@virtkit/protocol';

/** Per C function: the remote_protocol.x constant bounding its reply, and the error domain of its public API file. */
export const LIST_BOUNDS: Readonly<Record<string, { bound: string; domain: ErrorDomain }>> = {
  virConnectListDomains: { bound: 'REMOTE_DOMAIN_LIST_MAX', domain: ErrorDomain.VIR_FROM_DOMAIN },
  virConnectListDefinedDomains: { bound: 'REMOTE_DOMAIN_LIST_MAX', domain: ErrorDomain.VIR_FROM_DOMAIN },
  virConnectListNetworks: { bound: 'REMOTE_NETWORK_LIST_MAX', domain: ErrorDomain.VIR_FROM_NETWORK },
  virConnectListDefinedNetworks: { bound: 'REMOTE_NETWORK_LIST_MAX', domain: ErrorDomain.VIR_FROM_NETWORK },
  virConnectListInterfaces: { bound: 'REMOTE_INTERFACE_LIST_MAX', domain: ErrorDomain.VIR_FROM_INTERFACE },
  virConnectListDefinedInterfaces: { bound: 'REMOTE_INTERFACE_LIST_MAX', domain: ErrorDomain.VIR_FROM_INTERFACE },
  virStoragePoolListVolumes: { bound: 'REMOTE_STORAGE_VOL_LIST_MAX', domain: ErrorDomain.VIR_FROM_STORAGE },
  virDomainSnapshotListNames: { bound: 'REMOTE_DOMAIN_SNAPSHOT_LIST_MAX', domain: ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT },
  virDomainSnapshotListChildrenNames: { bound: 'REMOTE_DOMAIN_SNAPSHOT_LIST_MAX', domain: ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT },
  virDomainGetVcpus: { bound: 'REMOTE_VCPUINFO_MAX', domain: ErrorDomain.VIR_FROM_DOMAIN },
  virNodeGetCellsFreeMemory: { bound: 'REMOTE_NODE_MAX_CELLS', domain: ErrorDomain.VIR_FROM_DOMAIN },
  virNodeListDevices: { bound: 'REMOTE_NODE_DEVICE_LIST_MAX', domain: ErrorDomain.VIR_FROM_NODEDEV },
  virNodeDeviceListCaps: { bound: 'REMOTE_NODE_DEVICE_CAPS_LIST_MAX', domain: ErrorDomain.VIR_FROM_NODEDEV },
};

/** The wire field and API parameter name of a call's list size argument (`maxids` / `nameslen`), if it has one. */
export function listSizeArgument(p: ProcedureInfo): { field: string; param: string } | null {
  const i = p.args.findIndex(([field, type]) => /^max/.test(field) && type === 'int');
  const src = i < 0 ? undefined : p.argMap?.[i];
  return src?.kind === 'param' ? { field: p.args[i][0], param: src.name } : null;
}

/** libvirtd's refusal of a list call's size argument, or null when it is within bounds. */
export function listBoundRefusal(p: ProcedureInfo, args: Record<string, unknown>): VirError | null {
  const known = LIST_BOUNDS[p.c];
  const size = listSizeArgument(p);
  const limit = /<(\d+)>$/.exec(p.ret[0]?.[1] ?? '');
  if (!known || !size || !limit) return null;
  const n = Number(args[size.field]);
  if (n > Number(limit[1])) {
    return VirError.create(ErrorNumber.VIR_ERR_RPC, ErrorDomain.VIR_FROM_RPC, `max${p.ret[0][0]} > ${known.bound}`);
  }
  if (n < 0) {
    const message = `${size.param} in ${p.c} must be zero or greater`;
    return new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: known.domain, message, str1: message });
  }
  return null;
}
