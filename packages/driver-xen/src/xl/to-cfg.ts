/** XenDomain → xl.cfg, following libvirt's xenFormatXL and the xm/xl common formatter. */
import { randomBytes } from 'node:crypto';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { Conf, type ConfValue } from './conf';
import { formatBitmap, parseBitmap } from './bitmap';
import { cpuFeatureToLibxl } from './cpu-features';
import type { XenChr, XenDisk, XenDomain, XenNet } from './model';

/** The hotplug script of a bridged vif when the definition names none (DEFAULT_VIF_SCRIPT). */
const DEFAULT_VIF_SCRIPT = 'vif-bridge';
/** Xen's OUI, which libvirt's libxl driver uses for generated MAC addresses. */
const XEN_MAC_PREFIX = '00:16:3e';

const unsupported = (message: string): VirError =>
  VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_XENXL, message);
const internal = (message: string): VirError => VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XENXL, message);

const kibToMib = (kib: bigint): bigint => (kib + 1023n) / 1024n;

function chrString(chr: XenChr): string {
  switch (chr.type) {
    case 'null':
    case 'stdio':
    case 'vc':
    case 'pty':
      return chr.type;
    case 'file':
    case 'pipe':
      return `${chr.type}:${chr.path ?? ''}`;
    case 'dev':
      return chr.path ?? '';
    case 'tcp':
      return `${chr.telnet ? 'telnet' : 'tcp'}:${chr.host ?? ''}:${chr.service ?? ''}${chr.listen ? ',server,nowait' : ''}`;
    case 'udp':
      return `udp:${chr.host ?? ''}:${chr.service ?? ''}@${chr.bindHost ?? ''}:${chr.bindService ?? ''}`;
    case 'unix':
      return `unix:${chr.path ?? ''}${chr.listen ? ',server,nowait' : ''}`;
    default:
      throw unsupported(`unsupported chr device type '${chr.type}'`);
  }
}

function vifString(net: XenNet, hvm: boolean): string {
  let s = `mac=${net.mac ?? randomMac()}`;
  switch (net.type) {
    case 'bridge': {
      s += `,bridge=${net.bridge ?? ''}`;
      let script = net.script;
      if (net.openvswitch) {
        script ??= 'vif-openvswitch';
        if (net.vlanTags.length > 0) s += net.vlanTrunk ? net.vlanTags.map((t) => `:${t}`).join('') : `.${net.vlanTags[0]}`;
      }
      if (net.ips.length > 0) s += `,ip=${net.ips.join(' ')}`;
      s += `,script=${script ?? DEFAULT_VIF_SCRIPT}`;
      break;
    }
    case 'ethernet':
      if (net.script) s += `,script=${net.script}`;
      if (net.ips.length > 0) s += `,ip=${net.ips.join(' ')}`;
      break;
    case 'network':
      throw VirError.create(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_NETWORK, net.network ?? '');
  }
  if (net.model) s += hvm && net.model === 'netfront' ? ',type=vif' : `,model=${net.model}`;
  if (net.ifname) s += `,vifname=${net.ifname}`;
  if (net.rateOut) s += `,rate=${net.rateOut}KB/s`;
  return s;
}

