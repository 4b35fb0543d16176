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

export interface StoredSnapshots {
  defs: DomainSnapshotDef[];
  /** The snapshot whose file says it is current (the newest one if a crash left two). */
  current?: string;
}

export class SnapshotStore {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, `${name}.xml`);
  }

  /** Every stored snapshot; a damaged file loses only its own snapshot. */
  async load(): Promise<StoredSnapshots> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return { defs: [] };
    }
    const defs: DomainSnapshotDef[] = [];
    let current: DomainSnapshotDef | undefined;
    for (const n of names.sort()) {
      if (!n.endsWith('.xml') || n.startsWith('.')) continue;
      try {
        const text = await fs.promises.readFile(path.join(this.dir, n), 'utf8');
        const parsed = parseSnapshotXml(text, { redefine: true, internal: true, validateName: false });
        if (`${parsed.def.name}.xml` !== n) continue; // a file not written by us
        defs.push(parsed.def);
        if (parsed.current && (!current || parsed.def.creationTime >= current.creationTime)) current = parsed.def;
      } catch {
        /* skipped, as libvirt skips unreadable snapshot files */
      }
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
