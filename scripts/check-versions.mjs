#!/usr/bin/env node
/**
 * The versioning rule of RELEASING.md, checked: every published package has one version V; the
 * newest released symbol block B (the newest key of api/released-symbols.json, a block of
 * api/public.syms) is not newer than V and has V's major.minor; every block newer than B is newer
 * than V (unreleased work); core's VERSION is V and its API_VERSION is B, and so are the Python
 * bindings' __version__ and API_VERSION (virtkit/_version.py, the wheel's version); packages name each other
 * through workspace ranges, and drivers and plugins take @virtkit/core as a peer in the range
 * `>=B <M+1` (M: B's major): the API only grows within a major, so any later core serves them.
 *
 *   node scripts/check-versions.mjs [--fix] [ROOT]
 *
 * Prints each disagreement and exits 1, or prints the versions and exits 0. --fix first rewrites
 * what follows from V and B (core's VERSION and API_VERSION, the peer ranges of core).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const fix = args.includes('--fix');
const root = path.resolve(args.find((a) => a !== '--fix') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const VERSION_TS = 'packages/core/src/version.ts';
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const problems = [];

/** [major, minor, patch] of 'x.y.z' or 'VIRTKIT_x.y.z'. */
const parts = (v) =>
  v
    .replace(/^VIRTKIT_/, '')
    .split('.')
    .map(Number);
const compare = (a, b) => {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** The published packages: name, folder and manifest. */
function publicPackages() {
  return fs
    .readdirSync(path.join(root, 'packages'))
    .sort()
    .filter((dir) => fs.existsSync(path.join(root, 'packages', dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(`packages/${dir}/package.json`) }))
    .filter((p) => !p.manifest.private);
}

/** The one version all published packages share, or null after reporting the split. */
function packageVersion(packages) {
  const versions = new Set(packages.map((p) => p.manifest.version));
  if (versions.size === 1) return [...versions][0];
  problems.push(
    `the published packages disagree on their version: ${packages.map((p) => `${p.manifest.name}@${p.manifest.version}`).join(', ')}`,
  );
  return null;
}

/** The symbol blocks of api/public.syms and the released ones, oldest first. */
function symbolBlocks() {
  const syms = fs.readFileSync(path.join(root, 'api/public.syms'), 'utf8');
  const blocks = [...syms.matchAll(/^(VIRTKIT_\d+\.\d+\.\d+)\s*\{/gm)].map((m) => m[1]).sort(compare);
  const released = Object.keys(readJson('api/released-symbols.json')).sort(compare);
  for (const r of released) if (!blocks.includes(r)) problems.push(`api/released-symbols.json records ${r}, which api/public.syms lacks`);
  return { blocks, released };
}

const constantPattern = (name) => new RegExp(`(export const ${name} = )'([^']*)'`);

/** The Python bindings' version module: __version__ is V and API_VERSION is B, as core's. */
const PY_VERSION = 'packages/bindings-python/virtkit/_version.py';
const pyPattern = (name) => new RegExp(`^(${name} = )"([^"]*)"`, 'm');
const pyConstant = (name) => pyPattern(name).exec(fs.readFileSync(path.join(root, PY_VERSION), 'utf8'))?.[2];

/** The string value of `export const NAME = '...'` in core's version.ts. */
function coreConstant(name) {
  return constantPattern(name).exec(fs.readFileSync(path.join(root, VERSION_TS), 'utf8'))?.[2];
}

/** The peer range of @virtkit/core for API block 'x.y.z'. */
const corePeerRange = (api) => `workspace:>=${api} <${parts(api)[0] + 1}`;

/** --fix: core's VERSION and API_VERSION and the core peer ranges, from the versions and the newest released block. */
function writeDerived(packages, version, api) {
  const file = path.join(root, VERSION_TS);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(constantPattern('VERSION'), `$1'${version}'`).replace(constantPattern('API_VERSION'), `$1'${api}'`));
  const py = path.join(root, PY_VERSION);
  const pyText = fs.readFileSync(py, 'utf8');
  fs.writeFileSync(py, pyText.replace(pyPattern('__version__'), `$1"${version}"`).replace(pyPattern('API_VERSION'), `$1"${api}"`));
  for (const { dir, manifest } of packages) {
    if (!manifest.peerDependencies?.['@virtkit/core']) continue;
    manifest.peerDependencies['@virtkit/core'] = corePeerRange(api);
    fs.writeFileSync(path.join(root, 'packages', dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

function checkVersions(version, blocks, released) {
  const newest = released.at(-1);
  if (!newest) return problems.push('api/released-symbols.json records no released block');
  const b = newest.replace(/^VIRTKIT_/, '');
  if (compare(b, version) > 0) problems.push(`the packages are at ${version}, older than the released block ${newest}`);
  const [vm, vn] = parts(version);
  const [bm, bn] = parts(b);
  if (vm !== bm || vn !== bn)
    problems.push(
      `the packages are at ${version} but the newest released block is ${newest}: release VIRTKIT_${vm}.${vn}.0 (npx pnpm@9 generate --release ${vm}.${vn}.0) or fix the versions`,
    );
  for (const later of blocks.filter((x) => compare(x, newest) > 0 && compare(x, version) <= 0))
    problems.push(
      `${later} is not newer than the package version ${version} but is not released (npx pnpm@9 generate --release ${later.replace('VIRTKIT_', '')})`,
    );
  if (coreConstant('VERSION') !== version)
    problems.push(`packages/core/src/version.ts: VERSION is '${coreConstant('VERSION')}', not '${version}'`);
  if (coreConstant('API_VERSION') !== b)
    problems.push(`packages/core/src/version.ts: API_VERSION is '${coreConstant('API_VERSION')}', not '${b}'`);
  if (pyConstant('__version__') !== version)
    problems.push(`${PY_VERSION}: __version__ is '${pyConstant('__version__')}', not '${version}'`);
  if (pyConstant('API_VERSION') !== b) problems.push(`${PY_VERSION}: API_VERSION is '${pyConstant('API_VERSION')}', not '${b}'`);
}

/** Internal dependencies go through workspace ranges; drivers and plugins take core as a peer. */
function checkRanges(packages, api) {
  const names = new Set(packages.map((p) => p.manifest.name));
  for (const { manifest } of packages) {
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if ((names.has(dep) || dep === '@virtkit/testkit') && !range.startsWith('workspace:'))
          problems.push(`${manifest.name}: ${field} names ${dep}@${range}, not a workspace range`);
      }
    }
    const peer = manifest.peerDependencies?.['@virtkit/core'];
    if (peer !== undefined && api && peer !== corePeerRange(api))
      problems.push(`${manifest.name}: the @virtkit/core peer range is ${peer}, not ${corePeerRange(api)}`);
    if (manifest.dependencies?.['@virtkit/core'] && !manifest.bin)
      problems.push(
        `${manifest.name}: @virtkit/core is a dependency; a library takes it as a peer (only programs with a bin depend on it)`,
      );
  }
}

const packages = publicPackages();
const version = packageVersion(packages);
const { blocks, released } = symbolBlocks();
const api = released.at(-1)?.replace(/^VIRTKIT_/, '');
if (fix && version && api) writeDerived(packages, version, api);
if (version) checkVersions(version, blocks, released);
checkRanges(packages, api);
if (problems.length) {
  for (const p of problems) console.error(`check-versions: ${p}`);
  process.exit(1);
}
console.log(`check-versions: ${packages.length} packages at ${version}, API ${released.at(-1)}`);
