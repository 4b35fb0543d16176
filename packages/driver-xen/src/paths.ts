/**
 * Where the Xen driver keeps its files and which `xl` it runs. libvirt's libxl driver uses
 * /etc/libvirt/libxl and /run/libvirt/libxl; virtkit keeps one tree, `VIRTKIT_XEN_ROOT`
 * (default /var/lib/virtkit/xen), so a test or a second daemon can have its own.
 */
import * as path from 'node:path';

export interface XenPaths {
  /** Persistent domain definitions, `NAME.xml`. */
  configDir: string;
  /** Symlinks naming the autostarted definitions. */
  autostartDir: string;
  /** Running domains: their status (`NAME.status.json`: state and live XML) and the xl.cfg they were created from (`NAME.cfg`). */
  runDir: string;
  /** Managed-save images, `NAME.save`. */
  saveDir: string;
  /** The xl command: `VIRTKIT_XL`, default `xl` from PATH. */
  xl: string;
  /** The command reading xenstore (where xenconsoled names a console's pty): `VIRTKIT_XENSTORE_READ`, default `xenstore-read`. */
  xenstoreRead: string;
}

export function xenPaths(env: NodeJS.ProcessEnv = process.env): XenPaths {
  const root = path.resolve(env.VIRTKIT_XEN_ROOT || '/var/lib/virtkit/xen');
  return {
    configDir: path.join(root, 'etc'),
    autostartDir: path.join(root, 'etc', 'autostart'),
    runDir: path.join(root, 'run'),
    saveDir: path.join(root, 'save'),
    xl: env.VIRTKIT_XL || 'xl',
    xenstoreRead: env.VIRTKIT_XENSTORE_READ || 'xenstore-read',
  };
}
