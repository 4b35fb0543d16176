#!/usr/bin/env node
/**
 * The packages as a new user gets them: packs every public package (scripts/pack-all.sh, from the
 * built dist/), checks each tarball (licence, README, types for both formats, no `workspace:`
 * range, core a peer of drivers and plugins) and lints it with arethetypeswrong and publint, then
 * installs the tarballs with npm into a fresh temp project and runs the example of
 * packages/core/README.md as .mjs, .cjs and TypeScript (tsc --strict with module nodenext, as
 * .ts and .cts, and with moduleResolution bundler), plugins named by VIRTKIT_DRIVERS and
 * drivers.json from ESM and CJS, and the vsh and virtkitd bins. Type-checks every package
 * README's TypeScript example against the installed packages.
 *
 *   node scripts/consumer-smoke.mjs [--tarballs DIR] [--keep]
 *   node scripts/consumer-smoke.mjs --lint TGZ...   (only arethetypeswrong and publint)
 *
 * Prints one line per step; exits 1 at the first failure with what differed.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-consumer-'));

/** What the core README example prints against test:///default. */
const README_OUTPUT = 'test 1 2097152\nno-such-domain: not found\n';

function fail(message) {
  console.error(`consumer-smoke: ${message}`);
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  else console.error(`consumer-smoke: kept ${work}`);
  process.exit(1);
}

/** Runs a program; its stdout, or a failure naming the command and its output. */
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 300_000, ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) fail(`${[cmd, ...argv].join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function step(name) {
  console.log(`consumer-smoke: ${name}`);
}

/** The tarballs to test: packed now, or the ones in --tarballs DIR. */
function tarballs() {
  const i = args.indexOf('--tarballs');
  if (i >= 0) {
    const dir = path.resolve(args[i + 1]);
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.tgz'))
      .map((f) => path.join(dir, f));
  }
  step('packing every public package (scripts/pack-all.sh)');
  return run('bash', [path.join(root, 'scripts/pack-all.sh'), path.join(work, 'tarballs')])
    .trim()
    .split('\n');
}

const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const REQUIRED_FILES = ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];

/** [major, minor, patch] of a version or of the partial version in a range ('1' is 1.0.0). */
const triple = (v) => [...v.split('.').map(Number), 0, 0].slice(0, 3);
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` meets one comparator of a range (>=, <=, >, <, =, ^, ~ or a bare version). */
function meets(version, comparator) {
  const m = /^(>=|<=|>|<|=|\^|~)?(\d+(?:\.\d+){0,2})$/.exec(comparator);
  if (!m) return false;
  const [v, c] = [triple(version), triple(m[2])];
  const d = cmp(v, c);
  const below = (upper) => cmp(v, upper) < 0;
  switch (m[1]) {
    case '>=':
      return d >= 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '<':
      return d < 0;
    case '^':
      return d >= 0 && below(c[0] > 0 ? [c[0] + 1, 0, 0] : [0, c[1] + 1, 0]);
    case '~':
      return d >= 0 && below([c[0], c[1] + 1, 0]);
    default:
      return d === 0;
  }
}

/** Whether `version` satisfies an npm range made of such comparators (alternatives joined by ||). */
const satisfies = (version, range) =>
  range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .every((c) => meets(version, c)),
  );

