/**
 * scripts/check-versions.mjs on copies of the files it reads: the repository as it is passes;
 * a split version, a version whose symbol block is not released, a stale core VERSION or
 * API_VERSION and a wrong core peer range each fail with their reason; --fix rewrites what
 * follows from the versions and the released block.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'check-versions.mjs');
const VERSION_TS = 'packages/core/src/version.ts';
const PY_VERSION = 'packages/bindings-python/virtkit/_version.py';

/** A temp root with the package manifests, core's and the Python binding's version files and the symbol files of the repo. */
function copyOfRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-versions-'));
  const files = [VERSION_TS, PY_VERSION, 'api/public.syms', 'api/released-symbols.json'];
  for (const pkg of fs.readdirSync(path.join(ROOT, 'packages'))) {
    if (fs.existsSync(path.join(ROOT, 'packages', pkg, 'package.json'))) files.push(`packages/${pkg}/package.json`);
  }
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  return dir;
}

function check(root: string, ...flags: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...flags, root], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

const manifestPath = (root: string, pkg: string) => path.join(root, 'packages', pkg, 'package.json');
const readManifest = (root: string, pkg: string) => JSON.parse(fs.readFileSync(manifestPath(root, pkg), 'utf8'));

function publicPackages(root: string): string[] {
  return fs.readdirSync(path.join(root, 'packages')).filter((p) => fs.existsSync(manifestPath(root, p)) && !readManifest(root, p).private);
}

function setVersion(root: string, pkgs: string[], version: string): void {
  for (const p of pkgs) fs.writeFileSync(manifestPath(root, p), JSON.stringify({ ...readManifest(root, p), version }, null, 2));
}

/** Appends and releases a block VIRTKIT_<version> (one made-up symbol) after the newest one. */
function releaseBlock(root: string, version: string): void {
  const syms = path.join(root, 'api/public.syms');
  const released = path.join(root, 'api/released-symbols.json');
  const record = JSON.parse(fs.readFileSync(released, 'utf8'));
  const previous = Object.keys(record).at(-1);
  if (!fs.readFileSync(syms, 'utf8').includes(`VIRTKIT_${version} {`))
    fs.appendFileSync(syms, `\nVIRTKIT_${version} {\n    global:\n        virMadeUpCall;\n} ${previous};\n`);
  fs.writeFileSync(released, JSON.stringify({ ...record, [`VIRTKIT_${version}`]: ['virMadeUpCall'] }, null, 2));
}

describe('check-versions', () => {
  let root: string;
  beforeEach(() => (root = copyOfRepo()));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('passes on the repository as it is', () => {
    expect(check(root)).toEqual({
      status: 0,
      output: expect.stringMatching(/^check-versions: \d+ packages at \d+\.\d+\.\d+, API VIRTKIT_/),
    });
  });

  test('fails when the packages disagree on their version', () => {
    setVersion(root, ['driver-test'], '9.9.9');
    expect(check(root)).toEqual({ status: 1, output: expect.stringContaining('the published packages disagree on their version') });
  });

  test('fails when the packages move to a version whose symbol block is not released', () => {
    setVersion(root, publicPackages(root), '0.9.0');
    const { status, output } = check(root);
    expect(status).toBe(1);
    expect(output).toMatch(/the packages are at 0\.9\.0 but the newest released block is VIRTKIT_\d+\.\d+\.\d+/);
  });

  test("fails on core's stale VERSION and API_VERSION and peer ranges after a release; --fix rewrites them", () => {
    setVersion(root, publicPackages(root), '0.9.0');
    releaseBlock(root, '0.9.0');
    const before = check(root);
    expect(before.status).toBe(1);
    expect(before.output).toContain(`${VERSION_TS}: VERSION is`);
    expect(before.output).toContain(`${VERSION_TS}: API_VERSION is`);
    expect(before.output).toContain(`${PY_VERSION}: __version__ is`);
    expect(before.output).toContain('@virtkit/driver-test: the @virtkit/core peer range is');
    expect(check(root, '--fix')).toEqual({
      status: 0,
      output: `check-versions: ${publicPackages(root).length} packages at 0.9.0, API VIRTKIT_0.9.0\n`,
    });
    expect(fs.readFileSync(path.join(root, VERSION_TS), 'utf8')).toMatch(/VERSION = '0\.9\.0'[\s\S]*API_VERSION = '0\.9\.0'/);
    expect(fs.readFileSync(path.join(root, PY_VERSION), 'utf8')).toMatch(/__version__ = "0\.9\.0"[\s\S]*API_VERSION = "0\.9\.0"/);
    expect(readManifest(root, 'driver-test').peerDependencies['@virtkit/core']).toBe('workspace:>=0.9.0 <1');
  });

  test('fails when a library depends on core instead of taking it as a peer', () => {
    const m = readManifest(root, 'xml');
    fs.writeFileSync(
      manifestPath(root, 'xml'),
      JSON.stringify({ ...m, dependencies: { ...m.dependencies, '@virtkit/core': 'workspace:*' } }),
    );
    expect(check(root)).toEqual({ status: 1, output: expect.stringContaining('@virtkit/xml: @virtkit/core is a dependency') });
  });
});
