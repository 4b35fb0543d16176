/**
 * Entry point of `bin/corpus` (run through tsx). Packages that bring their own corpus kinds are
 * listed in CORPUS_MODULES; each is imported when its file exists and registers its kinds with
 * `registerCorpusKind`. Add one path per package.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess } from '../process-exit';
import { main } from './cli';

/** Corpus modules of other packages, relative to packages/core/src/corpus. */
const CORPUS_MODULES = ['../../../driver-qemu/src/corpus/index.ts'];

async function loadCorpusModules(): Promise<void> {
  for (const rel of CORPUS_MODULES) {
    const file = path.resolve(__dirname, rel);
    if (existsSync(file)) await import(pathToFileURL(file).href);
  }
}

runProcess(
  () => loadCorpusModules().then(() => main(process.argv.slice(2))),
  {
    brokenPipe: 'die',
    onError: (e) => {
      process.stderr.write(`corpus: ${(e as Error).stack ?? String(e)}\n`);
      return 2;
    },
  },
);
