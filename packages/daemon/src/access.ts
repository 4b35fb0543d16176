/**
 * Access control of each procedure: the connection must hold every ACL permission that api/
 * records for the call. A read-write connection holds them all (libvirt's `none` access driver);
 * a read-only one holds only the permissions that observe (`READ_ONLY_PERMISSIONS`), and is refused
 * anything else with libvirt's read-only error — including a permission api/ checks only with
 * some flags (`domain:read_secure` with VIR_DOMAIN_XML_SECURE), when the call carries them.
 */
import { flagDenied, readOnlyDenied } from '@virtkit/core';
import type { VirError } from '@virtkit/core';
import { READ_ONLY_PERMISSIONS, type ProcedureInfo } from '@virtkit/protocol';

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
    if (!p.readOnlySafe || !p.acl.every((perm) => this.holds(perm))) return readOnlyDenied(p.c);
    const lacking = p.flagAcl.find((f) => (flags & f.mask) !== 0 && !this.holds(f.permission));
    return lacking ? flagDenied(p.c, lacking.flagNames) : null;
  }
}
