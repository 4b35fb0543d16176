/**
 * The domain-wide options that come before the devices: name, master key, machine, accelerator,
 * SMP, UUID, display, monitor, clock, power management and boot (qemuBuildCommandLine's first
 * half; CPU and memory have their own modules).
 */
import { iothreadIds, type XmlElement } from '@virtkit/xml';
import { CmdBuilder, featureState, qemuEscape, sizeKiB } from './builder';
import { buildCompatDeprecated } from './qemu-namespace';
import { isQ35Machine } from './util';
import { unsupported } from './validate-def';

export function buildName(b: CmdBuilder): void {
  b.add('-name', `guest=${qemuEscape(b.def.name)},debug-threads=on`);
  buildCompatDeprecated(b);
  b.add('-S');
  b.json('-object', { 'qom-type': 'secret', id: 'masterKey0', format: 'raw', file: `${b.privateDir}/master-key.aes` });
  const managedPr = b.devices('disk').some((d) => d.el.element('source')?.element('reservations')?.attr('managed') === 'yes');
  if (managedPr) b.json('-object', { 'qom-type': 'pr-manager-helper', id: 'pr-helper0', path: `${b.privateDir}/pr-helper0.sock` });
}

export function accelName(b: CmdBuilder): 'kvm' | 'tcg' {
  return b.def.virtType === 'kvm' ? 'kvm' : 'tcg';
}

export function buildMachine(b: CmdBuilder, extra: { memoryBackend?: string; pflash: string[] }): void {
  const def = b.def;
  const features = b.top('features');
  const parts = [def.os.machine ?? '', 'usb=off'];
  const vmport = features?.element('vmport')?.attr('state');
  if (vmport) parts.push(`vmport=${vmport}`);
  const smm = featureState(features, 'smm');
  if (smm) parts.push(`smm=${smm}`);
  const ioapic = features?.element('ioapic')?.attr('driver');
  if (ioapic === 'qemu') parts.push('kernel_irqchip=split');
  else if (ioapic === 'kvm') parts.push('kernel_irqchip=on');
  const dumpCore = def.memoryDumpCore;
  parts.push(`dump-guest-core=${dumpCore ?? (b.ctx.config.dumpGuestCore ? 'on' : 'off')}`);
  const mb = b.top('memoryBacking');
  if (mb?.element('nosharepages')) parts.push('mem-merge=off');
  if (b.def.devices.some((d) => d.kind === 'memory' && d.el.attr('model') === 'nvdimm')) parts.push('nvdimm=on');
  if (extra.memoryBackend) parts.push(`memory-backend=${extra.memoryBackend}`);
  extra.pflash.forEach((p, i) => parts.push(`pflash${i}=${p}`));
  const clock = b.top('clock');
  const hpet = clock?.elements('timer').find((t) => t.attr('name') === 'hpet');
  if (hpet && hpet.attr('present') === 'no' && b.has('machine-hpet')) parts.push('hpet=off');
  const cpu = b.top('cpu');
  if (
    cpu?.element('numa')?.elements('interconnects').length ||
    cpu
      ?.element('numa')
      ?.elements('cell')
      .some((c) => c.element('cache'))
  ) {
    parts.push('hmat=on');
  }
  b.add('-machine', parts.join(','));
}

export function buildAccel(b: CmdBuilder): void {
  const accel = accelName(b);
  let s: string = accel;
  const tb = b.top('features')?.element('tcg')?.element('tb-cache');
  if (accel === 'tcg' && tb) {
    const kib = sizeKiB(tb, 'MiB') ?? 0;
    s += `,tb-size=${Math.floor(kib / 1024)}`;
  }
  b.add('-accel', s);
}

export function buildTseg(b: CmdBuilder): void {
  const tseg = b.top('features')?.element('smm')?.element('tseg');
  if (!tseg) return;
  const bytes = Number(tseg.text().trim()) * 1024 * 1024;
  if (!isQ35Machine(b.def)) throw unsupported('SMM TSEG is only supported with q35 machine type');
  b.add('-global', `mch.extended-tseg-mbytes=${bytes / (1024 * 1024)}`);
}

export function buildSmp(b: CmdBuilder): void {
  const def = b.def;
  const cpu = b.top('cpu');
  const topo = cpu?.element('topology');
  const vcpus = def.vcpuCurrent ?? def.vcpu;
  const parts = [String(vcpus)];
  if (def.vcpu !== vcpus) parts.push(`maxcpus=${def.vcpu}`);
  if (topo) {
    parts.push(`sockets=${topo.attr('sockets') ?? 1}`);
    parts.push(`dies=${topo.attr('dies') ?? 1}`);
    parts.push(`cores=${topo.attr('cores') ?? 1}`);
    parts.push(`threads=${topo.attr('threads') ?? 1}`);
  } else {
    parts.push(`sockets=${def.vcpu}`, 'cores=1', 'threads=1');
  }
  b.add('-smp', parts.join(','));
}

/** `thread-pool-min`/`-max` of an element's thread_pool_min/max attributes, when given. */
function threadPool(el: XmlElement | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const min = el?.attr('thread_pool_min');
  const max = el?.attr('thread_pool_max');
  if (min !== undefined) out['thread-pool-min'] = Number(min);
  if (max !== undefined) out['thread-pool-max'] = Number(max);
  return out;
}

