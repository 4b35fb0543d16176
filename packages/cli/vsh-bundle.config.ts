/**
 * Builds the one-file vsh that bin/vsh runs through dist/launch.cjs: dist/vsh.cjs is src/bin.ts
 * with the sources of core, xml, the test driver and their npm dependencies (through the
 * workspace's path mapping); the other first-party drivers are side bundles, dist/<package>.cjs,
 * evaluated only when a URI needs one and given vsh's own core and xml (one VirError class, one
 * registry per process). Each bundle runs from V8's code cache beside it; the build's warm-up
 * run leaves the cache of vsh.cjs, a side bundle's is left by its first run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/** Driver packages that become side bundles, and the packages they take from vsh's bundle. */
const SIDE_BUNDLES = ['driver-qemu', 'driver-lxc', 'driver-xen', 'remote'];
const SHARED = ['@virtkit/core', '@virtkit/xml'];

/**
 * Packages find their data files (CPU map, LXC controller) by walking up from their module's
 * folder; inside a bundle `__dirname` is the CLI's dist/, so there it names the package's own
 * folder, resolved when first asked for, from the CLI (whose dependency the package is). The
 * CLI's own modules keep theirs: dist/ is where the bundles are.
 */
const packageDirname: Plugin = {
  name: 'package-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes('__dirname') || args.path.startsWith(path.resolve('src'))) return undefined;
      const pkg = JSON.parse(readFileSync(path.join(args.path.replace(/[\\/]src[\\/].*$/, ''), 'package.json'), 'utf8')) as {
        name: string;
      };
      const dir = `require('node:path').dirname(require.resolve(${JSON.stringify(`${pkg.name}/package.json`)}))`;
      return { contents: contents.replace(/\b__dirname\b/g, `(${dir})`), loader: 'ts' };
    });
  },
};

/** In vsh.cjs, a side-bundled package is a module that runs its bundle, handing it the shared packages. */
const sideBundles: Plugin = {
  name: 'side-bundles',
  setup(b) {
    const names = new RegExp(`^@virtkit/(${SIDE_BUNDLES.join('|')})$`);
    b.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: 'side-bundle' }));
    b.onLoad({ filter: /.*/, namespace: 'side-bundle' }, (args) => {
      const file = `${args.path.replace('@virtkit/', '')}.cjs`;
      const shared = SHARED.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(', ');
      return {
        contents:
          `const { runCached } = require(${JSON.stringify(path.resolve('src/code-cache.ts'))});\n` +
          `module.exports = runCached(require('node:path').join(__dirname, ${JSON.stringify(file)}), { ${shared} });\n`,
        resolveDir: path.resolve('src'),
        loader: 'js',
      };
    });
  },
};

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less source to read and hash; names stay, so stacks and class names read as in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The commands of the warm-up run, whose compiled functions the code cache keeps. */
const WARM_UP = 'list --all; dumpxml test; dominfo test; destroy test; start test; domstate test; list --name';

export async function buildVshBundle(): Promise<void> {
  await build({
    ...COMMON,
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/vsh.cjs',
    external: ['@virtkit/*/package.json'],
    plugins: [sideBundles, packageDirname],
  });
  for (const pkg of SIDE_BUNDLES) {
    await build({
      ...COMMON,
      entryPoints: [path.resolve('..', pkg, 'src/index.ts')],
      outfile: `dist/${pkg}.cjs`,
      tsconfig: 'tsconfig.json',
      external: [...SHARED, '@virtkit/*/package.json'],
      plugins: [packageDirname],
    });
  }
  await build({ ...COMMON, entryPoints: ['src/launch.ts'], outfile: 'dist/launch.cjs', banner: { js: '#!/usr/bin/env node' } });
  execFileSync(process.execPath, ['dist/launch.cjs', '-c', 'test:///default', WARM_UP], { stdio: 'ignore' });
}
