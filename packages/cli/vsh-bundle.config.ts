/**
 * Builds dist/vsh.cjs, the one-file vsh that bin/vsh runs (through dist/launch.cjs): src/bin.ts
 * with the sources of every workspace package it imports (through the workspace's path mapping)
 * and their npm dependencies. A first-party driver is reached only through a dynamic import, so
 * its code sits in the file but is evaluated only when a URI needs it. Then one warm-up run
 * leaves V8's code cache beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Packages find their data files (CPU map, LXC controller) by walking up from their module's
 * folder; inside the bundle `__dirname` is the CLI's dist/, so there it names the package's own
 * folder, resolved when first asked for, from the CLI (whose dependency the package is).
 */
const packageDirname: Plugin = {
  name: 'package-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes('__dirname')) return undefined;
      const pkg = JSON.parse(readFileSync(path.join(args.path.replace(/[\\/]src[\\/].*$/, ''), 'package.json'), 'utf8')) as {
        name: string;
      };
      const dir = `require('node:path').dirname(require.resolve(${JSON.stringify(`${pkg.name}/package.json`)}))`;
      return { contents: contents.replace(/\b__dirname\b/g, `(${dir})`), loader: 'ts' };
    });
  },
};

/** The commands of the warm-up run, whose compiled functions the code cache keeps. */
const WARM_UP = 'list --all; dumpxml test; dominfo test; destroy test; start test; domstate test; list --name';

export async function buildVshBundle(): Promise<void> {
  await build({
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/vsh.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [packageDirname],
    // Less source to read and hash; names stay, so stacks and class names read as in the sources.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    entryPoints: ['src/launch.ts'],
    outfile: 'dist/launch.cjs',
    banner: { js: '#!/usr/bin/env node' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  execFileSync(process.execPath, ['dist/launch.cjs', '-c', 'test:///default', WARM_UP], { stdio: 'ignore' });
}
