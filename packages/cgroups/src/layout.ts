/**
 * Which cgroup layout this host has: cgroup v1 controllers under <root>/<controller> (alone, or
 * "hybrid" beside an empty cgroup2 at <root>/unified, which is ignored), or a pure cgroup v2
 * tree at <root>. The root is /sys/fs/cgroup unless VIRTKIT_CGROUP_ROOT names another.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The host's cgroup layout. */
export interface CgroupLayout {
  /** One unified hierarchy (cgroup v2) rather than one per controller (v1). */
  v2: boolean;
  root: string;
}

/** The layout under `root`: v2 when the root itself is a cgroup2 hierarchy. */
export function cgroupLayout(root = process.env.VIRTKIT_CGROUP_ROOT || '/sys/fs/cgroup'): CgroupLayout {
  return { v2: fs.existsSync(path.join(root, 'cgroup.controllers')), root };
}