/**
 * qemuBuildIOThreadCommandLine: one `iothread<N>` object per IOThread id, for disks and
 * controllers to name, with its thread pool; `<defaultiothread>` sizes the main loop's pool.
 */
export function buildIOThreads(b: CmdBuilder): void {
  const given = b.top('iothreadids')?.elements('iothread') ?? [];
  for (const id of iothreadIds(b.def)) {
    const el = given.find((t) => Number(t.attr('id')) === id);
    b.json('-object', { 'qom-type': 'iothread', id: `iothread${id}`, ...threadPool(el) });
  }
  const main = b.top('defaultiothread');
  if (main) b.json('-object', { 'qom-type': 'main-loop', id: 'main-loop', ...threadPool(main) });
}

export function buildUuidEtc(b: CmdBuilder): void {
  b.add('-uuid', b.def.uuid);
  const genid = b.top('genid');
  // Parsing filled an empty <genid/> (fillGenid), so the definition always holds the ID.
  if (genid) b.json('-device', { driver: 'vmgenid', guid: genid.text().trim(), id: 'vmgenid0' });
}

export function buildDisplay(b: CmdBuilder): void {
  const gfx = b.devices('graphics');
  const egl = gfx.find((g) => g.el.attr('type') === 'egl-headless');
  if (gfx.length === 0) {
    b.add('-display', 'none');
  } else if (egl && gfx.length === 1) {
    /* written with the graphics devices */
  } else if (!gfx.some((g) => ['vnc', 'spice', 'sdl', 'dbus'].includes(g.el.attr('type') ?? ''))) {
    b.add('-display', 'none');
  }
  b.add('-no-user-config', '-nodefaults');
}

export function buildMonitor(b: CmdBuilder): void {
  b.add('-chardev', `socket,id=charmonitor,fd=${b.ctx.openListenSocket(`${b.privateDir}/monitor.sock`)},server=on,wait=off`);
  b.add('-mon', 'chardev=charmonitor,id=monitor,mode=control');
}

export function buildClock(b: CmdBuilder): void {
  const clock = b.top('clock');
  const offset = clock?.attr('offset') ?? 'utc';
  let rtc = offset === 'localtime' ? 'base=localtime' : 'base=utc';
  if (offset === 'variable') {
    const adj = Number(clock?.attr('adjustment') ?? '0');
    const t = new Date((b.ctx.now() + adj) * 1000).toISOString().slice(0, 19);
    rtc = `base=${t}`;
  } else if (offset === 'absolute') {
    // The guest clock starts at a fixed UTC instant (seconds since the epoch).
    const start = Number(clock?.attr('start') ?? '0');
    rtc = `base=${new Date(start * 1000).toISOString().slice(0, 19)}`;
  }
  const timers = clock?.elements('timer') ?? [];
  const rtcTimer = timers.find((t) => t.attr('name') === 'rtc');
  if (rtcTimer?.attr('track') === 'guest') rtc += ',clock=vm';
  if (rtcTimer?.attr('track') === 'wall') rtc += ',clock=host';
  if (rtcTimer?.attr('tickpolicy') === 'catchup') rtc += ',driftfix=slew';
  b.add('-rtc', rtc);
  const pit = timers.find((t) => t.attr('name') === 'pit');
  const pol = pit?.attr('tickpolicy');
  if (pol === 'delay') b.add('-global', 'kvm-pit.lost_tick_policy=delay');
  else if (pol === 'discard') b.add('-global', 'kvm-pit.lost_tick_policy=discard');
}

export function buildPm(b: CmdBuilder): void {
  const def = b.def;
  b.add('-no-shutdown');
  const acpi = featureState(b.top('features'), 'acpi');
  if (acpi !== 'on') b.add('-no-acpi');
  const pm = b.top('pm');
  const q35 = isQ35Machine(def);
  const dev = q35 ? 'ICH9-LPC' : 'PIIX4_PM';
  const s3 = pm?.element('suspend-to-mem')?.attr('enabled');
  const s4 = pm?.element('suspend-to-disk')?.attr('enabled');
  if (s3) b.add('-global', `${dev}.disable_s3=${s3 === 'yes' ? 0 : 1}`);
  if (s4) b.add('-global', `${dev}.disable_s4=${s4 === 'yes' ? 0 : 1}`);
}

export function buildBoot(b: CmdBuilder): void {
  const os = b.def.os.el;
  const parts: string[] = [];
  const menu = os.element('bootmenu');
  if (menu) {
    const en = menu.attr('enable');
    if (en === 'yes') {
      parts.push('menu=on');
      const t = menu.attr('timeout');
      if (t !== undefined) parts.push(`splash-time=${t}`);
    } else if (en === 'no') parts.push('menu=off');
  }
  const bios = os.element('bios');
  const rt = bios?.attr('rebootTimeout');
  if (rt !== undefined) parts.push(`reboot-timeout=${rt}`);
  parts.push('strict=on');
  b.add('-boot', parts.join(','));
  // Direct kernel boot, in libvirt's order.
  for (const [el, opt] of [
    ['kernel', '-kernel'],
    ['initrd', '-initrd'],
    ['cmdline', '-append'],
    ['dtb', '-dtb'],
  ] as const) {
    const v = os.childText(el);
    if (v) b.add(opt, v);
  }
}
