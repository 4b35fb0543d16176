/**
 * Snapshot metadata on disk, as libvirt keeps it: one `<name>.xml` per snapshot in a directory
 * per domain, each the snapshot XML in its internal form (embedded domain with secrets, and
 * `<active>` saying whether it is the current snapshot). Every write is atomic (temp file,
 * fsync, rename), so a crash leaves each file either old or new.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSnapshotXml, parseSnapshotXml, type DomainSnapshotDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import { fileNameFor } from '../state/file-names';
import { LoadReport, loadStateDir } from '../state/state-dir';

export interface StoredSnapshots {
  defs: DomainSnapshotDef[];
  /** The snapshot whose file says it is current (the newest one if a crash left two). */
  current?: string;
}

export class SnapshotStore {
  /** @param report - where unusable metadata files go (logged in any case) */
  constructor(
    readonly dir: string,
    private readonly report = new LoadReport(),
  ) {}

  private file(name: string): string {
    return path.join(this.dir, fileNameFor(name, '.xml'));
  }

  /** Every stored snapshot; a damaged file loses only its own snapshot (and is reported). */
  async load(): Promise<StoredSnapshots> {
    const parse = (text: string) => parseSnapshotXml(text, { redefine: true, internal: true, validateName: false });
    const files = await loadStateDir(this.dir, { suffix: '.xml', parse, nameOf: (p) => p.def.name! }, this.report);
    const defs: DomainSnapshotDef[] = [];
    let current: DomainSnapshotDef | undefined;
    for (const { value: parsed } of files) {
      defs.push(parsed.def);
      if (parsed.current && (!current || parsed.def.creationTime >= current.creationTime)) current = parsed.def;
    }
    return { defs, current: current?.name };
  }

  async save(def: DomainSnapshotDef, current: boolean): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(def.name!), formatSnapshotXml(def, { secure: true, internal: true, current }));
  }

  async remove(name: string): Promise<void> {
    await fs.promises.rm(this.file(name), { force: true });
  }

  /** Forget every snapshot of the domain (undefine with snapshot metadata). */
  async removeAll(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}
