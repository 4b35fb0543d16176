/**
 * A running container's plan, made from its live definition: what the controller
 * (libexec/virtkit_lxc.cjs) sets up on the host (cgroups, network namespace, veth pairs) and the
 * shell script that, inside the container's fresh namespaces, mounts its filesystems and execs
 * `<init>` as PID 1 — what libvirt's lxc_container.c does in C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { PROCESS_CAPS, type DomainDef, type XmlElement } from '@virtkit/xml';
import { containerCgroups, type ContainerCgroups } from './cgroups';
import { deviceNodeLines, hostdevPlan } from './hostdev';
import { idMaps, type IdMaps } from './idmap';

export interface NicPlan {
  hostIf: string;
  peerIf: string;
  guestIf: string;
  bridge?: string;
  /** `<interface type='direct'>`: the host device the macvlan (made as `peerIf`) sits on, and its mode. */
  macvlanOf?: string;
  macvlanMode?: string;
  mac?: string;
  up: boolean;
  /** `address/prefix` of the guest side. */
  ips: string[];
  /** `address/prefix` of the host side (`<ip>` of an ethernet interface's host end: none here). */
  hostIps: string[];
  routes: Array<{ dest: string; gateway: string }>;
}

export interface ContainerPlan {
  name: string;
  runDir: string;
  socket: string;
  initScript: string;
  /** Where a root file system from an image or block device is mounted. */
  rootMount: string;
  init: string;
  netns: string | null;
  nics: NicPlan[];
  /** Host interfaces (`<hostdev mode='capabilities' type='net'>`) lent to the container. */
  hostNets: string[];
  /** `<idmap>`: the container gets a user namespace with these maps. */
  idmap?: IdMaps;
  cgroup: ContainerCgroups;
}

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_LXC, detail);

/** Quote one word for sh. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

interface FsMount {
  /** bind: a host folder; ram: tmpfs; image: a raw file on a loop device; block: a host block device. */
  type: 'bind' | 'ram' | 'image' | 'block';
  src?: string;
  dst: string;
  readonly: boolean;
  usageKiB?: string;
}

function filesystems(def: DomainDef): { root?: FsMount; others: FsMount[] } {
  const all: FsMount[] = [];
  for (const d of def.devices) {
    if (d.kind !== 'filesystem') continue;
    const type = d.el.attr('type') ?? 'mount';
    const dst = d.el.element('target')?.attr('dir') ?? '';
    const readonly = d.el.element('readonly') !== undefined;
    if (type === 'mount' || type === 'bind') all.push({ type: 'bind', src: d.el.element('source')?.attr('dir'), dst, readonly });
    else if (type === 'ram') all.push({ type: 'ram', dst, readonly, usageKiB: d.el.element('source')?.attr('usage') });
    else if (type === 'file') {
      const format = d.el.element('driver')?.attr('format') ?? 'raw';
      // libvirt attaches other formats through qemu-nbd, which this driver does not use.
      if (format !== 'raw') throw unsupported(`Unsupported filesystem format ${format}: only raw images are supported`);
      all.push({ type: 'image', src: d.el.element('source')?.attr('file'), dst, readonly });
    } else if (type === 'block') all.push({ type: 'block', src: d.el.element('source')?.attr('dev'), dst, readonly });
    else throw unsupported(`Unexpected filesystem type ${type}`);
  }
  return { root: all.find((f) => f.dst === '/'), others: all.filter((f) => f.dst !== '/') };
}

/** The devices of a container with a root of its own: a small /dev of host nodes and its own ptys. */
function devLines(root: string): string[] {
  const r = shQuote(root);
  return [
    `mount -t tmpfs -o mode=755,size=64k devfs ${r}/dev`,
    `for n in null zero full random urandom tty; do touch ${r}/dev/$n; mount --bind /dev/$n ${r}/dev/$n; done`,
    `mkdir -p ${r}/dev/pts && mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts ${r}/dev/pts && ln -s pts/ptmx ${r}/dev/ptmx`,
    // The console is the pty the controller holds the other end of.
    `touch ${r}/dev/console && mount --bind "$(tty)" ${r}/dev/console`,
  ];
}

/** Mount an image file (through a loop device) or a block device; the file system type is probed. */
function imageMount(m: FsMount, at: string): string {
  const opts = [...(m.type === 'image' ? ['loop'] : []), ...(m.readonly ? ['ro'] : [])];
  return `mount ${opts.length ? `-o ${opts.join(',')} ` : ''}${shQuote(m.src ?? '')} ${at}`;
}

