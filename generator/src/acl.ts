/**
 * libvirt's ACL permissions (`object:permission`, e.g. `domain:getattr`) split into those that
 * only observe and the rest. A read-only connection holds exactly the observing ones, so a call
 * is read-only-safe exactly when every permission it checks observes.
 */

/** Whether a permission only observes: `getattr`, `read`, or a `search_*` listing. */
export function isReadPermission(perm: string): boolean {
  const verb = perm.slice(perm.indexOf(':') + 1);
  return verb === 'getattr' || verb === 'read' || verb.startsWith('search_');
}
