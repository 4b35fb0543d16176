/**
 * Access control of each procedure: the connection must hold every ACL permission that api/
 * records for the call. A read-write connection holds them all (libvirt's `none` access driver);
 * a read-only one holds only the permissions that observe (`READ_ONLY_PERMISSIONS`), and is refused
 * anything else with libvirt's read-only error.
 */
import { ErrorDomain, ErrorNumber, type VirError } from '../../core/src/errors';
import { READ_ONLY_PERMISSIONS, templatedError, type ProcedureInfo } from '../../core/src/rpc';

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
];

function errorDomainOf(c: string): number {
  return DOMAIN_BY_PREFIX.find(([prefix]) => c.startsWith(prefix))?.[1] ?? ErrorDomain.VIR_FROM_NONE;
}

const READ_PERMISSIONS = new Set(READ_ONLY_PERMISSIONS);

/** The permissions of one client connection. */
export class AccessPolicy {
  /** @param readOnly - whether the connection is read-only (the `-ro` socket, or opened with VIR_CONNECT_RO) */
  constructor(readonly readOnly: boolean) {}

  /** Whether the connection holds `perm` (`object:permission`). */
  holds(perm: string): boolean {
    return !this.readOnly || READ_PERMISSIONS.has(perm);
  }

  /** libvirt's refusal of a call this connection may not make, or null when it may. */
  refusal(p: ProcedureInfo): VirError | null {
    if (!this.readOnly || (p.readOnlySafe && p.acl.every((perm) => this.holds(perm)))) return null;
    return readOnlyDenied(p);
  }
}

/** libvirt's refusal of a write call on a read-only connection (virCheckReadOnlyGoto). */
export function readOnlyDenied(p: ProcedureInfo): VirError {
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, errorDomainOf(p.c), `read only access prevents ${p.c}`);
}
