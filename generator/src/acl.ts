/**
 * libvirt's ACL permissions (`object:permission`, e.g. `domain:getattr`) split into those that
 * only observe and the rest. A read-only connection holds exactly the observing ones, so a call
 * is read-only-safe exactly when every permission it always checks observes.
 *
 * An entry may name flags after a second colon, as libvirt's `@acl` annotations do
 * (`domain:read_secure:VIR_DOMAIN_XML_SECURE`, several joined with `|`): the permission is then
 * checked only when the call's flags hold one of them.
 */
import type { ApiModel, CallModel } from './model';

/** Whether a permission only observes: `getattr`, `read`, or a `search_*` listing. */
export function isReadPermission(perm: string): boolean {
  const verb = perm.slice(perm.indexOf(':') + 1);
  return verb === 'getattr' || verb === 'read' || verb.startsWith('search_');
}

/** One ACL entry of a call: the permission and the flags that bring it into play (none: always). */
export interface AclEntry {
  permission: string;
  flagNames: string[];
}

export function parseAclEntry(entry: string): AclEntry {
  const [object, verb, flags] = entry.split(':');
  return { permission: `${object}:${verb}`, flagNames: flags ? flags.split('|') : [] };
}

/** The permissions a call checks whatever its flags. */
export function unconditionalPermissions(call: CallModel): string[] {
  return call.acl
    .map(parseAclEntry)
    .filter((e) => !e.flagNames.length)
    .map((e) => e.permission);
}

/** A permission checked only with some flags, with the mask of those flags. */
export interface FlagPermission {
  permission: string;
  /** Checked when `flags & mask` is not 0. */
  mask: number;
  flagNames: string[];
}

/** The flag-conditional permissions of a call, with their flags resolved in the call's flags enum. */
export function flagPermissions(call: CallModel, model: ApiModel): FlagPermission[] {
  const members = model.enums.find((e) => e.name === call.flags)?.members ?? [];
  return call.acl
    .map(parseAclEntry)
    .filter((e) => e.flagNames.length)
    .map((e) => ({
      permission: e.permission,
      flagNames: e.flagNames,
      mask: e.flagNames.reduce((m, name) => {
        const member = members.find((x) => x.name === name);
        if (!member)
          throw new Error(`${call.file}: ${call.c}: ACL flag ${name} is not a member of ${call.flags ?? 'its (absent) flags enum'}`);
        return (m | member.value) >>> 0;
      }, 0),
    }));
}

/** An entry as the docs show it: `domain:read_secure (with VIR_DOMAIN_XML_SECURE)`. */
export function describeAclEntry(entry: string): string {
  const e = parseAclEntry(entry);
  return e.flagNames.length ? `${e.permission} (with ${e.flagNames.join(' or ')})` : e.permission;
}
