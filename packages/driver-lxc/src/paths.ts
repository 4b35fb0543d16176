/**
 * Where the LXC driver keeps its files. libvirt's LXC driver uses /etc/libvirt/lxc and
 * /run/libvirt/lxc; virtkit keeps one tree, `VIRTKIT_LXC_ROOT` (default /var/lib/virtkit/lxc),
 * so a test or a second daemon can have its own.
 */
import * as path from 'node:path';

export interface LxcPaths {
  /** Persistent domain definitions, `NAME.xml`. */
  configDir: string;
  /** Symlinks naming the autostarted definitions. */
  autostartDir: string;
  /**
   * Running containers: `NAME.status.json` (state and live XML), and the controller's files:
   * its plan, pid file, console socket, log and exit record.
   */
  runDir: string;
}

export function lxcPaths(env: NodeJS.ProcessEnv = process.env): LxcPaths {
  const root = path.resolve(env.VIRTKIT_LXC_ROOT || '/var/lib/virtkit/lxc');
  return { configDir: path.join(root, 'etc'), autostartDir: path.join(root, 'etc', 'autostart'), runDir: path.join(root, 'run') };
}