/** Problems of one tarball's contents and manifest. */
function tarballProblems(tgz, versions) {
  const files = new Set(
    run('tar', ['-tzf', tgz])
      .split('\n')
      .map((f) => f.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json']));
  const problems = REQUIRED_FILES.filter((f) => !files.has(f)).map((f) => `has no ${f}`);
  for (const field of DEP_FIELDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (range.startsWith('workspace:')) problems.push(`${field} keeps ${name}@${range}`);
      else if (versions.has(name) && !satisfies(versions.get(name), range))
        problems.push(`${field} asks ${name}@${range}, packed at ${versions.get(name)}`);
    }
  }
  const usesCore = pkg.name !== '@virtkit/core' && (pkg.dependencies?.['@virtkit/core'] || pkg.peerDependencies?.['@virtkit/core']);
  const application = !!pkg.bin;
  if (usesCore && !application && !pkg.peerDependencies?.['@virtkit/core']) problems.push('needs @virtkit/core as a peer dependency');
  if (usesCore && !application && pkg.dependencies?.['@virtkit/core']) problems.push('bundles its own @virtkit/core dependency');
  if (pkg.type !== 'module') problems.push(`"type" is ${pkg.type ?? 'missing'}, not "module"`);
  return problems.map((p) => `${pkg.name}: ${p}`);
}

function checkTarballs(tgzs) {
  step(`checking ${tgzs.length} tarballs (files, dependency ranges, peers)`);
  const manifests = tgzs.map((t) => JSON.parse(run('tar', ['-xzOf', t, 'package/package.json'])));
  const versions = new Map(manifests.map((m) => [m.name, m.version]));
  const problems = tgzs.flatMap((t) => tarballProblems(t, versions));
  if (problems.length) fail(problems.join('\n'));
}

/** Runs a program without waiting; resolves to its exit status and output. */
function runAsync(cmd, argv) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** arethetypeswrong and publint on every tarball, a few at a time; the failures. */
async function lintTarballs(tgzs) {
  const failures = [];
  const lintOne = async (t) => {
    const attw = await runAsync(bin('attw'), [t, '--format', 'ascii']);
    if (attw.status !== 0) failures.push(`arethetypeswrong ${path.basename(t)}:\n${attw.output}`);
    const publint = await runAsync(bin('publint'), ['run', t, '--level', 'suggestion']);
    if (publint.status !== 0 || !/All good!/.test(publint.output)) failures.push(`publint ${path.basename(t)}:\n${publint.output}`);
  };
  const queue = [...tgzs];
  await Promise.all(
    [1, 2, 3].map(async () => {
      while (queue.length) await lintOne(queue.shift());
    }),
  );
  return failures;
}

/**
 * The linting in a child process (this one blocks in spawnSync while it runs the consumer steps):
 * resolves to the child's report when it exits, empty when every tarball is clean.
 */
function lintInBackground(tgzs) {
  step('arethetypeswrong and publint on every tarball (in the background)');
  return runAsync(process.execPath, [fileURLToPath(import.meta.url), '--lint', ...tgzs]).then((r) =>
    r.status === 0 ? '' : r.output || `exit ${r.status}`,
  );
}

/** Installs every tarball (and @types/node for the TypeScript runs) into a fresh project. */
function installConsumer(tgzs) {
  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  step('npm install of the tarballs into a fresh project');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tgzs, '@types/node@20'], { cwd: app });
  const cores = run('npm', ['ls', '--all', '--parseable', '@virtkit/core'], { cwd: app }).trim().split('\n');
  if (cores.length !== 1) fail(`npm installed ${cores.length} copies of @virtkit/core:\n${cores.join('\n')}`);
  return app;
}

/** The TypeScript block under a package README's "## Example" heading, or undefined. */
function readmeExample(pkg) {
  const text = fs.readFileSync(path.join(root, 'packages', pkg, 'README.md'), 'utf8');
  return /^## Example\n[^#]*?```ts\n([\s\S]*?)```/m.exec(text)?.[1];
}

/** The example as a CommonJS program: imports become requires, the body an async main. */
function asCommonJs(code) {
  const body = code.replace(/^import (\{[^}]*\}) from ('[^']+');$/gm, 'const $1 = require($2);');
  const requires = body.match(/^const .* = require\(.*\);$/gm).join('\n');
  const rest = body.replace(/^const .* = require\(.*\);$\n/gm, '');
  return `${requires}\n\nasync function main() {\n${rest}}\n\nmain().catch((e) => {\n  console.error(e);\n  process.exitCode = 1;\n});\n`;
}

const TSCONFIGS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out-nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler', outDir: 'out-bundler' },
};

function writeTsconfig(app, name, files, extra = {}) {
  const compilerOptions = { strict: true, target: 'es2022', types: ['node'], skipLibCheck: false, ...TSCONFIGS[name], ...extra };
  fs.writeFileSync(path.join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files }, null, 2));
}

function expectOutput(what, out, expected) {
  if (out !== expected) fail(`${what} printed:\n${out}\nexpected:\n${expected}`);
}

