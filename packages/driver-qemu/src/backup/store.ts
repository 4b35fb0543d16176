/**
 * Checkpoint metadata on disk: one `<name>.xml` per checkpoint (the full checkpoint XML with
 * its embedded domain) and a `current` file naming the current checkpoint, in a directory per
 * domain. Every write is atomic (temp file, fsync, rename).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatCheckpointXml, parseCheckpointXml, type DomainCheckpointDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';

const CURRENT = 'current';

export class CheckpointStore {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, `${name}.xml`);
  }

  /** Every stored checkpoint (unparsable files are skipped) and the current one's name. */
  async load(): Promise<{ defs: DomainCheckpointDef[]; current?: string }> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return { defs: [] };
    }
    const defs: DomainCheckpointDef[] = [];
    for (const n of names.sort()) {
      if (!n.endsWith('.xml') || n.startsWith('.')) continue;
      try {
        defs.push(parseCheckpointXml(await fs.promises.readFile(path.join(this.dir, n), 'utf8'), { redefine: true }));
      } catch {
        /* a damaged file loses only its own checkpoint */
      }
    }
    const current = (await fs.promises.readFile(path.join(this.dir, CURRENT), 'utf8').catch(() => '')).trim() || undefined;
    return { defs, current };
  }

  async save(def: DomainCheckpointDef): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(def.name!), formatCheckpointXml(def, { secure: true }));
  }

  async remove(name: string): Promise<void> {
    await fs.promises.rm(this.file(name), { force: true });
  }

  async setCurrent(name: string | undefined): Promise<void> {
    if (name === undefined) await fs.promises.rm(path.join(this.dir, CURRENT), { force: true });
    else await writeFileAtomic(path.join(this.dir, CURRENT), `${name}\n`);
  }

  /** Forget every checkpoint of the domain (undefine with checkpoint metadata). */
  async removeAll(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}
