/**
 * The snapshot-create journal: an intent record, written atomically before a create changes
 * the first image and removed once the snapshot's metadata is stored, naming every image and
 * QEMU job the create touches. A driver that opens the root after the creating process died
 * reads it and finishes or undoes the create (recover.ts), so no snapshot is left in the
 * images without metadata, nor an overlay without a definition naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSnapshotXml, parseSnapshotXml, type DomainSnapshotDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';

/** One overlay an external create puts on a disk. */
export interface JournaledOverlay {
  target: string;
  path: string;
  format: string;
  /** The disk's image the overlay goes on. */
  below: string;
  /** The create made the file (it goes if the create is undone); false with REUSE_EXT. */
  created: boolean;
}

export interface CreateIntent {
  name: string;
  /** The snapshot as it will be stored (internal XML form, secrets included). */
  xml: string;
  /** Metadata is stored at the end (false with NO_METADATA). */
  metadata: boolean;
  /** QEMU ran the create (the domain was running). */
  live: boolean;
  internal?: {
    targets: string[];
    /** Each target's image (where `qemu-img` makes or removes the snapshot at rest). */
    images: string[];
    /** QEMU's snapshot-save job id (live). */
    jobId?: string;
  };
  external?: JournaledOverlay[];
}

/** File name in the domain's snapshot directory; the store skips names starting with a dot. */
const FILE = '.create-intent.json';

export class CreateJournal {
  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, FILE);
  }

  /** Record the intent (before the first change to an image). */
  async begin(intent: CreateIntent): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(intent));
  }

  /** The unfinished create, if a process left one; an unreadable record counts as none. */
  async read(): Promise<CreateIntent | undefined> {
    const text = await fs.promises.readFile(this.file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as CreateIntent;
    } catch {
      return undefined;
    }
  }

  /** The create is over (metadata stored, or its changes undone). */
  async end(): Promise<void> {
    await fs.promises.rm(this.file, { force: true });
  }
}

/** The definition an intent records, in the store's form. */
export function intentXml(def: DomainSnapshotDef): string {
  return formatSnapshotXml(def, { secure: true, internal: true, current: false });
}

export function intentDef(intent: CreateIntent): DomainSnapshotDef {
  return parseSnapshotXml(intent.xml, { redefine: true, internal: true, validateName: false }).def;
}
