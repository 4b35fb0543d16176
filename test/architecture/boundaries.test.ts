/**
 * Package boundaries: packages reach each other only by name, through their built entry points;
 * no build carries a copy of another package; core names no driver.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open, resetRegistry } from '@virtkit/core';
import { describeUnless } from '@virtkit/testkit';
import { ROOT, importsOf, packageRootOf, resolveRelative, sourceFiles } from './graph';

const CODE_DIRS = ['api', 'generator', 'packages', 'test', 'bench'].map((d) => path.join(ROOT, d));

test('no relative import leaves its package, in sources, tests or benchmarks', () => {
  const crossing: string[] = [];
  // Build configs (tsup.config.ts) share the workspace's one recipe; they are not package code.
  for (const file of CODE_DIRS.flatMap(sourceFiles).filter((f) => !f.endsWith('.config.ts'))) {
    for (const { specifier } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target && packageRootOf(target) !== packageRootOf(file)) crossing.push(`${path.relative(ROOT, file)}: ${specifier}`);
    }
  }
  expect(crossing).toEqual([]);
});

test('the lint rule rejects a relative import into another package', () => {
  const lint = (text: string) =>
    spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', 'packages/daemon/src/boundary-probe.ts'], {
      cwd: ROOT,
      input: text,
      encoding: 'utf8',
    });
  const crossing = lint("import { VirError } from '../../core/src/errors';\nexport { VirError };\n");
  expect(crossing.status).toBe(1);
  expect(crossing.stdout).toContain('virtkit/no-cross-package-relative');
  expect(lint("import { VirError } from '@virtkit/core';\nexport { VirError };\n").status).toBe(0);
});

const built = (pkg: string) => path.join(ROOT, 'packages', pkg, 'dist');
const publishedPackages = fs
  .readdirSync(path.join(ROOT, 'packages'))
  .filter((p) => fs.existsSync(path.join(ROOT, 'packages', p, 'tsup.config.ts')));
const distReady = publishedPackages.every((p) => fs.existsSync(built(p)));

describeUnless(distReady ? null : 'a package has no dist/')('built packages (npm run setup builds them)', () => {
  const jsFiles = (pkg: string) =>
    fs
      .readdirSync(built(pkg))
      .filter((f) => /\.(c|m)?js$/.test(f))
      .map((f) => path.join(built(pkg), f));

  test('no dist holds a module from outside its own package', () => {
    // esbuild marks each bundled module with a `// path/from/package` comment; tsup's own shims
    // come from node_modules.
    const foreign = publishedPackages.flatMap((pkg) =>
      jsFiles(pkg).flatMap((f) =>
        [...fs.readFileSync(f, 'utf8').matchAll(/^\/\/ (\.\.\/[^\n]+)$/gm)]
          .filter((m) => !m[1].includes('/node_modules/'))
          .map((m) => `${pkg}: ${m[1]}`),
      ),
    );
    expect(foreign).toEqual([]);
  });

  test('only @virtkit/core defines VirError', () => {
    const definers = publishedPackages.filter((pkg) =>
      jsFiles(pkg).some((f) => /\bclass VirError\b|\bVirError = class\b/.test(fs.readFileSync(f, 'utf8'))),
    );
    expect(definers).toEqual(['core']);
  });
});

test('core names no driver package: drivers are found by their package.json metadata', async () => {
  const coreSources = sourceFiles(path.join(ROOT, 'packages/core/src')).filter((f) => !f.includes('/generated/'));
  expect(
    coreSources.filter((f) => /from '@virtkit\/(driver-|remote)/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f)),
  ).toEqual([]);

  // A third-party driver package, installed beside a program, serves its scheme with no registration.
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-plugin-'));
  const pkgDir = path.join(app, 'node_modules', 'virtkit-driver-probe');
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.writeFileSync(
    path.join(pkgDir, 'package.json'),
    JSON.stringify({ name: 'virtkit-driver-probe', main: 'index.js', virtkit: { driver: { schemes: ['probe'] } } }),
  );
  fs.writeFileSync(
    path.join(pkgDir, 'index.js'),
    "exports.driver = { name: 'probe', schemes: ['probe'], open: async () => { throw Object.assign(new Error('probe driver reached'), { code: 'PROBE' }); } };\n",
  );
  const cwd = process.cwd();
  process.chdir(app);
  resetRegistry();
  try {
    await expect(open('probe:///x')).rejects.toThrow('probe driver reached');
  } finally {
    process.chdir(cwd);
    resetRegistry();
    fs.rmSync(app, { recursive: true, force: true });
  }
});
