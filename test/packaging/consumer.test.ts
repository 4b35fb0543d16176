/**
 * The published packages as a user installs them: scripts/consumer-smoke.mjs packs every public
 * package from its built dist/, lints the tarballs (arethetypeswrong, publint, licence, README,
 * types, dependency ranges), installs them with npm into a fresh project and runs the core README
 * example as .mjs, .cjs and TypeScript (nodenext and bundler), plugins from ESM and CJS, and the
 * vsh and virtkitd bins. The script prints what differed; this test shows it on failure.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeIf } from '@virtkit/testkit';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILT = ['core', 'xml', 'driver-test', 'cli', 'daemon'].every((p) =>
  fs.existsSync(path.join(ROOT, 'packages', p, 'dist', 'index.cjs')),
);

function smoke(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'consumer-smoke.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

describeIf('npm packages')('the packed packages in a fresh npm project', () => {
  test('install, lint clean and run the README example as ESM, CJS and TypeScript', async () => {
    if (!BUILT) throw new Error('the packages are not built: run `npx pnpm@9 build` first');
    const { status, output } = await smoke();
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('consumer-smoke: all passed') });
  }, 900_000);
});
