/** The corpus kinds `bin/corpus` knows, by the name of libvirt's test folder they replay. */
import type { CaseResult } from './common';
import { run as runSnapshotxml } from './snapshotxml';
import { run as runCheckpointxml } from './checkpointxml';
import { run as runBackupxml } from './backupxml';
import { run as runGenericxml2xml } from './genericxml2xml';
import { run as runQemuxml2xml } from './qemu/qemuxml2xml';
import { run as runQemuxml2argv } from './qemu/qemuxml2argv';
import { run as runNetworkxml2xml } from './networkxml2xml';
import { run as runNetworkxml2conf } from './networkxml2conf';
import { run as runXlconfig } from './xlconfig';
import { run as runLxcxml2xml } from './lxcxml2xml';
import { run as runLxcconf2xml } from './lxcconf2xml';
import { run as runSecretxml2xml } from './secretxml2xml';
import { run as runStoragepoolxml2xml } from './storagepoolxml2xml';
import { run as runStoragevolxml2xml } from './storagevolxml2xml';
import { run as runNodedevxml2xml } from './nodedevxml2xml';
import { run as runNetworkportxml2xml } from './networkportxml2xml';

export type CorpusRunner = (dir: string) => Promise<CaseResult[]>;

const runners = new Map<string, CorpusRunner>([
  ['snapshotxml', runSnapshotxml],
  ['checkpointxml', runCheckpointxml],
  ['backupxml', runBackupxml],
  ['genericxml2xml', runGenericxml2xml],
  ['qemuxml2xml', runQemuxml2xml],
  ['qemuxml2argv', runQemuxml2argv],
  ['networkxml2xml', runNetworkxml2xml],
  ['networkxml2conf', runNetworkxml2conf],
  ['xlconfig', runXlconfig],
  ['lxcxml2xml', runLxcxml2xml],
  ['lxcconf2xml', runLxcconf2xml],
  ['secretxml2xml', runSecretxml2xml],
  ['storagepoolxml2xml', runStoragepoolxml2xml],
  ['storagevolxml2xml', runStoragevolxml2xml],
  ['nodedevxml2xml', runNodedevxml2xml],
  ['networkportxml2xml', runNetworkportxml2xml],
]);

/** Add or replace the runner for a corpus kind (tests of the runner itself). */
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