/** The core README example as .mjs, .cjs, .ts and .cts, compiled and run. */
function runReadmeExample(app) {
  const code = readmeExample('core');
  if (!code) fail('packages/core/README.md has no ```ts example');
  fs.writeFileSync(path.join(app, 'readme.mjs'), code);
  fs.writeFileSync(path.join(app, 'readme.cjs'), asCommonJs(code));
  fs.writeFileSync(path.join(app, 'readme.ts'), code);
  fs.writeFileSync(
    path.join(app, 'readme.cts'),
    asCommonJs(code).replace(/^const (\{[^}]*\}) = require\(('[^']+')\);$/gm, 'import $1 from $2;'),
  );
  for (const f of ['readme.mjs', 'readme.cjs']) {
    step(`node ${f}`);
    expectOutput(f, run('node', [f], { cwd: app }), README_OUTPUT);
  }
  const examples = packageExamples(app);
  step(`the README examples of ${examples.length} more packages are type-checked in the nodenext run`);
  writeTsconfig(app, 'nodenext', ['readme.ts', 'readme.cts', ...examples]);
  writeTsconfig(app, 'bundler', ['readme.ts']);
  for (const [config, outputs] of [
    ['nodenext', ['out-nodenext/readme.js', 'out-nodenext/readme.cjs']],
    ['bundler', ['out-bundler/readme.js']],
  ]) {
    step(`tsc --strict (${config}) and node on its output`);
    run(bin('tsc'), ['-p', `tsconfig.${config}.json`], { cwd: app });
    for (const out of outputs) expectOutput(`${out} (tsc ${config})`, run('node', [out], { cwd: app }), README_OUTPUT);
  }
}

/** Every other package README's TypeScript example, written out to be type-checked with the core one. */
function packageExamples(app) {
  const files = [];
  for (const pkg of fs.readdirSync(path.join(root, 'packages')).sort()) {
    if (!fs.existsSync(path.join(root, 'packages', pkg, 'README.md')) || pkg === 'core') continue;
    const code = readmeExample(pkg);
    if (!code) continue;
    files.push(`example-${pkg}.ts`);
    fs.writeFileSync(path.join(app, `example-${pkg}.ts`), `${code}\nexport {};\n`);
  }
  return files;
}

/**
 * Plugins from ESM and CJS apps: the example driver of the tests (a CommonJS folder) named by a
 * relative path in VIRTKIT_DRIVERS, and an ES module re-exporting it named by drivers.json; the
 * app tests the driver's not-found error with isNotFound.
 */
function runPlugins(app) {
  const plugin = path.join(app, 'example-driver');
  fs.cpSync(path.join(root, 'test/fixtures/example-driver'), plugin, { recursive: true });
  const esmPlugin = path.join(app, 'esm-plugin.mjs');
  fs.writeFileSync(
    esmPlugin,
    "import { createRequire } from 'node:module';\nexport const { driver } = createRequire(import.meta.url)('./example-driver');\n",
  );
  fs.writeFileSync(path.join(app, 'drivers.json'), JSON.stringify({ drivers: [esmPlugin] }));
  const program = `import { open, isNotFound } from '@virtkit/core';
const conn = await open('example:///');
console.log((await conn.listAllDomains()).map((d) => d.getName()).join(' '));
console.log(isNotFound(await conn.lookupByName('gamma').catch((e) => e)));
await conn.close();
`;
  fs.writeFileSync(path.join(app, 'plugin.mjs'), program);
  fs.writeFileSync(path.join(app, 'plugin.cjs'), asCommonJs(program));
  for (const f of ['plugin.mjs', 'plugin.cjs']) {
    step(`node ${f} with VIRTKIT_DRIVERS (a CJS plugin), then with drivers.json (an ESM plugin)`);
    expectOutput(
      `${f} (VIRTKIT_DRIVERS)`,
      run('node', [f], { cwd: app, env: { VIRTKIT_DRIVERS: './example-driver' } }),
      'alpha beta\ntrue\n',
    );
    const env = { VIRTKIT_DRIVERS: '', VIRTKIT_CONFIG: path.join(app, 'drivers.json') };
    expectOutput(`${f} (drivers.json)`, run('node', [f], { cwd: app, env }), 'alpha beta\ntrue\n');
  }
}

/** import and require give the same core; its VERSION is the installed package's. */
function checkOneCore(app) {
  step('one core for import and require');
  const check = `import { createRequire } from 'node:module';
import * as esm from '@virtkit/core';
const cjs = createRequire(import.meta.url)('@virtkit/core');
const pkg = createRequire(import.meta.url)('@virtkit/core/package.json');
console.log(esm.VirError === cjs.VirError, esm.registerDriver === cjs.registerDriver, esm.VERSION === pkg.version);
`;
  fs.writeFileSync(path.join(app, 'one-core.mjs'), check);
  expectOutput('one-core.mjs', run('node', ['one-core.mjs'], { cwd: app }), 'true true true\n');
}

function runBins(app) {
  step('npx vsh and npx virtkitd');
  const list = run('npx', ['--no-install', 'vsh', '-c', 'test:///default', 'list'], { cwd: app });
  expectOutput('vsh list', list, ' Id   Name   State\n----------------------\n 1    test   running\n\n');
  const help = run('npx', ['--no-install', 'virtkitd', '--help'], { cwd: app });
  if (!help.startsWith('Usage: virtkitd')) fail(`virtkitd --help printed:\n${help}`);
}

if (args[0] === '--lint') {
  const failures = await lintTarballs(args.slice(1));
  fs.rmSync(work, { recursive: true, force: true });
  if (failures.length) fail(failures.join('\n'));
  process.exit(0);
}

const started = Date.now();
const tgzs = tarballs();
checkTarballs(tgzs);
const linted = lintInBackground(tgzs);
const app = installConsumer(tgzs);
checkOneCore(app);
runReadmeExample(app);
runPlugins(app);
runBins(app);
const lintFailures = await linted;
if (lintFailures) fail(lintFailures);
if (!keep) fs.rmSync(work, { recursive: true, force: true });
step(`all passed in ${((Date.now() - started) / 1000).toFixed(0)} s${keep ? ` (kept ${work})` : ''}`);
