/**
 * libvirt's refusals of read-only connections, shared by the in-process check (ConnectBase) and
 * the daemon's ACL check, so both answer with the same code, domain and text.
 */
import { ErrorDomain, ErrorNumber, templatedError, type VirError } from './errors';

/**
 * libvirt's error domain for a call, by the public source file that holds it (its VIR_FROM_THIS):
 * libvirt-domain-snapshot.c, libvirt-domain-checkpoint.c, libvirt-domain.c (which also holds
 * Connect calls such as virDomainDefineXML), libvirt-storage.c, libvirt-network.c; the rest none.
 */
const DOMAIN_BY_PREFIX: [prefix: string, domain: number][] = [
  ['virDomainSnapshot', ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT],
  ['virDomainCheckpoint', 69], // VIR_FROM_DOMAIN_CHECKPOINT
  ['virDomain', ErrorDomain.VIR_FROM_DOMAIN],
  ['virStorage', ErrorDomain.VIR_FROM_STORAGE],
  ['virNetwork', ErrorDomain.VIR_FROM_NETWORK],
  ['virSecret', ErrorDomain.VIR_FROM_SECRET],
  ['virNodeDevice', ErrorDomain.VIR_FROM_NODEDEV],
];

function errorDomainOf(c: string): number {
  return DOMAIN_BY_PREFIX.find(([prefix]) => c.startsWith(prefix))?.[1] ?? ErrorDomain.VIR_FROM_NONE;
}

/** A write call on a read-only connection (virCheckReadOnlyGoto): `read only access prevents virX`. */
export function readOnlyDenied(c: string): VirError {
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, errorDomainOf(c), `read only access prevents ${c}`);
}

/**
 * A flag a read-only connection may not use, e.g. `operation forbidden: virDomainGetXMLDesc with
 * secure flag` for VIR_DOMAIN_XML_SECURE (the flag's last word names it).
 */
export function flagDenied(c: string, flagNames: readonly string[]): VirError {
  const word = flagNames[0].slice(flagNames[0].lastIndexOf('_') + 1).toLowerCase();
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, errorDomainOf(c), `${c} with ${word} flag`);
}
