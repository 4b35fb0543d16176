/**
 * On-disk state of the storage driver, laid out as libvirt's: persistent pool definitions in
 * `<configDir>/NAME.xml`, autostart symlinks to them in `<autostartDir>/NAME.xml`, and one
 * `<poolstate>` document per active pool in `<stateDir>/NAME.xml`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XmlWriter, formatStoragePoolXml, parsePoolElement, parseXml, writeStoragePool, type StoragePoolDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import type { QemuPaths } from '../paths';
import { fileNameFor } from '../state/file-names';
import { LoadReport, loadStateDir } from '../state/state-dir';
import { systemError } from './errors';

export interface StorageDirs {
  /** Persistent pool definitions. */
  configDir: string;
  /** Autostart links. */
  autostartDir: string;
  /** Runtime state of active pools. */
  stateDir: string;
}

export interface SavedPool {
  def: StoragePoolDef;
  autostart: boolean;
}

const AUTOSTARTED_MARKER = 'autostarted';

/** The storage directories of a QEMU driver URI (see paths.ts). */
export function storageDirsOf(paths: Pick<QemuPaths, 'storageConfigDir' | 'storageAutostartDir' | 'storageStateDir'>): StorageDirs {
  return { configDir: paths.storageConfigDir, autostartDir: paths.storageAutostartDir, stateDir: paths.storageStateDir };
}

async function write(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, text).catch((e) => {
    throw systemError(e, `cannot create file '${file}'`);
  });
}

function parsePoolState(text: string): StoragePoolDef {
  const pool = parseXml(text).element('pool');
  if (!pool) throw new Error('no <pool> in pool state');
  return parsePoolElement(pool, { runtime: true });
}

export class PoolFiles {
  /** State files that could not be loaded (each also logged). */
  readonly report = new LoadReport();

  constructor(readonly dirs: StorageDirs) {}

  configPath = (name: string) => path.join(this.dirs.configDir, fileNameFor(name, '.xml'));
  autostartPath = (name: string) => path.join(this.dirs.autostartDir, fileNameFor(name, '.xml'));
  statePath = (name: string) => path.join(this.dirs.stateDir, fileNameFor(name, '.xml'));

  async saveConfig(def: StoragePoolDef): Promise<void> {
    await write(this.configPath(def.name), formatStoragePoolXml(def));
  }

  /** Remove the definition and its autostart link. */
  async removeConfig(name: string): Promise<void> {
    await this.setAutostart(name, false);
    await fs.promises.rm(this.configPath(name), { force: true });
  }

  async setAutostart(name: string, on: boolean): Promise<void> {
    const link = this.autostartPath(name);
    if (!on) {
      await fs.promises.rm(link, { force: true }).catch((e) => {
        throw systemError(e, `Failed to delete symlink '${link}'`);
      });
      return;
    }
    try {
      await fs.promises.mkdir(this.dirs.autostartDir, { recursive: true });
      await fs.promises.symlink(this.configPath(name), link);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw systemError(e, `Failed to create symlink '${link}' to '${this.configPath(name)}'`);
    }
  }

  /** Record an active pool with its live definition (sizes included). */
  async saveState(def: StoragePoolDef): Promise<void> {
    const w = new XmlWriter();
    w.open('poolstate');
    writeStoragePool(w, def);
    w.close('poolstate');
    await write(this.statePath(def.name), w.toString());
  }

  async removeState(name: string): Promise<void> {
    await fs.promises.rm(this.statePath(name), { force: true });
  }

  /** Every usable persistent definition with its autostart setting (the others are reported). */
  async loadConfigs(): Promise<SavedPool[]> {
    const spec = { suffix: '.xml', parse: (t: string) => parsePoolElement(parseXml(t)), nameOf: (d: StoragePoolDef) => d.name };
    const out: SavedPool[] = [];
    for (const { value: def } of await loadStateDir(this.dirs.configDir, spec, this.report)) {
      const autostart = await fs.promises.lstat(this.autostartPath(def.name)).then(
        () => true,
        () => false,
      );
      out.push({ def, autostart });
    }
    return out;
  }

  /** Live definitions of the pools recorded as active (unusable records are reported). */
  async loadStates(): Promise<StoragePoolDef[]> {
    const spec = { suffix: '.xml', parse: parsePoolState, nameOf: (d: StoragePoolDef) => d.name };
    return (await loadStateDir(this.dirs.stateDir, spec, this.report)).map((f) => f.value);
  }

  /** True the first time after boot (the state dir is on a tmpfs): autostart runs once per boot. */
  async claimAutostart(): Promise<boolean> {
    await fs.promises.mkdir(this.dirs.stateDir, { recursive: true });
    try {
      await (await fs.promises.open(path.join(this.dirs.stateDir, AUTOSTARTED_MARKER), 'wx', 0o600)).close();
      return true;
    } catch {
      return false;
    }
  }
}
