/**
 * Checkpoint metadata on disk: one `<name>.xml` per checkpoint (the full checkpoint XML with
 * its embedded domain) and a `current` file naming the current checkpoint, in a directory per
 * domain. Every write is atomic (temp file, fsync, rename).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatCheckpointXml, parseCheckpointXml, type DomainCheckpointDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import { fileNameFor } from '../state/file-names';
import { LoadReport, loadStateDir } from '../state/state-dir';

const CURRENT = 'current';

export class CheckpointStore {
  /** @param report - where unusable metadata files go (logged in any case) */
  constructor(
    readonly dir: string,
    private readonly report = new LoadReport(),
  ) {}

  private file(name: string): string {
    return path.join(this.dir, fileNameFor(name, '.xml'));
  }

  /** Every stored checkpoint (unusable files are reported) and the current one's name. */
  async load(): Promise<{ defs: DomainCheckpointDef[]; current?: string }> {
    const parse = (text: string) => parseCheckpointXml(text, { redefine: true });
    const files = await loadStateDir(this.dir, { suffix: '.xml', parse, nameOf: (def) => def.name! }, this.report);
    const defs = files.map((f) => f.value);
    // The name as written, less the one newline after it: names may start or end with blanks.
    const current = (await fs.promises.readFile(path.join(this.dir, CURRENT), 'utf8').catch(() => '')).replace(/\n$/, '') || undefined;
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
