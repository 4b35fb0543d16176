/**
 * Starting a domain (libvirt's qemuProcessStart, reduced): build the command line from the
 * definition and the emulator's capabilities, start QEMU paused with its monitor, record the
 * live definition (id, device aliases) in the status file, then let the vCPUs run.
 */
import { randomBytes } from 'node:crypto';
import { formatDomainXml, mkEl, setDeviceAlias, type DomainDef } from '@virtkit/xml';
import { diskChain, readDiskChain, writeDiskChain } from '../blockjob/chain';
import { buildCommandLine } from '../command';
import { assignAliases } from '../command/alias';
import { truncateBytes } from '../command/builder';
import { recordPtyPaths } from '../console/pty';
import { hostBuildContext, hostDriverConfig } from '../host/build-context';
import * as path from 'node:path';
import { applyLinkStates, closePassed, connectInterfaces, disconnectInterfaces, type ConnectedInterfaces } from '../net/interfaces';
import type { QmpClient } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { placeStarting } from '../cgroup/extension';
import { applyStatsPeriod } from './balloon-period';
import { alreadyRunning } from './errors';
import { recordDiskChains } from './disk-chain';
import { throttleConfiguredDisks } from './iotune';
import { prepareGraphics } from './graphics-ports';
import { prepareNvram } from './nvram';
import type { QemuDomainObj } from './obj';

/** Write each device's alias into its element, where libvirt's live XML has it. */
export function recordAliases(def: DomainDef): void {
  for (const [dev, alias] of assignAliases(def)) {
    if (alias && !dev.el.element('alias')) setDeviceAlias(dev.el, alias);
  }
}

/**
 * Give each virtio channel on a UNIX socket without a path the one libvirt generates
 * (qemuDomainPrepareChannel): `<channel dir>/domain-<id>-<name>/<target name>`, so the live XML
 * names the socket a client (virt-manager, the guest agent's user) connects to. A channel
 * without a path is one QEMU listens on, whatever mode it gave (qemuDomainChrDefPostParse).
 */
export function prepareChannelPaths(def: DomainDef, channelTargetDir: string, id: number): void {
  const dir = `${channelTargetDir}/domain-${id}-${truncateBytes(def.name, 20)}`;
  def.devices.forEach((d) => {
    if (d.kind !== 'channel' || d.el.attr('type') !== 'unix') return;
    const target = d.el.element('target');
    let src = d.el.element('source');
    if (target?.attr('type') !== 'virtio' || src?.attr('path')) return;
    // No path: libvirt generates one, which implies QEMU listens (mode 'bind').
    if (!src) {
      src = mkEl('source', []);
      d.el.children.unshift(src);
    }
    src.attrs.set('mode', 'bind');
    const name = target.attr('name');
    const addr = d.address;
    const file =
      name ??
      (addr?.type === 'virtio-serial'
        ? `vioser-${[addr.controller, addr.bus, addr.port ?? 0].map((n) => String(n).padStart(2, '0')).join('-')}.sock`
        : undefined);
    if (file) src.attrs.set('path', `${dir}/${file}`);
  });
}

/**
 * Probe the backing chain of each local image disk whose definition does not record all of it
 * and record it (qemuDomainDetermineDiskChain): QEMU then gets every image as a node of its own
 * (`libvirt-N-format`), and the live XML, the block stats and the jobs know each layer.
 */
export async function probeDiskChains(def: DomainDef): Promise<void> {
  for (const dev of def.devices) {
    if (!dev.disk?.source.path || (dev.disk.driverType ?? 'raw') === 'raw' || readDiskChain(dev).complete) continue;
    // An image that cannot be read is QEMU's to report, as it opens it.
    const layers = await diskChain(dev).catch(() => null);
    if (layers) writeDiskChain(dev, layers);
  }
}

/** The live XML as the status file and virDomainGetXMLDesc show it. */
export function liveXml(def: DomainDef): string {
  return formatDomainXml(def, { secure: true });
}

/**
 * Start `obj` running `def` (a definition of its own, which becomes the live one). Lifecycle
 * events come from the runtime as the process starts.
 */
export async function startDomain(
  driver: QemuDriver,
  obj: QemuDomainObj,
  def: DomainDef,
  paused: boolean,
  incoming?: { argv: string[]; load: (mon: QmpClient) => Promise<void> },
): Promise<void> {
  if (obj.active) throw alreadyRunning();
  await driver.runBeforeStart(obj);
  const caps = await driver.caps();
  const id = driver.manager.allocateId();
  let connected: ConnectedInterfaces | undefined;
  try {
    connected = await connectInterfaces(def, driver.paths, path.join(driver.paths.stateDir, 'devnodes'));
    // QEMU inherits the macvtap descriptors after the monitor's (fd 3): as 4, 5, …
    const passed = [...connected.passed];
    const childFds = new Map(passed.map(([name], i) => [name, 4 + i]));
    const masterKey = new Uint8Array(randomBytes(32));
    const config = hostDriverConfig(driver.paths, caps.flags.has('seccomp-sandbox'));
    const ctx = hostBuildContext(config, id, masterKey, driver.hostLookups, childFds);
    prepareChannelPaths(def, config.channelTargetDir, id);
    await probeDiskChains(def);
    await prepareGraphics(def, config.spiceTLS);
    const cmd = buildCommandLine(def, caps, ctx);
    prepareNvram(def);
    await recordDiskChains(def, cmd.nodeIndex);
    def.id = id;
    recordAliases(def);
    obj.liveDef = def;
    await obj.runtime.start({
      id,
      xml: liveXml(def),
      argv: incoming ? [...cmd.argv, ...incoming.argv] : cmd.argv,
      env: cmd.env,
      paused,
      restored: incoming !== undefined,
      privateFiles: { 'master-key.aes': masterKey },
      fds: passed.map(([, fd]) => fd),
      beforeCont: async (mon) => {
        await placeStarting(driver, obj, def, (command) => mon.execute(command));
        await applyLinkStates(def, (command, args) => mon.execute(command, args));
        await applyStatsPeriod(mon, def);
        await throttleConfiguredDisks(mon, def);
        await incoming?.load(mon);
      },
    });
  } catch (e) {
    if (connected && !obj.active) disconnectInterfaces(def, driver.paths);
    driver.manager.releaseId(id);
    if (!obj.active) obj.liveDef = undefined;
    throw e;
  } finally {
    if (connected) closePassed(connected);
  }
  if (obj.active && (await recordPtyPaths(obj.monitor(), def))) await obj.runtime.updateLiveXml(liveXml(def));
  driver.notifyStarted(obj);
}
