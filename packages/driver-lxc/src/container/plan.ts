/**
 * A running container's plan, made from its live definition: what the controller
 * (libexec/virtkit_lxc.cjs) sets up on the host (cgroups, network namespace, veth pairs) and the
 * shell script that, inside the container's fresh namespaces, mounts its filesystems and execs
 * `<init>` as PID 1 — what libvirt's lxc_container.c does in C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef, XmlElement } from '@virtkit/xml';
import { containerCgroups, type ContainerCgroups } from './cgroups';

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
  init: string;
  netns: string | null;
  nics: NicPlan[];
  cgroup: ContainerCgroups;
}

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_LXC, detail);

/** Quote one word for sh. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

interface FsMount {
  type: 'bind' | 'ram';
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

function mountLines(root: string, mounts: FsMount[]): string[] {
  const lines: string[] = [];
  for (const m of mounts) {
    const at = shQuote(path.join(root, m.dst));
    if (m.type === 'ram') {
      lines.push(`mkdir -p ${at}`, `mount -t tmpfs -o size=${m.usageKiB ?? 0}k tmpfs ${at}`);
      continue;
    }
    if (!m.src) throw unsupported(`Missing source for filesystem ${m.dst}`);
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
  return ['env', '-i', ...env, ...runner, '--', init, ...os.elements('initarg').map((e: XmlElement) => e.text())];
}

/** The script run inside the container's namespaces, ending in the exec of its init. */
export function initScript(def: DomainDef): string {
  const { root, others } = filesystems(def);
  const rootDir = root?.src;
  const lines = ['set -e', 'mount --make-rprivate /'];
  if (rootDir) {
    lines.push(`mount --bind ${shQuote(rootDir)} ${shQuote(rootDir)}`);
    if (root?.readonly) lines.push(`mount -o remount,bind,ro ${shQuote(rootDir)}`);
  }
  lines.push(...mountLines(rootDir ?? '/', others));
  lines.push(`mkdir -p ${shQuote(path.join(rootDir ?? '/', 'proc'))}`, `mount -t proc proc ${shQuote(path.join(rootDir ?? '/', 'proc'))}`);
  if (rootDir) lines.push(...devLines(rootDir));
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
    if (type === 'bridge') bridge = src?.attr('bridge');
    else if (type === 'network') bridge = bridgeOfNetwork(src?.attr('network') ?? '');
    else if (type !== 'ethernet') throw unsupported(`Unsupported network type ${type}`);
    const index = nics.length;
    const hostIf = d.el.element('target')?.attr('dev') ?? freeVethName(taken);
    nics.push({
      hostIf,
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

/** Whether the container gets a network namespace of its own (libvirt: NICs, or `<features><privnet/>`). */
export function wantsNetns(def: DomainDef, nics: NicPlan[]): boolean {
  return nics.length > 0 || def.preserved.get('features')?.[0]?.element('privnet') !== undefined;
}

export function containerPlan(def: DomainDef, runDir: string, bridgeOfNetwork: (network: string) => string): ContainerPlan {
  const nics = nicPlans(def, bridgeOfNetwork);
  const memtuneHard = def.preserved.get('memtune')?.[0]?.element('hard_limit');
  const hardKiB = memtuneHard ? BigInt(memtuneHard.text().trim()) : undefined;
  return {
    name: def.name,
    runDir,
    socket: path.join(runDir, `${def.name}.sock`),
    initScript: path.join(runDir, `${def.name}.init.sh`),
    init: def.os.el.childText('init') ?? '',
    netns: wantsNetns(def, nics) ? `vk-lxc-${def.name}`.slice(0, 60) : null,
    nics,
    cgroup: containerCgroups(def.name, hardKiB !== undefined && hardKiB < def.memory ? hardKiB : def.memory),
  };
}