function randomMac(): string {
  const b = randomBytes(3);
  return `${XEN_MAC_PREFIX}:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

function rbdString(disk: XenDisk): string {
  const name = disk.rbdName ?? '';
  const slash = name.indexOf('/');
  const image = slash < 0 ? name : name.slice(slash + 1);
  if (image.includes(':')) throw unsupported(`':' not allowed in RBD source volume name '${image}'`);
  let s = `rbd:${name}:auth_supported=none`;
  if (disk.hosts.length > 0) {
    s += ':mon_host=';
    s += disk.hosts
      .map((h) => {
        const host = h.name.includes(':') ? `[${h.name.replace(/:/g, '\\:')}]` : h.name;
        return h.port ? `${host}\\\\:${h.port}` : host;
      })
      .join('\\\\;');
  }
  return s;
}

function diskString(disk: XenDisk): string {
  const formats: Record<string, string> = { raw: 'raw', vhd: 'xvhd', qcow: 'qcow', qcow2: 'qcow2', qed: 'qed' };
  let s = `format=${formats[disk.format ?? ''] ?? 'raw'},vdev=${disk.dst},access=${disk.readonly ? 'ro' : disk.shareable ? '!' : 'rw'}`;
  if (disk.transient) throw unsupported('transient disks not supported yet');
  if (disk.driverName) {
    const backend: Record<string, string> = { qemu: 'qdisk', file: 'qdisk', tap: 'tap', phy: 'phy' };
    s += `,backendtype=${backend[disk.driverName] ?? ''}`;
  }
  if (disk.device === 'cdrom') s += ',devtype=cdrom';
  let target: string | undefined;
  if (disk.type === 'network') {
    if (disk.protocol !== 'rbd')
      throw VirError.create(
        ErrorNumber.VIR_ERR_NO_SUPPORT,
        ErrorDomain.VIR_FROM_XENXL,
        `Unsupported network block protocol '${disk.protocol ?? 'none'}'`,
      );
    target = rbdString(disk);
  } else if (disk.type === 'file' || disk.type === 'block' || disk.type === 'dir') {
    target = disk.path;
  } else if (disk.path !== undefined) {
    throw internal('unsupported storage type for this code path');
  }
  if (target) s += `,target=${target}`;
  return s;
}

function formatHvmTime(conf: Conf, def: XenDomain): number {
  const c = def.clock;
  switch (c.offset) {
    case 'variable':
      conf.setInt('rtc_timeoffset', c.adjustment ?? 0);
      return c.basis === 'localtime' ? 1 : 0;
    case 'utc':
    case 'localtime':
      if (c.reset) throw unsupported("unsupported clock adjustment='reset'");
      conf.setInt('rtc_timeoffset', 0);
      return c.offset === 'localtime' ? 1 : 0;
    default:
      throw unsupported(`unsupported clock offset='${String(c.offset)}'`);
  }
}

function formatCommon(conf: Conf, def: XenDomain): void {
  const hvm = def.osType === 'hvm';
  conf.setString('name', def.name);
  conf.setString('uuid', def.uuid);
  conf.setInt('maxmem', kibToMib(def.memoryKiB));
  conf.setInt('memory', kibToMib(def.currentMemoryKiB));
  if (def.vcpus < def.maxVcpus) conf.setInt('maxvcpus', def.maxVcpus);
  conf.setInt('vcpus', def.vcpus);
  if (def.cpumask !== undefined) conf.setString('cpus', formatBitmap(parseBitmap(def.cpumask)));

  const f = def.features;
  if (hvm) {
    conf.setInt('pae', f.pae ? 1 : 0);
    conf.setInt('acpi', f.acpi ? 1 : 0);
    conf.setInt('apic', f.apic ? 1 : 0);
    if (f.hap === false) conf.setInt('hap', 0);
    conf.setInt('viridian', f.viridian ? 1 : 0);
  } else if (f.xen === 'on' && f.e820Host === 'on') {
    conf.setInt('e820_host', 1);
  }
  if (f.xen === 'on' && f.passthrough === 'on')
    conf.setString('passthrough', f.passthroughMode === 'sync_pt' || f.passthroughMode === 'share_pt' ? f.passthroughMode : 'enabled');
  for (const timer of def.timers) {
    if (timer.name === 'tsc') {
      const modes: Record<string, string> = { native: 'native', paravirt: 'native_paravirt', emulate: 'always_emulate' };
      conf.setString('tsc_mode', modes[timer.mode ?? ''] ?? 'default');
    } else if (timer.name === 'hpet' && hvm) {
      conf.setInt('hpet', timer.present === false ? 0 : 1);
    } else {
      throw unsupported(`unsupported timer type (name) '${timer.name}'`);
    }
  }

  let localtime: number;
  if (hvm) localtime = formatHvmTime(conf, def);
  else if (def.clock.offset === 'utc' || def.clock.offset === 'localtime') localtime = def.clock.offset === 'localtime' ? 1 : 0;
  else throw unsupported(`unsupported clock offset='${def.clock.offset}'`);
  conf.setInt('localtime', localtime);

  conf.setString('on_poweroff', def.onPoweroff);
  conf.setString('on_reboot', def.onReboot);
  conf.setString('on_crash', def.onCrash);
  if (def.emulator !== undefined) conf.setString('device_model_override', def.emulator);

  formatVfb(conf, def);
  const vifs = def.nets.map((n) => vifString(n, hvm));
  if (vifs.length > 0) conf.setList('vif', vifs);
  const pcis = def.pciHostdevs.map((h) => {
    const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
    const permissive = h.writeFiltering === undefined ? '' : h.writeFiltering ? ',permissive=0' : ',permissive=1';
    return `${hex(h.domain, 4)}:${hex(h.bus, 2)}:${hex(h.slot, 2)}.${h.fn.toString(16)}${permissive}`;
  });
  if (pcis.length > 0) conf.setList('pci', pcis);

  if (hvm) {
    conf.setString('parallel', def.parallels.length > 0 ? chrString(def.parallels[0]) : 'none');
    if (def.serials.length === 1 && def.serials[0].port === 0) conf.setString('serial', chrString(def.serials[0]));
    else if (def.serials.length > 0) {
      const maxPort = Math.max(...def.serials.map((s) => s.port));
      const ports: string[] = [];
      for (let p = 0; p <= maxPort; p++) {
        const chr = def.serials.find((s) => s.port === p);
        ports.push(chr ? chrString(chr) : 'none');
      }
      conf.setList('serial', ports);
    } else conf.setString('serial', 'none');
    if (def.sounds.length > 0) conf.setString('soundhw', def.sounds.join(','));
  }
}

function formatVfb(conf: Conf, def: XenDomain): void {
  if (def.graphics.length !== 1 || def.graphics[0].type === 'spice') return;
  const g = def.graphics[0];
  if (def.osType === 'hvm') {
    if (g.type === 'sdl') {
      conf.setInt('sdl', 1);
      conf.setInt('vnc', 0);
      if (g.display !== undefined) conf.setString('display', g.display);
      if (g.xauth !== undefined) conf.setString('xauthority', g.xauth);
      return;
    }
    conf.setInt('sdl', 0);
    conf.setInt('vnc', 1);
    conf.setInt('vncunused', g.autoport ? 1 : 0);
    if (!g.autoport) conf.setInt('vncdisplay', g.port - 5900);
    if (g.listen !== undefined) conf.setString('vnclisten', g.listen);
    if (g.passwd !== undefined) conf.setString('vncpasswd', g.passwd);
    if (g.keymap !== undefined) conf.setString('keymap', g.keymap);
    return;
  }
  let vfb: string;
  if (g.type === 'sdl') {
    vfb = 'type=sdl';
    if (g.display !== undefined) vfb += `,display=${g.display}`;
    if (g.xauth !== undefined) vfb += `,xauthority=${g.xauth}`;
  } else {
    vfb = `type=vnc,vncunused=${g.autoport ? 1 : 0}`;
    if (!g.autoport) vfb += `,vncdisplay=${g.port - 5900}`;
    if (g.listen !== undefined) vfb += `,vnclisten=${g.listen}`;
    if (g.passwd !== undefined) vfb += `,vncpasswd=${g.passwd}`;
    if (g.keymap !== undefined) vfb += `,keymap=${g.keymap}`;
  }
  conf.setList('vfb', [vfb]);
}

function formatOs(conf: Conf, def: XenDomain): void {
  if (def.osType === 'hvm') {
    conf.setString('builder', 'hvm');
    if (def.loader?.type === 'pflash') conf.setString('bios', 'ovmf');
    if (def.slicTable !== undefined) conf.setString('acpi_firmware', def.slicTable);
    if (def.kernel !== undefined) conf.setString('kernel', def.kernel);
    if (def.initrd !== undefined) conf.setString('ramdisk', def.initrd);
    if (def.cmdline !== undefined) conf.setString('cmdline', def.cmdline);
    const letters: Record<string, string> = { fd: 'a', cdrom: 'd', network: 'n' };
    conf.setString('boot', def.bootDevs.length > 0 ? def.bootDevs.map((d) => letters[d] ?? 'c').join('') : 'c');
    if (def.cpu?.mode === 'host-passthrough') {
      const noHwVirt = def.cpu.features.some(
        (f) => (f.policy === 'disable' || f.policy === 'forbid') && (f.name === 'vmx' || f.name === 'svm'),
      );
      conf.setInt('nestedhvm', noHwVirt ? 0 : 1);
    }
    return;
  }
  if (def.osType === 'xenpvh') conf.setString('type', 'pvh');
  if (def.bootloader !== undefined) conf.setString('bootloader', def.bootloader);
  if (def.bootloaderArgs !== undefined) conf.setString('bootargs', def.bootloaderArgs);
  if (def.kernel !== undefined) conf.setString('kernel', def.kernel);
  if (def.initrd !== undefined) conf.setString('ramdisk', def.initrd);
  if (def.cmdline !== undefined) conf.setString('cmdline', def.cmdline);
}

function formatCpuid(conf: Conf, def: XenDomain): void {
  if (def.cpu?.mode !== 'host-passthrough') return;
  const pairs = ['host'];
  for (const f of def.cpu.features) {
    const name = cpuFeatureToLibxl(f.name);
    if (name === 'vmx' || name === 'svm') continue;
    const policy = f.policy === 'force' || f.policy === 'require' ? '1' : f.policy === 'optional' ? 'x' : '0';
    pairs.push(`${name}=${policy}`);
  }
  if (pairs.length > 1) conf.setString('cpuid', pairs.join(','));
}

function formatVnuma(conf: Conf, def: XenDomain): void {
  const cells = def.cpu?.numa ?? [];
  if (cells.length === 0) return;
  const nodes: ConfValue[] = cells.map((cell, i) => ({
    kind: 'list',
    items: [
      `pnode=${i}`,
      `size=${cell.memoryKiB / 1024n}`,
      `vcpus=${formatBitmap(parseBitmap(cell.cpus))}`,
      `vdistances=${cells.map((_, j) => cell.distances[j] || (i === j ? 10 : 20)).join(',')}`,
    ].map((value) => ({ kind: 'string', value })),
  }));
  conf.set('vnuma', { kind: 'list', items: nodes });
}

function formatSpice(conf: Conf, def: XenDomain): void {
  const g = def.graphics[0];
  if (def.osType !== 'hvm' || g?.type !== 'spice') return;
  conf.setInt('sdl', 0);
  conf.setInt('vnc', 0);
  conf.setInt('spice', 1);
  if (g.listen !== undefined) conf.setString('spicehost', g.listen);
  conf.setInt('spiceport', g.port > 0 ? g.port : 0);
  conf.setInt('spicetls_port', g.tlsPort ?? 0);
  if (g.passwd !== undefined) {
    conf.setInt('spicedisable_ticketing', 0);
    conf.setString('spicepasswd', g.passwd);
  } else {
    conf.setInt('spicedisable_ticketing', 1);
  }
  if (g.mouseMode === 'server') conf.setInt('spiceagent_mouse', 0);
  else if (g.mouseMode === 'client') {
    conf.setInt('spiceagent_mouse', 1);
    conf.setInt('spicevdagent', 1);
  }
  if (g.copypaste) {
    conf.setInt('spice_clipboard_sharing', 1);
    conf.setInt('spicevdagent', 1);
  }
}

function formatDevices(conf: Conf, def: XenDomain): void {
  const disks = def.disks.filter((d) => d.device !== 'floppy').map(diskString);
  if (disks.length > 0) conf.setList('disk', disks);
  formatSpice(conf, def);
  if (def.osType === 'hvm') {
    const usbInputs: string[] = [];
    for (const input of def.inputs) {
      if (input.bus !== 'usb') continue;
      conf.setInt('usb', 1);
      if (input.type === 'mouse' || input.type === 'tablet' || input.type === 'keyboard') usbInputs.push(input.type);
    }
    if (usbInputs.length === 1) conf.setString('usbdevice', usbInputs[0]);
    else if (usbInputs.length > 1) conf.setList('usbdevice', usbInputs);
  }
  if (def.usbHostdevs.length > 0)
    conf.setList(
      'usbdev',
      def.usbHostdevs.map((u) => `hostbus=${u.bus.toString(16)},hostaddr=${u.device.toString(16)}`),
    );
  if (def.usbControllers.length > 0) {
    conf.setList(
      'usbctrl',
      def.usbControllers.map((c) => {
        let s = '';
        if (c.model === 'qusb1') s += 'type=qusb,version=1,';
        else if (c.model === 'qusb2') s += 'type=qusb,version=2,';
        else if (c.model !== undefined) throw unsupported(`unsupported USB controller model '${c.model}'`);
        if (c.ports !== undefined) s += `ports=${c.ports.toString(16)}`;
        return s;
      }),
    );
  }
  const channels = def.channels.map((ch) => {
    let s = 'connection=';
    if (ch.type === 'pty') s += 'pty,';
    else if (ch.type === 'unix') s += `socket,${ch.path ? `path=${ch.path},` : ''}`;
    else throw unsupported(`unsupported channel type '${ch.type}'`);
    return `${s}name=${ch.targetName ?? ''}`;
  });
  if (channels.length > 0) conf.setList('channel', channels);
  if (def.deviceModelArgs.length > 0) conf.setList('device_model_args', def.deviceModelArgs);
}

/** The xl.cfg settings for a domain, in libvirt's order. */
export function xenDomainToXl(def: XenDomain): Conf {
  const conf = new Conf();
  formatCommon(conf, def);
  formatOs(conf, def);
  formatCpuid(conf, def);
  formatVnuma(conf, def);
  if (def.xenbus?.maxEventChannels) conf.setInt('max_event_channels', def.xenbus.maxEventChannels);
  if (def.xenbus?.maxGrantFrames) conf.setInt('max_grant_frames', def.xenbus.maxGrantFrames);
  formatDevices(conf, def);
  return conf;
}
