/**
 * Starting a domain (libvirt's qemuProcessStart, reduced): build the command line from the
 * definition and the emulator's capabilities, start QEMU paused with its monitor, record the
 * live definition (id, device aliases) in the status file, then let the vCPUs run.
 */
import { randomBytes } from 'node:crypto';
import { formatDomainXml, mkEl, type DomainDef } from '@virtkit/xml';
import { buildCommandLine } from '../command';
import { assignAliases } from '../command/alias';
import { hostBuildContext, hostDriverConfig } from '../host/build-context';
import * as path from 'node:path';
import { applyLinkStates, closePassed, connectInterfaces, disconnectInterfaces, type ConnectedInterfaces } from '../net/interfaces';
import type { QemuDriver } from '../qemu-driver';
import { alreadyRunning } from './errors';
import type { QemuDomainObj } from './obj';

const AFTER_ALIAS = ['master', 'rom', 'acpi', 'address'];

/** Write each device's alias into its element, where libvirt's live XML has it. */
function recordAliases(def: DomainDef): void {
  for (const [dev, alias] of assignAliases(def)) {
    if (!alias || dev.el.element('alias')) continue;
    const el = mkEl('alias', [['name', alias]]);
    const kids = dev.el.children;
    const at = kids.findIndex((c) => c.kind === 'element' && AFTER_ALIAS.includes(c.name));
    if (at >= 0) kids.splice(at, 0, el);
    else kids.push(el);
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
export async function startDomain(driver: QemuDriver, obj: QemuDomainObj, def: DomainDef, paused: boolean): Promise<void> {
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
    const cmd = buildCommandLine(def, caps, ctx);
    def.id = id;
    recordAliases(def);
    obj.liveDef = def;
    await obj.runtime.start({
      id,
      xml: liveXml(def),
      argv: cmd.argv,
      env: cmd.env,
      paused,
      privateFiles: { 'master-key.aes': masterKey },
      fds: passed.map(([, fd]) => fd),
      beforeCont: (qmp) => applyLinkStates(def, qmp),
    });
  } catch (e) {
    if (connected && !obj.active) disconnectInterfaces(def);
    driver.manager.releaseId(id);
    if (!obj.active) obj.liveDef = undefined;
    throw e;
  } finally {
    if (connected) closePassed(connected);
  }
  driver.notifyStarted(obj);
}
