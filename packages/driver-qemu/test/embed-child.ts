/** Runs fixtures/embed-call.ts: one call on an embed root from a separate process, that may crash on purpose. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface ChildResult {
  /** The call returned (the child printed `done`). */
  done: boolean;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** `hook`: a crash point (VIRTKIT_TEST_HOOK_<hook>=1) for the child to die at. */
export function embedCall(root: string, args: string[], hook?: string): ChildResult {
  const env = { ...process.env };
  if (hook) env[`VIRTKIT_TEST_HOOK_${hook}`] = '1';
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'embed-call.ts'), root, ...args], {
    cwd: path.resolve(__dirname, '../../..'),
    encoding: 'utf8',
    env,
    timeout: 90_000,
  });
  return { done: r.stdout.includes('done'), signal: r.signal, stderr: r.stderr };
}
