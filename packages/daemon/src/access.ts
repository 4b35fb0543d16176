/**
 * Access control of each procedure: the connection must hold every ACL permission that api/
 * records for the call. A read-write connection holds them all (libvirt's `none` access driver);
 * a read-only one holds only the permissions that observe (`READ_ONLY_PERMISSIONS`), and is refused
 * anything else with libvirt's read-only error — including a permission api/ checks only with
 * some flags (`domain:read_secure` with VIR_DOMAIN_XML_SECURE), when the call carries them.
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

  /**
   * libvirt's refusal of a call this connection may not make, or null when it may.
   * @param flags - the call's flags word, which brings flag-conditional permissions into play
   */
  refusal(p: ProcedureInfo, flags = 0): VirError | null {
    if (!this.readOnly) return null;
    if (!p.readOnlySafe || !p.acl.every((perm) => this.holds(perm))) return readOnlyDenied(p);
    const lacking = p.flagAcl.find((f) => (flags & f.mask) !== 0 && !this.holds(f.permission));
    return lacking ? flagDenied(p, lacking.flagNames) : null;
  }
}

/**
 * libvirt's refusal of a flag a read-only connection may not use, e.g. `operation forbidden:
 * virDomainGetXMLDesc with secure flag` for VIR_DOMAIN_XML_SECURE (the flag's last word names it).
 */
export function flagDenied(p: ProcedureInfo, flagNames: readonly string[]): VirError {
  const word = flagNames[0].slice(flagNames[0].lastIndexOf('_') + 1).toLowerCase();
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, errorDomainOf(p.c), `${p.c} with ${word} flag`);
}

/** libvirt's refusal of a write call on a read-only connection (virCheckReadOnlyGoto). */
export function readOnlyDenied(p: ProcedureInfo): VirError {
  return templatedError(ErrorNumber.VIR_ERR_OPERATION_DENIED, errorDomainOf(p.c), `read only access prevents ${p.c}`);
}
