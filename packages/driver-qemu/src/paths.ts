/**
 * Directory layout of the QEMU driver per connection URI (libvirt's virQEMUDriverConfigNew,
 * with `virtkit` where libvirt says `libvirt`):
 *
 * - `qemu:///system` (root):  /etc/virtkit/qemu, /var/lib/virtkit/qemu, /run/virtkit/qemu,
 *   /var/cache/virtkit/qemu, /var/log/virtkit/qemu
 * - `qemu:///session` (per user): $XDG_CONFIG_HOME/virtkit/qemu, $XDG_DATA_HOME/virtkit/qemu,
 *   $XDG_RUNTIME_DIR/virtkit/qemu, $XDG_CACHE_HOME/virtkit/qemu, $XDG_CACHE_HOME/virtkit/qemu/log
 *   (libvirt keeps session logs under the cache dir)
 * - `qemu:///embed?root=DIR`: DIR/etc, DIR/lib, DIR/run, DIR/cache, DIR/log
 *
 * The derived directories (domain status files, capability cache, per-domain logs, ...) hang
 * off these roots the way libvirt arranges them.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export type QemuUriKind = 'system' | 'session' | 'embed';

export interface QemuPaths {
  kind: QemuUriKind;
  /** Configuration (qemu.conf, persistent domain XML in `configDir`). */
  configBaseDir: string;
  /** Persistent domain definitions (`<config>/qemu` in libvirt; here the config root itself). */
  configDir: string;
  /** Autostart links. */
  autostartDir: string;
  /** Long-lived state (`/var/lib/virtkit/qemu`): per-domain private dirs, save images, nvram... */
  libDir: string;
  /** Runtime state (`/run/virtkit/qemu`): one `<name>.json` status file per running domain. */
  stateDir: string;
  /** Capability cache root (`/var/cache/virtkit/qemu`); probes live in `<cacheDir>/capabilities`. */
  cacheDir: string;
  /** Per-domain QEMU logs (`<name>.log`). */
  logDir: string;
  /** Snapshot / checkpoint metadata. */
  snapshotDir: string;
  checkpointDir: string;
  /** Managed-save images. */
  saveDir: string;
  /** NVRAM images. */
  nvramDir: string;
  /** Guest channel sockets. */
  channelTargetDir: string;
  /** File-backed guest memory. */
  memoryBackingDir: string;
  /** Storage driver: persistent pool definitions, their autostart links, active pools' state. */
  storageConfigDir: string;
  storageAutostartDir: string;
  storageStateDir: string;
  /** Network driver: persistent network definitions (read for `<interface type='network'>`). */
  networkConfigDir: string;
  /** Network driver: running networks' status XML, `NAME.xml` (read for `<interface type='network'>`). */
  networkStateDir: string;
  /** Secret definitions, their encrypted values and the key (libvirt's secret driver directory). */
  secretDir: string;
}

export interface QemuPathsEnv {
  uid?: number;
  env?: Record<string, string | undefined>;
  homedir?: string;
}

/**
 * Where the storage driver keeps pools: libvirt's storage driver is a sibling of the QEMU one
 * (`/etc/libvirt/storage`, `/run/libvirt/storage`), so system and session use the parent of the
 * QEMU directories; embed keeps everything under its root.
 */
function storageDirs(
  kind: QemuUriKind,
  cfg: string,
  run: string,
): Pick<QemuPaths, 'storageConfigDir' | 'storageAutostartDir' | 'storageStateDir'> {
  const config = kind === 'embed' ? path.join(cfg, 'storage') : path.join(path.dirname(cfg), 'storage');
  const state = kind === 'embed' ? path.join(run, 'storage') : path.join(path.dirname(run), 'storage');
  return { storageConfigDir: config, storageAutostartDir: path.join(config, 'autostart'), storageStateDir: state };
}

/**
 * Where the network driver keeps networks: libvirt's are `/etc/libvirt/qemu/networks` and
 * `/run/libvirt/network`; embed keeps everything under its root.
 */
