/**
 * The network driver's object list and its files (libvirt's virnetworkobj.c): each network has
 * a definition (the live one while it runs), the persistent definition waiting for it to stop,
 * and its active/persistent/autostart state. Persistent definitions are `configDir/NAME.xml`,
 * autostart is a link in `autostartDir`, and a running network's live definition is
 * `stateDir/NAME.xml` inside `<networkstatus>` as libvirt writes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError, type NetworkRef } from '@virtkit/core';
import { formatNetworkXml, parseNetworkElement, parseNetworkXml, parseXml, type NetworkDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import type { NetworkDriverDirs } from './dirs';

export interface NetworkObj {
  def: NetworkDef;
  /** The persistent definition that replaces `def` when the network stops (libvirt's newDef). */
  newDef?: NetworkDef;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
}

const FROM_NETWORK = ErrorDomain.VIR_FROM_NETWORK;
export const networkError = (code: ErrorNumber, detail: string) => VirError.create(code, FROM_NETWORK, detail);

export function netRef(n: NetworkObj): NetworkRef {
  return { name: n.def.name, uuid: n.def.uuid };
}

/** The definition the persistent config holds (the waiting one while a network runs). */
export function persistentDef(n: NetworkObj): NetworkDef {
  return n.newDef ?? n.def;
}

export class NetworkStore {
  private readonly byUuid = new Map<string, NetworkObj>();

  constructor(readonly dirs: NetworkDriverDirs) {}

  all(): NetworkObj[] {
    return [...this.byUuid.values()];
  }

  findByName(name: string): NetworkObj {
    for (const n of this.byUuid.values()) if (n.def.name === name) return n;
    throw networkError(ErrorNumber.VIR_ERR_NO_NETWORK, `no network with matching name '${name}'`);
  }

  findByUuid(uuid: string): NetworkObj {
    const n = this.byUuid.get(uuid.toLowerCase());
    if (!n) throw networkError(ErrorNumber.VIR_ERR_NO_NETWORK, `no network with matching uuid '${uuid.toLowerCase()}'`);
    return n;
  }

  /** The object a handle names (by UUID: a handle outlives a rename-free redefinition). */
  get(ref: NetworkRef): NetworkObj {
    return this.findByUuid(ref.uuid);
  }

  /**
   * virNetworkObjAssignDef: add `def`, or give it to the network with its UUID. `live`: a
   * transient definition (create); otherwise a persistent one (define).
   */
  assign(def: NetworkDef, live: boolean): NetworkObj {
    const existing = this.byUuid.get(def.uuid);
    if (existing) {
      if (existing.def.name !== def.name)
        throw networkError(
          ErrorNumber.VIR_ERR_OPERATION_FAILED,
          `network '${existing.def.name}' is already defined with uuid ${existing.def.uuid}`,
        );
      if (live) {
        if (existing.active) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `network is already active as '${def.name}'`);
        existing.def = def;
      } else if (existing.active) existing.newDef = def;
      else existing.def = def;
      if (!live) existing.persistent = true;
      return existing;
    }
    for (const n of this.byUuid.values())
      if (n.def.name === def.name)
        throw networkError(ErrorNumber.VIR_ERR_OPERATION_FAILED, `network '${def.name}' already exists with uuid ${n.def.uuid}`);
    const n: NetworkObj = { def, active: false, persistent: !live, autostart: false };
    this.byUuid.set(def.uuid, n);
    return n;
  }

  remove(n: NetworkObj): void {
    this.byUuid.delete(n.def.uuid);
  }

  private configFile(name: string): string {
    return path.join(this.dirs.configDir, `${name}.xml`);
  }

  private autostartLink(name: string): string {
    return path.join(this.dirs.autostartDir, `${name}.xml`);
  }

  statusFile(name: string): string {
    return path.join(this.dirs.stateDir, `${name}.xml`);
  }

  /** virNetworkSaveConfig. */
  async saveConfig(def: NetworkDef): Promise<void> {
    await writeFileAtomic(this.configFile(def.name), formatNetworkXml(def, { inactive: true }), 0o600);
  }

  /** virNetworkObjSaveStatus: the live definition inside `<networkstatus>`. */
  async saveStatus(n: NetworkObj): Promise<void> {
    const inner = formatNetworkXml(n.def)
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    const text = `<networkstatus>\n  <class_id bitmap='0-2'/>\n  <floor sum='0'/>\n${inner}\n</networkstatus>\n`;
    await writeFileAtomic(this.statusFile(n.def.name), text, 0o600, { durable: false });
  }

  removeStatus(name: string): void {
    fs.rmSync(this.statusFile(name), { force: true });
  }

  /** virNetworkObjDeleteConfig: the definition and its autostart link. */
  deleteConfig(n: NetworkObj): void {
    fs.rmSync(this.configFile(n.def.name), { force: true });
    fs.rmSync(this.autostartLink(n.def.name), { force: true });
    n.autostart = false;
  }

  setAutostart(n: NetworkObj, on: boolean): void {
    const link = this.autostartLink(n.def.name);
    if (on) {
      fs.mkdirSync(this.dirs.autostartDir, { recursive: true });
      fs.rmSync(link, { force: true });
      fs.symlinkSync(this.configFile(n.def.name), link);
    } else fs.rmSync(link, { force: true });
    n.autostart = on;
  }

  /** virNetworkObjLoadAllConfigs + virNetworkObjLoadAllState: persistent networks, then running ones. */
  load(): void {
    for (const file of xmlFiles(this.dirs.configDir)) {
      const def = readDef(path.join(this.dirs.configDir, file), false);
      if (!def) continue;
      const n = this.assign(def, false);
      n.autostart = fs.existsSync(this.autostartLink(def.name));
    }
    for (const file of xmlFiles(this.dirs.stateDir)) {
      const def = readDef(path.join(this.dirs.stateDir, file), true);
      if (!def) continue;
      const existing = this.byUuid.get(def.uuid);
      if (existing) {
        existing.newDef = existing.def;
        existing.def = def;
        existing.active = true;
      } else this.byUuid.set(def.uuid, { def, active: true, persistent: false, autostart: false });
    }
  }
}

function xmlFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort();
  } catch {
    return [];
  }
}

/** A definition file (a status file holds it inside `<networkstatus>`); undefined when unreadable. */
function readDef(file: string, status: boolean): NetworkDef | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (!status) return parseNetworkXml(text);
    const root = parseXml(text);
    const el = root.name === 'network' ? root : root.element('network');
    return el ? parseNetworkElement(el) : undefined;
  } catch {
    return undefined;
  }
}