function mountLines(root: string, mounts: FsMount[]): string[] {
  const lines: string[] = [];
  for (const m of mounts) {
    const at = shQuote(path.join(root, m.dst));
    if (m.type === 'ram') {
      lines.push(`mkdir -p ${at}`, `mount -t tmpfs -o size=${m.usageKiB ?? 0}k tmpfs ${at}`);
      continue;
    }
    if (!m.src) throw unsupported(`Missing source for filesystem ${m.dst}`);
    if (m.type === 'image' || m.type === 'block') {
      lines.push(`mkdir -p ${at}`, imageMount(m, at));
      continue;
    }
    lines.push(`[ -d ${shQuote(m.src)} ] && mkdir -p ${at} || { mkdir -p "$(dirname ${at})"; touch ${at}; }`);
    lines.push(`mount --bind ${shQuote(m.src)} ${at}`);
    if (m.readonly) lines.push(`mount -o remount,bind,ro ${at}`);
  }
  return lines;
}

function initCommand(def: DomainDef, root: string | undefined): string[] {
  const os = def.os.el;
  const init = os.childText('init');
  if (!init) throw unsupported('no init binary specified');
  const env = [
    'PATH=/bin:/sbin',
    'TERM=linux',
    'container=lxc-libvirt',
    'HOME=/',
    `container_uuid=${def.uuid}`,
    `LIBVIRT_LXC_UUID=${def.uuid}`,
    `LIBVIRT_LXC_NAME=${def.name}`,
    ...os.elements('initenv').map((e: XmlElement) => `${e.attr('name') ?? ''}=${e.text()}`),
  ];
  const runner = ['unshare', `--wd=${os.childText('initdir') ?? '/'}`];
  if (root) runner.push(`--root=${root}`);
  const user = os.childText('inituser');
  const group = os.childText('initgroup');
  if (user !== undefined) runner.push(`--setuid=${user}`);
  if (group !== undefined) runner.push(`--setgid=${group}`);
  // setpriv acts before `unshare` chroots and changes user, which need these three: they stay.
  const needed = new Set([...(root ? ['sys_chroot'] : []), ...(user !== undefined || group !== undefined ? ['setuid', 'setgid'] : [])]);
  const drop = droppedCapabilities(def).filter((c) => !needed.has(c));
  const caps = drop.length
    ? ['setpriv', `--bounding-set=${drop.map((c) => `-${c}`).join(',')}`, `--inh-caps=${drop.map((c) => `-${c}`).join(',')}`, '--']
    : [];
  return ['env', '-i', ...env, ...caps, ...runner, '--', init, ...os.elements('initarg').map((e: XmlElement) => e.text())];
}

/** What the default policy drops unless turned on: module loading, the clock, device nodes, audit and LSM control. */
const DROPPED_BY_DEFAULT = new Set(['sys_module', 'sys_time', 'mknod', 'audit_control', 'mac_admin']);

/**
 * The capabilities init loses (lxcContainerDropCapabilities): `<features><capabilities policy=…>`
 * with `default` (the set above, plus each one turned off), `allow` (only those turned off) or
 * `deny` (all but those turned on). CAP_SYS_BOOT stays, as reboot works in a PID namespace.
 */
export function droppedCapabilities(def: DomainDef): string[] {
  const el = def.preserved.get('features')?.[0]?.element('capabilities');
  const policy = el?.attr('policy') ?? 'default';
  const state = new Map((el?.elements() ?? []).map((c: XmlElement) => [c.name, c.attr('state')]));
  return PROCESS_CAPS.filter((cap) => {
    const s = state.get(cap);
    if (policy === 'deny') return s !== 'on';
    if (policy === 'allow') return s === 'off';
    return DROPPED_BY_DEFAULT.has(cap) ? s !== 'on' : s === 'off';
  });
}

