/**
 * The corpus kinds this build knows, by folder name. Packages add theirs with
 * `registerCorpusKind` (the QEMU driver registers its kinds from its own corpus module).
 */
import type { CaseResult } from './common';
import { run as runSnapshotxml } from './snapshotxml';
import { run as runCheckpointxml } from './checkpointxml';
import { run as runBackupxml } from './backupxml';
import { run as runGenericxml2xml } from './genericxml2xml';

export type CorpusRunner = (dir: string) => Promise<CaseResult[]>;

const runners = new Map<string, CorpusRunner>([
  ['snapshotxml', runSnapshotxml],
  ['checkpointxml', runCheckpointxml],
  ['backupxml', runBackupxml],
  ['genericxml2xml', runGenericxml2xml],
]);

/** Add or replace the runner for a corpus kind. */
export function registerCorpusKind(kind: string, runner: CorpusRunner): void {
  runners.set(kind, runner);
}

export function corpusRunner(kind: string): CorpusRunner | undefined {
  return runners.get(kind);
}

export function corpusKinds(): string[] {
  return [...runners.keys()].sort();
}

export type { CaseResult } from './common';
