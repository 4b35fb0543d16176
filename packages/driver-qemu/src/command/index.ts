import { type DomainDef, type DomainDevice } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { assignAliases } from './alias';
import { CmdBuilder } from './builder';
import { buildChannels, buildConsoles, buildParallels, buildSerials } from './chardev';
import { buildControllers, buildGlobalControllers } from './controllers';
import { DeviceCtx } from './device-ctx';
import {
  buildHubs,
  buildInputs,
  buildIommu,
  buildMemballoon,
  buildPanics,
  buildRedirdevs,
  buildRngs,
  buildSmartcards,
  buildSounds,
  buildTpms,
  buildVirtioIommu,
  buildVsock,
  buildWatchdogs,
} from './devices';
import { assignNodeIndexes, buildDisks } from './disk';
import {
  buildAccel,
  buildBoot,
  buildClock,
  buildDisplay,
  buildIOThreads,
  buildMachine,
  buildMonitor,
  buildName,
  buildPm,
  buildSmp,
  buildTseg,
  buildUuidEtc,
} from './general';
import { buildCpu } from './cpu';
import { updateGuestCpu } from '../cpu/guest';
import { buildLoader, buildPflash, fillFirmware, resolveFirmware } from './firmware';
import { namespaceArgs, namespaceEnv } from './qemu-namespace';
import { buildMemory, buildNuma, mainRamBackendId } from './memory';
import { buildAudio, buildGraphics, buildVideos } from './graphics';
import { buildFilesystems, buildHostdevs, buildMemoryDevices } from './hostdev';
import { buildNets } from './net';
import { prepareAddresses } from './prepare';
import type { QemuBuildContext, QemuCommand } from './types';
import { validateForStart } from './validate';

export type { QemuBuildContext, QemuCommand, QemuDriverConfig } from './types';
export { formatArgs, shellQuote } from './args-format';

function buildEnv(b: CmdBuilder): void {
  const penv = b.ctx.processEnv;
  const home = b.privateDir;
  b.env.push(['LC_ALL', 'C']);
  if (penv.PATH !== undefined) b.env.push(['PATH', penv.PATH]);
  b.env.push(['HOME', home]);
  if (penv.USER !== undefined) b.env.push(['USER', penv.USER]);
  if (penv.LOGNAME !== undefined) b.env.push(['LOGNAME', penv.LOGNAME]);
  b.env.push(['XDG_DATA_HOME', `${home}/.local/share`]);
  b.env.push(['XDG_CACHE_HOME', `${home}/.cache`]);
  b.env.push(['XDG_CONFIG_HOME', `${home}/.config`]);
  const sdlAudio = b.def.devices.find((d) => d.kind === 'audio' && d.el.attr('type') === 'sdl')?.el.attr('driver');
  if (sdlAudio) b.env.push(['SDL_AUDIODRIVER', sdlAudio]);
  b.env.push(...namespaceEnv(b.def));
}

/** Boot indexes: per-device `<boot order>` or the converted `<os><boot dev>` list. */
function assignBootIndexes(dc: DeviceCtx): void {
  const def = dc.b.def;
  let perDevice = false;
  for (const d of def.devices) {
    const order = d.el.element('boot')?.attr('order');
    if (order !== undefined) {
      dc.bootIndex.set(d, Number(order));
      perDevice = true;
    }
  }
  if (perDevice) return;
  let devs = def.os.el.elements('boot').map((e) => e.attr('dev') ?? '');
  if (!devs.length) devs = ['hd'];
  const first = (pred: (d: DomainDevice) => boolean) => def.devices.find(pred);
  devs.forEach((dev, i) => {
    let d: DomainDevice | undefined;
    if (dev === 'hd') d = first((x) => x.kind === 'disk' && (x.disk!.device === 'disk' || x.disk!.device === 'lun'));
    else if (dev === 'cdrom') d = first((x) => x.kind === 'disk' && x.disk!.device === 'cdrom');
    else if (dev === 'fd') d = first((x) => x.kind === 'disk' && x.disk!.device === 'floppy');
    else if (dev === 'network') d = first((x) => x.kind === 'interface');
    if (d && !dc.bootIndex.has(d)) dc.bootIndex.set(d, i + 1);
  });
}

/** Build the command line for starting `def` with the binary described by `caps`. */
export function buildCommandLine(def: DomainDef, caps: QemuCaps, ctx: QemuBuildContext): QemuCommand {
  validateForStart(def, caps, ctx);
  fillFirmware(def, ctx);
  const b = new CmdBuilder(def, caps, ctx);
  prepareAddresses(def);
  updateGuestCpu(def, caps);
  const dc = new DeviceCtx(b, assignAliases(def));
  assignBootIndexes(dc);
  const hostdevNode = assignNodeIndexes(b);
  buildEnv(b);
  b.add(def.emulator ?? caps.emulator);
  buildName(b);
  const fw = resolveFirmware(b);
  const pflash = buildPflash(b, fw);
  buildMachine(b, { memoryBackend: mainRamBackendId(b), pflash });
  buildAccel(b);
  buildTseg(b);
  buildCpu(b);
  buildLoader(b, fw);
  buildMemory(b);
  buildSmp(b);
  buildIOThreads(b);
  buildNuma(b);
  buildUuidEtc(b);
  buildDisplay(b);
  buildMonitor(b);
  buildClock(b);
  buildPm(b);
  buildBoot(b);
  buildIommu(dc);
  buildVirtioIommu(dc);
  buildGlobalControllers(dc);
  buildControllers(dc);
  buildMemoryDevices(dc);
  buildHubs(dc);
  buildControllers(dc, ['ccid']);
  buildDisks(dc);
  buildFilesystems(dc);
  buildNets(dc);
  buildSmartcards(dc);
  buildSerials(dc);
  buildParallels(dc);
  buildChannels(dc);
  buildConsoles(dc);
  buildTpms(dc);
  buildInputs(dc);
  buildAudio(dc);
  buildGraphics(dc);
  buildVideos(dc);
  buildSounds(dc);
  buildWatchdogs(dc);
  buildRedirdevs(dc);
  buildHostdevs(dc, hostdevNode);
  buildMemballoon(dc);
  buildRngs(dc);
  b.add(...namespaceArgs(def));
  if (ctx.config.seccompSandbox) b.add('-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny');
  buildPanics(dc);
  buildVsock(dc);
  b.add('-msg', 'timestamp=on');
  return { env: b.env, argv: b.argv, nodeIndex: b.nodeIndex };
}
