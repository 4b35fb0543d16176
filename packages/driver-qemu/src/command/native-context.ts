/**
 * A build context that changes nothing on the host, for converting domain XML to a command line
 * without starting anything (`domxml-to-native qemu-argv`). Fds and generated paths are
 * placeholders in the style libvirt uses for such conversions; secrets cannot be resolved.
 */
import { randomBytes } from 'node:crypto';
import { VirError } from '@virtkit/core';
import { QEMU_CONF_DEFAULTS } from './conf-defaults';
import { findProgramInPath } from './find-program';
import type { QemuBuildContext, QemuDriverConfig } from './types';

export const DEFAULT_SYSTEM_CONFIG: QemuDriverConfig = {
  ...QEMU_CONF_DEFAULTS,
  libDir: '/var/lib/libvirt/qemu',
  channelTargetDir: '/var/lib/libvirt/qemu/channel/target',
  memoryBackingDir: '/var/lib/libvirt/qemu/ram',
  nvramDir: '/var/lib/libvirt/qemu/nvram',
  hugetlbfs: [{ mnt: '/dev/hugepages', size: 2048, deflt: true }],
  stateDir: '/run/libvirt/qemu',
  seccompSandbox: 1,
};

export function nativeConversionContext(config: Partial<QemuDriverConfig> = {}): QemuBuildContext {
  let nextFd = 3;
  return {
    config: { ...DEFAULT_SYSTEM_CONFIG, ...config },
    domainId: -1,
    processEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', USER: process.env.USER, LOGNAME: process.env.LOGNAME, HOME: process.env.HOME },
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    now: () => Math.floor(Date.now() / 1000),
    lookupSecret: (ref) => {
      throw VirError.internal(`secret '${ref.uuid ?? ref.usage ?? ''}' cannot be looked up during a native conversion`);
    },
    lookupPool: () => undefined,
    lookupVolume: () => undefined,
    numadPlacement: () => '0',
    hostNumaNodes: () => [0],
    checkNodesetAvailable: () => undefined,
    openListenSocket: () => nextFd++,
    openChardevFile: () => nextFd++,
    openTap: (ifname, queues) => ({ ifname: ifname ?? 'vnet0', fds: Array.from({ length: queues }, () => nextFd++) }),
    openVhostNet: (queues) => Array.from({ length: queues }, () => nextFd++),
    openVdpa: () => nextFd++,
    openVhostVsock: (cid) => ({ fd: nextFd++, cid: cid ?? 3 }),
    openVhostScsi: () => nextFd++,
    tpmEmulatorSocket: (shortName) => `/run/libvirt/qemu/swtpm/${shortName}-swtpm.sock`,
    openTpmPassthrough: () => ({ fd: nextFd++, cancelFd: nextFd++ }),
    scsiHostDevicePath: () => '/dev/sg0',
    defaultRenderNode: () => '/dev/dri/renderD128',
    isHostCdrom: (p) => p === '/dev/cdrom' || p.startsWith('/dev/sr'),
    // A probe, as libvirt's validation makes (swtpm for emulated TPMs), not a change to the host.
    findProgram: findProgramInPath,
    readFile: () => undefined,
    listDir: () => [],
    fileExists: () => false,
  };
}
