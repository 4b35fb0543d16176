/**
 * An LXC container configuration (`lxc-tools` native format) → domain XML, following libvirt's
 * lxcParseConfigString: legacy and LXC 3.0 keys, root and `lxc.mount.entry` filesystems, NICs,
 * ttys as consoles, id maps, cgroup tunables and dropped capabilities. The result is a domain
 * document that then goes through the LXC driver's parser like any other definition.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { ARCH_NAMES, PROCESS_CAPS, escapeXml } from '@virtkit/xml';
import { LxcConf } from './conf';
import { lxcInternal } from './errors';
import { convertNetworks } from './network';
import { convertSize, convertTune } from './tune';

/** The mounts every container gets (lxcBasicMounts, with SELinux): an entry for one is dropped. */
const BASIC_MOUNTS = new Set([
  '/proc',
  '/proc/sys',
  '/proc/sys/net/ipv4',
  '/proc/sys/net/ipv6',
  '/sys',
  '/sys/kernel/security',
  '/sys/fs/selinux',
]);

/** virArchFromString's names, plus LXC's own spellings. */
function archOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (ARCH_NAMES.has(value)) return value;
  if (value === 'x86') return 'i686';
  if (value === 'amd64') return 'x86_64';
  return undefined;
}

function fsXml(type: string, source: string | undefined, dst: string, readonly: boolean, usageBytes = 0n): string {
  let src = '';
  if (type === 'ram') src = `<source usage='${usageBytes}' units='bytes'/>`;
  else if (source !== undefined) src = `<source ${type === 'block' ? 'dev' : 'dir'}='${escapeXml(source)}'/>`;
  return `<filesystem type='${type}' accessmode='passthrough'>${src}<target dir='${escapeXml(dst)}'/>${readonly ? '<readonly/>' : ''}</filesystem>`;
}

function rootfsXml(conf: LxcConf): string {
  const root = conf.getEither('lxc.rootfs.path', 'lxc.rootfs');
  if (root === undefined) throw VirError.unknownCause();
  return fsXml(root.startsWith('/dev/') ? 'block' : 'mount', root, '/', false);
}

/** lxcAddFstabLine: one `lxc.mount.entry` (fstab syntax), or nothing for a basic mount. */
function mountEntryXml(line: string): string | undefined {
  const parts = line.replaceAll('\t', ' ').split(' ').filter(Boolean);
  if (parts.length < 4) throw VirError.unknownCause();
  const [src, rawDst, fstype, optText] = parts;
  const options = optText.split(',');
  const dst = rawDst.startsWith('/') ? rawDst : `/${rawDst}`;
  if (BASIC_MOUNTS.has(dst)) return undefined;
  let type = 'mount';
  let source: string | undefined = src;
  let usage = 0n;
  if (fstype === 'tmpfs') {
    type = 'ram';
    source = undefined;
    const size = options.find((o) => o.startsWith('size='));
    if (size === undefined) throw lxcInternal('missing tmpfs size, set the size option');
    usage = convertSize(size.slice('size='.length));
  }
  if (src.startsWith('/dev/')) type = 'block';
  return fsXml(type, source, dst, options.includes('ro'), usage);
}

function consolesXml(conf: LxcConf): string[] {
  const value = conf.getEither('lxc.tty.max', 'lxc.tty');
  if (value === undefined) return [];
  if (!/^[ \t\n\r\f\v]*[+-]?\d+$/.test(value) || Math.abs(Number(value)) > 2 ** 31 - 1)
    throw lxcInternal(`failed to parse int: '${value}'`);
  const out: string[] = [];
  for (let port = 0; port < Number(value); port++) out.push(`<console type='pty'><target type='lxc' port='${port}'/></console>`);
  return out;
}

/** lxcIdmapWalkCallback: `u|g TARGET START COUNT` lines of `lxc.idmap` (legacy `lxc.id_map`). */
function idmapXml(conf: LxcConf): string | undefined {
  const uids: string[] = [];
  const gids: string[] = [];
  for (const { name, value } of conf.entries) {
    if (name !== 'lxc.idmap' && name !== 'lxc.id_map') continue;
    const m = /^(.)\s*\+?(\d+)\s*\+?(\d+)\s*\+?(\d+)/s.exec(value);
    if (!m) throw lxcInternal(`invalid ${name}: '${value}'`);
    const entry = (tag: string) => `<${tag} start='${m[3]}' target='${m[2]}' count='${m[4]}'/>`;
    if (m[1] === 'u') uids.push(entry('uid'));
    else if (m[1] === 'g') gids.push(entry('gid'));
    else throw VirError.unknownCause();
  }
  return uids.length || gids.length ? `<idmap>${uids.join('')}${gids.join('')}</idmap>` : undefined;
}

function capabilitiesXml(conf: LxcConf): string {
  const drop = conf.get('lxc.cap.drop')?.split(' ') ?? [];
  const off = PROCESS_CAPS.filter((c) => drop.includes(c)).map((c) => `<${c} state='off'/>`);
  return off.length ? `<capabilities policy='allow'>${off.join('')}</capabilities>` : "<capabilities policy='allow'/>";
}

/** lxcParseConfigString up to the domain document (post-parse is the caller's). */
export function lxcConfigDocument(config: string): { xml: string; hasArch: boolean } {
  const conf = new LxcConf(config);
  const arch = archOf(conf.get('lxc.arch'));
  const name = conf.getEither('lxc.uts.name', 'lxc.utsname');
  if (name === undefined) throw VirError.unknownCause();
  const filesystems = [rootfsXml(conf)];
  if (conf.has('lxc.mount.fstab') || conf.has('lxc.mount')) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      ErrorDomain.VIR_FROM_LXC,
      'lxc.mount.fstab or lxc.mount found, use lxc.mount.entry lines instead',
    );
  }
  for (const { name: key, value } of conf.entries) {
    if (key !== 'lxc.mount.entry') continue;
    const fs = mountEntryXml(value);
    if (fs) filesystems.push(fs);
  }
  const nets = convertNetworks(conf.entries);
  const consoles = consolesXml(conf);
  const idmap = idmapXml(conf);
  const tune = convertTune(conf);
  const memory = tune.memoryKiB ?? 65536n;
  const xml = [
    "<domain type='lxc'>",
    `<name>${escapeXml(name)}</name>`,
    `<memory unit='KiB'>${memory}</memory>`,
    `<currentMemory unit='KiB'>${memory}</currentMemory>`,
    tune.blkiotune ?? '',
    tune.memtune ?? '',
    `<vcpu placement='static'${tune.cpuset !== undefined ? ` cpuset='${tune.cpuset}'` : ''}>1</vcpu>`,
    tune.cputune ?? '',
    tune.numatune ?? '',
    `<os><type${arch ? ` arch='${arch}'` : ''}>exe</type><init>/sbin/init</init></os>`,
    idmap ?? '',
    `<features>${nets.privnet ? '<privnet/>' : ''}${capabilitiesXml(conf)}</features>`,
    "<clock offset='utc'/>",
    '<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>',
    '<devices>',
    ...filesystems,
    ...nets.interfaces,
    ...consoles,
    ...nets.hostdevs,
    '</devices>',
    '</domain>',
  ].join('');
  return { xml, hasArch: arch !== undefined };
}
