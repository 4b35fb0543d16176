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

async function xmlFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.promises.readdir(dir)).filter((f) => f.endsWith('.xml')).sort();
  } catch {
    return [];
  }
}

/** Read and parse `file`; undefined (the file is skipped, as libvirt does) when unusable. */
async function readPool(file: string, read: (text: string) => StoragePoolDef): Promise<StoragePoolDef | undefined> {
  try {
    const def = read(await fs.promises.readFile(file, 'utf8'));
    return path.basename(file) === `${def.name}.xml` ? def : undefined;
  } catch {
    return undefined;
  }
}

export class PoolFiles {
  constructor(readonly dirs: StorageDirs) {}

  configPath = (name: string) => path.join(this.dirs.configDir, `${name}.xml`);
  autostartPath = (name: string) => path.join(this.dirs.autostartDir, `${name}.xml`);
  statePath = (name: string) => path.join(this.dirs.stateDir, `${name}.xml`);

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
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw systemError(e, `Failed to create symlink '${link}' to '${this.configPath(name)}'`);
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

  /** Every readable persistent definition with its autostart setting. */
  async loadConfigs(): Promise<SavedPool[]> {
    const out: SavedPool[] = [];
    for (const f of await xmlFiles(this.dirs.configDir)) {
      const def = await readPool(path.join(this.dirs.configDir, f), (t) => parsePoolElement(parseXml(t)));
      if (!def) continue;
      const autostart = await fs.promises.lstat(this.autostartPath(def.name)).then(() => true, () => false);
      out.push({ def, autostart });
    }
    return out;
  }

  /** Live definitions of the pools recorded as active. */
  async loadStates(): Promise<StoragePoolDef[]> {
    const out: StoragePoolDef[] = [];
    for (const f of await xmlFiles(this.dirs.stateDir)) {
      const def = await readPool(path.join(this.dirs.stateDir, f), (t) => {
        const pool = parseXml(t).element('pool');
        if (!pool) throw new Error('no <pool> in pool state');
        return parsePoolElement(pool, { runtime: true });
      });
      if (def) out.push(def);
    }
    return out;
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