/** The script run inside the container's namespaces, ending in the exec of its init. */
export function initScript(def: DomainDef, imageRoot: string): string {
  const { root, others } = filesystems(def);
  const fromImage = root?.type === 'image' || root?.type === 'block';
  const rootDir = fromImage ? imageRoot : root?.src;
  const lines = ['set -e', 'mount --make-rprivate /'];
  if (root && fromImage) lines.push(`mkdir -p ${shQuote(imageRoot)}`, imageMount(root, shQuote(imageRoot)));
  else if (rootDir) {
    lines.push(`mount --bind ${shQuote(rootDir)} ${shQuote(rootDir)}`);
    if (root?.readonly) lines.push(`mount -o remount,bind,ro ${shQuote(rootDir)}`);
  }
  lines.push(...mountLines(rootDir ?? '/', others));
  lines.push(`mkdir -p ${shQuote(path.join(rootDir ?? '/', 'proc'))}`, `mount -t proc proc ${shQuote(path.join(rootDir ?? '/', 'proc'))}`);
  if (rootDir) lines.push(...devLines(rootDir), ...deviceNodeLines(rootDir, hostdevPlan(def).nodes, shQuote));
  lines.push(`hostname ${shQuote(def.name)}`);
  lines.push(`exec ${initCommand(def, rootDir).map(shQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

function freeVethName(taken: Set<string>): string {
  for (let n = 0; ; n++) {
    const name = `veth${n}`;
    if (!taken.has(name) && !fs.existsSync(`/sys/class/net/${name}`)) {
      taken.add(name);
      return name;
    }
  }
}

/** The veth pairs of the definition's interfaces (bridge and ethernet; network resolved by the caller to its bridge). */
export function nicPlans(def: DomainDef, bridgeOfNetwork: (network: string) => string): NicPlan[] {
  const taken = new Set<string>();
  const nics: NicPlan[] = [];
  for (const d of def.devices) {
    if (d.kind !== 'interface') continue;
    const type = d.el.attr('type') ?? '';
    const src = d.el.element('source');
    let bridge: string | undefined;
    let macvlanOf: string | undefined;
    if (type === 'direct') macvlanOf = src?.attr('dev');
    else if (type === 'bridge') bridge = src?.attr('bridge');
    else if (type === 'network') bridge = bridgeOfNetwork(src?.attr('network') ?? '');
    else if (type !== 'ethernet') throw unsupported(`Unsupported network type ${type}`);
    const index = nics.length;
    // A macvlan has no host end: it is made as the peer, on its host device.
    const hostIf = macvlanOf ? '' : (d.el.element('target')?.attr('dev') ?? freeVethName(taken));
    nics.push({
      hostIf,
      macvlanOf,
      macvlanMode: macvlanOf ? (src?.attr('mode') ?? 'vepa') : undefined,
      peerIf: `vkp${process.pid % 100000}x${index}`,
      guestIf: d.el.element('guest')?.attr('dev') ?? `eth${index}`,
      bridge,
      mac: d.el.element('mac')?.attr('address'),
      up: d.el.element('link')?.attr('state') !== 'down',
      ips: d.el.elements('ip').map((ip) => `${ip.attr('address')}/${ip.attr('prefix') ?? (ip.attr('family') === 'ipv6' ? '64' : '24')}`),
      hostIps: [],
      routes: d.el.elements('route').map((r) => ({
        dest: r.attr('address') === '0.0.0.0' || r.attr('address') === '::' ? 'default' : `${r.attr('address')}/${r.attr('prefix') ?? ''}`,
        gateway: r.attr('gateway') ?? '',
      })),
    });
  }
  return nics;
}

/** Whether the container gets a network namespace of its own (libvirt: NICs, host interfaces, or `<features><privnet/>`). */
export function wantsNetns(def: DomainDef, nics: NicPlan[], hostNets: string[]): boolean {
  return nics.length > 0 || hostNets.length > 0 || def.preserved.get('features')?.[0]?.element('privnet') !== undefined;
}

export function containerPlan(def: DomainDef, runDir: string, bridgeOfNetwork: (network: string) => string): ContainerPlan {
  const nics = nicPlans(def, bridgeOfNetwork);
  const hostNets = hostdevPlan(def).nets;
  return {
    name: def.name,
    runDir,
    socket: path.join(runDir, `${def.name}.sock`),
    initScript: path.join(runDir, `${def.name}.init.sh`),
    rootMount: path.join(runDir, `${def.name}.root`),
    init: def.os.el.childText('init') ?? '',
    netns: wantsNetns(def, nics, hostNets) ? `vk-lxc-${def.name}`.slice(0, 60) : null,
    nics,
    hostNets,
    idmap: idMaps(def),
    cgroup: containerCgroups(def),
  };
}
