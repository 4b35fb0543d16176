/**
 * Inputs and output of the QEMU command-line builder. The builder itself never touches the host:
 * everything host-dependent (directories, file descriptors, randomness, secrets, storage pools,
 * NUMA placement, hugepage mounts) comes from a QemuBuildContext. The driver supplies one backed
 * by the real host; the test corpus supplies the fixed fake host of libvirt's test suite.
 */
import type { XmlElement } from '@virtkit/xml';

/** The command to run: environment block and argv (argv[0] is the emulator binary). */
export interface QemuCommand {
  env: Array<[string, string]>;
  argv: string[];
  /** The block node index of each disk layer (the disk or `<backingStore>` element): libvirt-N-*. */
  nodeIndex?: ReadonlyMap<XmlElement, number>;
}

/** One hugetlbfs mount. */
export interface HugetlbfsMount {
  mnt: string;
  /** Page size in KiB. */
  size: number;
  deflt: boolean;
}

/** A storage pool as the builder needs it (for `<disk type='volume'>`). */
export interface PoolInfo {
  /** The pool's XML description. */
  xml: string;
  active: boolean;
}

/** A volume looked up in a pool. */
export interface VolumeInfo {
  /** Volume type: file, block, dir, network, netdir, ploop. */
  type: string;
  path: string;
}

/** Driver configuration (the parts of qemu.conf the builder reads). */
export interface QemuDriverConfig {
  libDir: string;
  channelTargetDir: string;
  memoryBackingDir: string;
  nvramDir: string;
  spiceTLS: boolean;
  spiceTLSx509certdir: string;
  spicePassword?: string;
  vncTLS: boolean;
  vncSASL: boolean;
  spiceSASL: boolean;
  chardevTLS: boolean;
  dumpGuestCore: boolean;
  /** Default x509 dir (`/etc/pki/qemu`). */
  defaultTLSx509certdir: string;
  hugetlbfs: HugetlbfsMount[];
  /** Runtime dir for D-Bus/passt/slirp state (`.../libvirt/qemu/run`). */
  stateDir: string;
  /** Host has seccomp sandbox support; `-sandbox` is written when true. */
  seccompSandbox: number;
}

/** Host-dependent services and state the builder consults. */
export interface QemuBuildContext {
  config: QemuDriverConfig;
  /** Domain id the command is for (-1 in tests). */
  domainId: number;
  /** Environment of the builder process (PATH, USER, LOGNAME, HOME, ...). */
  processEnv: Record<string, string | undefined>;
  /** Fill `n` random bytes. */
  randomBytes(n: number): Uint8Array;
  /** Current time in seconds since the epoch. */
  now(): number;
  /** Secret value by usage (`type`, usage id) or UUID; throws VirError when unknown. */
  lookupSecret(ref: { uuid?: string; usageType?: string; usage?: string }): Uint8Array;
  /** Storage pool by name (undefined: no such pool). */
  lookupPool(name: string): PoolInfo | undefined;
  /** Volume in a pool (undefined: no such volume). */
  lookupVolume(pool: string, volume: string): VolumeInfo | undefined;
  /** numad's advice for automatic placement (a node set such as `0-3`). */
  numadPlacement(): string;
  /** Host NUMA nodes that exist (for nodeset checks). */
  hostNumaNodes(): number[];
  /** Fail (VirError) when a host node of a numatune nodeset is not available. */
  checkNodesetAvailable(nodes: number[]): void;
  /**
   * A listening UNIX socket for a chardev backend / monitor: its fd, or undefined when QEMU is to
   * create and listen on `path` itself (a host that passes QEMU no descriptor but the monitor's).
   */
  openListenSocket(path: string): number | undefined;
  /** A chardev file source opened for passing: returns the fd. */
  openChardevFile(path: string, kind: 'source' | 'log'): number;
  /**
   * Tap device fds for a NIC (one per queue) and its interface name. No fds: QEMU opens the
   * existing tap `ifname` itself (the real host's way, see the driver's net/interfaces.ts).
   */
  openTap(ifname: string | undefined, queues: number): { ifname: string; fds: number[] };
  /** vhost-net fds for a NIC (one per queue); none: no vhost. */
  openVhostNet(queues: number): number[];
  /** Fd of a vhost-vdpa character device (`<interface type='vdpa'><source dev>`), passed with `-add-fd`. */
  openVdpa(devicePath: string): number;
  /** Fd of a vhost-vsock device and the CID to use when auto-assigned. */
  openVhostVsock(requestedCid: number | undefined): { fd: number; cid: number };
  /** The swtpm control socket of an emulated TPM (swtpm is started by the driver). */
  tpmEmulatorSocket(shortName: string, alias: string): string;
  /** Fds of a passed-through TPM device and of its cancel file. */
  openTpmPassthrough(devicePath: string): { fd: number; cancelFd: number };
  /** Fd for a vhost-scsi host device. */
  openVhostScsi(wwpn: string): number;
  /** Generic SCSI device node for a host SCSI adapter address. */
  scsiHostDevicePath(adapter: string, bus: number, target: number, unit: number): string;
  /** DRM render node to use when none is configured. */
  defaultRenderNode(): string;
  /** Whether a host path names a CD-ROM device (`host_cdrom`). */
  isHostCdrom(path: string): boolean;
  /** Look up a program in PATH (undefined when not found). */
  findProgram(name: string): string | undefined;
  /** Read a host file; undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Names of files in a directory (empty when it does not exist). */
  listDir(path: string): string[];
  /** Whether a host path exists (an NVRAM varstore already made). */
  fileExists(path: string): boolean;
}