function networkDirs(kind: QemuUriKind, cfg: string, run: string): Pick<QemuPaths, 'networkConfigDir' | 'networkStateDir'> {
  return {
    networkConfigDir: path.join(cfg, 'networks'),
    networkStateDir: kind === 'embed' ? path.join(run, 'network') : path.join(path.dirname(run), 'network'),
  };
}

function derive(kind: QemuUriKind, cfg: string, lib: string, run: string, cache: string, log: string): QemuPaths {
  return {
    ...storageDirs(kind, cfg, run),
    ...networkDirs(kind, cfg, run),
    secretDir: kind === 'embed' ? path.join(cfg, 'secrets') : path.join(path.dirname(cfg), 'secrets'),
    kind,
    configBaseDir: cfg,
    configDir: cfg,
    autostartDir: path.join(cfg, 'autostart'),
    libDir: lib,
    stateDir: run,
    cacheDir: cache,
    logDir: log,
    snapshotDir: path.join(lib, 'snapshot'),
    checkpointDir: path.join(lib, 'checkpoint'),
    saveDir: path.join(lib, 'save'),
    nvramDir: path.join(lib, 'nvram'),
    channelTargetDir: path.join(lib, 'channel', 'target'),
    memoryBackingDir: path.join(lib, 'ram'),
  };
}

/** Paths for `qemu:///system`. */
export function systemPaths(): QemuPaths {
  return derive(
    'system',
    '/etc/virtkit/qemu',
    '/var/lib/virtkit/qemu',
    '/run/virtkit/qemu',
    '/var/cache/virtkit/qemu',
    '/var/log/virtkit/qemu',
  );
}

/** Paths for `qemu:///session` from the XDG variables (with the XDG defaults). */
export function sessionPaths(e: QemuPathsEnv = {}): QemuPaths {
  const env = e.env ?? process.env;
  const home = e.homedir ?? env.HOME ?? os.homedir();
  const uid = e.uid ?? (process.getuid ? process.getuid() : 0);
  const config = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const data = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const cache = env.XDG_CACHE_HOME || path.join(home, '.cache');
  // libvirt falls back to the cache dir when XDG_RUNTIME_DIR is unset.
  const runtime = env.XDG_RUNTIME_DIR || path.join(cache, `virtkit-runtime-${uid}`);
  const cacheQemu = path.join(cache, 'virtkit', 'qemu');
  return derive(
    'session',
    path.join(config, 'virtkit', 'qemu'),
    path.join(data, 'virtkit', 'qemu'),
    path.join(runtime, 'virtkit', 'qemu'),
    cacheQemu,
    path.join(cacheQemu, 'log'),
  );
}

/** Paths for `qemu:///embed?root=DIR`. */
export function embedPaths(root: string): QemuPaths {
  if (!path.isAbsolute(root)) {
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_NONE, 'root path must be absolute');
  }
  const r = path.resolve(root);
  return derive('embed', path.join(r, 'etc'), path.join(r, 'lib'), path.join(r, 'run'), path.join(r, 'cache'), path.join(r, 'log'));
}

/**
 * Paths for a `qemu://` URI, refusing what libvirt refuses: `/system` and `/session` for root
 * (libvirt keeps `/session` for root working), only `/session` otherwise, and `/embed` with an
 * absolute `root` for anyone.
 */
export function pathsForUri(uri: string, e: QemuPathsEnv = {}): QemuPaths {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw VirError.invalidArg(`could not parse connection URI '${uri}'`);
  }
  const p = decodeURIComponent(u.pathname);
  const uid = e.uid ?? (process.getuid ? process.getuid() : 0);
  if (p === '/embed') {
    const root = u.searchParams.get('root');
    if (!root) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_URI, `Missing URI parameter 'root'`);
    return embedPaths(root);
  }
  if (uid === 0 && p === '/system') return systemPaths();
  if (p === '/session') return sessionPaths(e);
  throw VirError.create(
    ErrorNumber.VIR_ERR_INTERNAL_ERROR,
    ErrorDomain.VIR_FROM_NONE,
    `unexpected qemu URI path '${p}', try qemu:///${uid === 0 ? 'system' : 'session'}`,
  );
}

/** Where the capability cache of one binary lives. */
export function capsCacheDir(paths: QemuPaths): string {
  return path.join(paths.cacheDir, 'capabilities');
}
