/**
 * `<idmap>`: a container in a user namespace of its own, whose uids and gids map onto host ids
 * (`<uid start='0' target='100000' count='65536'/>` and the same for `<gid>`). The chain's
 * chain's shell makes the namespace and writes its maps; the container's other namespaces are
 * made inside it, so that its root may mount, name its host and chroot there. The network
 * namespace (made by the driver) stays the host's: the container's root cannot reconfigure it.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef, XmlElement } from '@virtkit/xml';

export interface IdMaps {
  /** The contents of uid_map and gid_map: `start target count` lines. */
  uid: string;
  gid: string;
}

function mapText(entries: XmlElement[]): string {
  return entries.map((e) => `${e.attr('start') ?? '0'} ${e.attr('target') ?? '0'} ${e.attr('count') ?? '0'}\n`).join('');
}

export function idMaps(def: DomainDef): IdMaps | undefined {
  const el = def.preserved.get('idmap')?.[0];
  if (!el) return undefined;
  const uids = el.elements('uid');
  const gids = el.elements('gid');
  // libvirt's rule: the container's root must be someone on the host.
  if (!uids.some((u) => u.attr('start') === '0') || !gids.some((g) => g.attr('start') === '0')) {
    throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_LXC, 'You must map the root user of container');
  }
  return { uid: mapText(uids), gid: mapText(gids) };
}

/**
 * Shell lines that make the user namespace, held by a `sleep` of the container's groups, and
 * write its maps from outside (only a process privileged in the host's namespace may). After
 * them, `$userns` (exported) names the namespace for `nsenter --user`, which enters it as its root: only a
 * process that is root there when it execs keeps its capabilities inside.
 */
export function userNamespaceLines(maps: IdMaps, quote: (s: string) => string): string[] {
  return [
    'unshare --user sleep 2147483647 </dev/null >/dev/null 2>&1 & holder=$!',
    // Until the holder has its namespace, its maps are the host's, which cannot be rewritten.
    `until printf '%s' ${quote(maps.uid)} 2>/dev/null > /proc/$holder/uid_map; do sleep 0.005; done`,
    `until printf '%s' ${quote(maps.gid)} 2>/dev/null > /proc/$holder/gid_map; do sleep 0.005; done`,
    'export userns=/proc/$holder/ns/user',
  ];
}
