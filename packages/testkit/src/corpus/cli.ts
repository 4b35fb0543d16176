/**
 * `corpus KIND DIR`: run one corpus kind over a folder, print each failing case's name and diff,
 * then one summary line `N passed, N failed`. Exit code 0 when all passed, 1 when any failed,
 * 2 on a usage error.
 */
import { promises as fs } from 'node:fs';
import { corpusKinds, corpusRunner } from './index';

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function usage(io: CliIO, message?: string): number {
  if (message) io.err(`corpus: ${message}\n`);
  io.err(`usage: corpus KIND DIR\nkinds: ${corpusKinds().join(' ')}\n`);
  return 2;
}

/** Run the CLI on `argv` (without the program name); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  if (argv.length !== 2 || argv[0].startsWith('-')) return usage(io);
  const [kind, dir] = argv;
  const runner = corpusRunner(kind);
  if (!runner) return usage(io, `unknown kind '${kind}'`);
  try {
    if (!(await fs.stat(dir)).isDirectory()) return usage(io, `'${dir}' is not a directory`);
  } catch {
    return usage(io, `cannot read '${dir}'`);
  }
  const results = await runner(dir);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.ok) {
      passed++;
      continue;
    }
    failed++;
    io.out(`FAIL ${r.name}\n`);
    if (r.diff) io.out(r.diff.endsWith('\n') ? r.diff : `${r.diff}\n`);
  }
  io.out(`${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}
