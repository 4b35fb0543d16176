/**
 * The command-line builder's view of the real host for one start: the driver's directories,
 * this process' environment, real randomness and files. Taps are opened by QEMU by name (see
 * net/interfaces.ts); what needs other fd passing (pre-opened sockets other than the monitor,
 * vhost devices) is refused with a clear error: the process runtime passes no other descriptors.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { checkNodesAvailable, hostNumaNodes } from '@virtkit/cgroups';
import { QEMU_CONF_DEFAULTS } from '../command/conf-defaults';
import type { QemuBuildContext, QemuDriverConfig } from '../command/types';
import type { QemuPaths } from '../paths';
import { findProgramInPath } from '../command/find-program';

/** Placeholder descriptor of the monitor socket: the runtime rewrites that chardev to a path. */
const MONITOR_FD = 3;

/** Host lookups other modules provide (storage pools and volumes, secrets). */
export type HostLookups = Partial<Pick<QemuBuildContext, 'lookupPool' | 'lookupVolume' | 'lookupSecret'>>;

function unsupported(what: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, `${what} is not supported by this driver yet`);
}

/** The parts of qemu.conf the builder reads, for a driver with these paths. */
export function hostDriverConfig(paths: QemuPaths, seccomp: boolean): QemuDriverConfig {
  return {
    ...QEMU_CONF_DEFAULTS,
    libDir: paths.libDir,
    channelTargetDir: paths.channelTargetDir,
    memoryBackingDir: paths.memoryBackingDir,
    nvramDir: paths.nvramDir,
    hugetlbfs: [],
    stateDir: path.join(paths.stateDir, 'run'),
    seccompSandbox: seccomp ? 1 : 0,
  };
}

/**
 * Ready `file` for a chardev socket QEMU itself binds (`path=...,server=on,wait=off`) and say so
 * by returning no descriptor. libvirt binds such sockets and passes the descriptors, so a client
 * (the guest agent's, virt-manager's) can connect the moment QEMU is spawned; the runtime here
 * passes QEMU only the monitor's descriptor, and QEMU listening on the path is equivalent once
 * the monitor answers, which a start waits for. The parent (the channel directory of the domain,
 * like libvirt's `channel/target/domain-N-name`) is made, and a stale socket of an earlier run
 * removed, or QEMU could not bind.
 */
function chardevListenPath(file: string): undefined {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
  fs.rmSync(file, { force: true });
  return undefined;
}

/**
 * A build context for starting domain `domainId`. `masterKey` is the domain's master key: the
 * builder draws it as its only 32-byte random value, so that draw returns it and the driver can
 * write the same key to `master-key.aes`.
 */
export function hostBuildContext(
  config: QemuDriverConfig,
  domainId: number,
  masterKey: Uint8Array,
  lookups: HostLookups = {},
  passedTaps: ReadonlyMap<string, number> = new Map(),
): QemuBuildContext {
  const nodes = hostNumaNodes();
  return {
    config,
    domainId,
    processEnv: { ...process.env },
    randomBytes: (n) => (n === masterKey.length ? masterKey : new Uint8Array(randomBytes(n))),
    now: () => Math.floor(Date.now() / 1000),
    lookupSecret:
      lookups.lookupSecret ??
      ((ref) => {
        throw VirError.create(
          ErrorNumber.VIR_ERR_NO_SECRET,
          ErrorDomain.VIR_FROM_SECRET,
          `no secret with matching ${ref.uuid ? `uuid '${ref.uuid}'` : `usage '${ref.usage ?? ''}'`}`,
        );
      }),
    lookupPool: lookups.lookupPool ?? (() => undefined),
    lookupVolume: lookups.lookupVolume ?? (() => undefined),
    numadPlacement: () => (nodes.length ? `${nodes[0]}-${nodes[nodes.length - 1]}` : '0'),
    hostNumaNodes: () => nodes,
    checkNodesetAvailable: (wanted) => checkNodesAvailable(wanted, nodes),
    openListenSocket: (p) => {
      if (path.basename(p) === 'monitor.sock') return MONITOR_FD;
      // The vhost-user-gpu socket is shared with a helper process this driver does not start.
      if (p.endsWith('-vhost-user-gpu.sock')) throw unsupported(`a pre-opened listening socket ('${p}')`);
      return chardevListenPath(p);
    },
    openChardevFile: (p) => {
      throw unsupported(`passing the chardev file '${p}'`);
    },
    // The tap exists already (net/interfaces.ts made it, or it is a managed='no' one): QEMU opens
    // it by name, so no descriptor is passed. A macvtap's character device is passed (`passedTaps`:
    // its descriptor number in QEMU).
    openTap: (ifname) => {
      if (!ifname) throw VirError.internal('a tap interface has no target dev', ErrorDomain.VIR_FROM_QEMU);
      const fd = passedTaps.get(ifname);
      return { ifname, fds: fd === undefined ? [] : [fd] };
    },
    // No vhost-net: libvirt opens it only for KVM guests, and passes it as a descriptor too.
    openVhostNet: () => [],
    openVdpa: () => {
      throw unsupported('vhost-vdpa');
    },
    openVhostVsock: () => {
      throw unsupported('vhost-vsock');
    },
    tpmEmulatorSocket: () => {
      throw unsupported('an emulated TPM');
    },
    openTpmPassthrough: () => {
      throw unsupported('TPM passthrough');
    },
    openVhostScsi: () => {
      throw unsupported('vhost-scsi');
    },
    scsiHostDevicePath: () => {
      throw unsupported('SCSI host device assignment');
    },
    defaultRenderNode: () => '/dev/dri/renderD128',
    isHostCdrom: (p) => {
      try {
        return fs.statSync(p).isBlockDevice() && /^\/dev\/(sr\d+|cdrom)$/.test(fs.realpathSync(p));
      } catch {
        return false;
      }
    },
    findProgram: findProgramInPath,
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (p) => {
      try {
        return fs.readdirSync(p);
      } catch {
        return [];
      }
    },
    fileExists: (p) => fs.existsSync(p),
  };
}
