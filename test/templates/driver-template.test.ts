/**
 * A driver package made from templates/driver, as a third party would: created with
 * `templates/create-driver.mjs`, it compiles and passes its own tests against the packed
 * @virtkit/core tarball; applications (CommonJS and ES modules) that installed both tarballs find
 * it by its scheme from the package.json metadata alone, with one core; virtkitd serves it when
 * named in VIRTKIT_DRIVERS, and `vsh start` (and, where installed, virsh and libvirt-python)
 * work through the daemon.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PYTHON, ROOT, startDaemon, testIf, type RunningDaemon } from '@virtkit/testkit';

const SCHEME = 'demo';
const PKG = `virtkit-driver-${SCHEME}`;

/** Links `name` into `dir/node_modules`, as an install of the built workspace package would put it. */
function link(dir: string, name: string, target: string): void {
  const at = path.join(dir, 'node_modules', name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at);
}

/** Installs a packed tarball as `dir/node_modules/name`: its contents, no more (npm's `package/` root stripped). */
function installTarball(dir: string, name: string, tarball: string): void {
  const at = path.join(dir, 'node_modules', name);
  fs.mkdirSync(at, { recursive: true });
  const r = spawnSync('tar', ['-xzf', tarball, '-C', at, '--strip-components=1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
}

/** `npm pack` of the package in `dir` into `dest`: the tarball's path. */
function pack(dir: string, dest: string): string {
  const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`npm pack in ${dir}: ${r.stderr}`);
  return path.join(dest, r.stdout.trim().split('\n').pop()!);
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts, env: { ...process.env, ...opts.env } });
}

const tsc = (cwd: string) => run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd });

const APP_BODY = `
  const conn = await open('${SCHEME}:///');
  const names = (await conn.listAllDomains()).map((d) => d.getName());
  const missing = await conn.lookupByName('nope').then(() => false, (e) => isNotFound(e));
  console.log(JSON.stringify({ names, missing }));
  await conn.close();
`;

describe('a driver made from templates/driver', () => {
  let tmp: string;
  let driverDir: string;
  /** The tarball of the built @virtkit/core, as it would be published. */
  let coreTarball: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-template-'));
    driverDir = path.join(tmp, PKG);
    const made = run('node', [path.join(ROOT, 'templates/create-driver.mjs'), driverDir, '--scheme', SCHEME]);
    expect(made.stderr).toBe('');
    coreTarball = pack(path.join(ROOT, 'packages/core'), tmp);
    installTarball(driverDir, '@virtkit/core', coreTarball);
    // The registry is not reachable from tests: the compiler comes from the workspace.
    link(driverDir, 'typescript', path.join(ROOT, 'node_modules/typescript'));
    link(driverDir, '@types/node', path.join(ROOT, 'node_modules/@types/node'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('is made only for a valid scheme and into an empty folder', () => {
    const create = (dest: string, scheme: string) =>
      run('node', [path.join(ROOT, 'templates/create-driver.mjs'), dest, '--scheme', scheme]);
    expect(create(path.join(tmp, 'bad'), 'Bad_Scheme')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^'Bad_Scheme' is not a URI scheme/),
    });
    expect(create(driverDir, 'again')).toMatchObject({ status: 2, stderr: expect.stringContaining('exists and is not empty') });
    expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
  });

  test('is renamed to its scheme and passes its own tests', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(driverDir, 'package.json'), 'utf8'));
    const coreVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/core/package.json'), 'utf8')).version;
    expect(pkg).toMatchObject({
      name: PKG,
      virtkit: { driver: { schemes: [SCHEME] } },
      peerDependencies: { '@virtkit/core': `^${coreVersion}` },
    });
    expect(fs.readFileSync(path.join(driverDir, 'src/connection.ts'), 'utf8')).toMatch(/class DemoConnection implements TableConnection/);

    const r = tsc(driverDir);
    expect(r.stdout + r.stderr).toBe('');
    const t = run(process.execPath, ['--test', 'dist/test/'], { cwd: driverDir });
    expect(t.stdout).toMatch(/^# pass 5$/m);
    expect(t.status).toBe(0);
  });

  describe('once packed', () => {
    let app: string;
    /** Where virtkitd finds the driver: installed beside the daemon's own core. */
    let served: string;
    beforeAll(() => {
      if (!fs.existsSync(path.join(driverDir, 'dist/src/index.js'))) tsc(driverDir);
      const driverTarball = pack(driverDir, tmp);
      // An application that installed both tarballs: the driver's peer dependency is the app's core.
      app = path.join(tmp, 'app');
      installTarball(app, '@virtkit/core', coreTarball);
      installTarball(app, PKG, driverTarball);
      fs.writeFileSync(
        path.join(app, 'app.cjs'),
        `const { open, isNotFound } = require('@virtkit/core');\n(async () => {${APP_BODY}})();\n`,
      );
      fs.writeFileSync(path.join(app, 'app.mjs'), `import { open, isNotFound } from '@virtkit/core';\n${APP_BODY}`);
      const daemonSide = path.join(tmp, 'daemon');
      link(daemonSide, '@virtkit/core', path.join(ROOT, 'packages/core'));
      installTarball(daemonSide, PKG, driverTarball);
      served = path.join(daemonSide, 'node_modules', PKG);
    });

    test('holds only its build, package.json and README', () => {
      const files = (dir: string): string[] =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
      expect(files(path.join(app, 'node_modules', PKG)).sort()).toEqual(
        [
          'README.md',
          'package.json',
          ...['connection', 'host', 'index', 'table'].flatMap((m) => [`dist/src/${m}.d.ts`, `dist/src/${m}.js`]),
        ].sort(),
      );
    });

    test.each(['app.cjs', 'app.mjs'])('is found by its scheme from %s, with one core (isNotFound holds)', (file) => {
      const r = run(process.execPath, [file], { cwd: app });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ names: ['alpha', 'beta'], missing: true });
    });

    describe('served by virtkitd from VIRTKIT_DRIVERS', () => {
      let daemon: RunningDaemon;
      let uri: string;
      beforeAll(async () => {
        daemon = await startDaemon(['--config', '/dev/null'], { VIRTKIT_DRIVERS: served });
        uri = `${SCHEME}+unix:///?socket=${daemon.sock}`;
      });
      afterAll(async () => {
        expect(await daemon?.stop()).toBe(0);
      });

      const vsh = (...args: string[]) => run(path.join(ROOT, 'bin/vsh'), ['-c', uri, ...args]);

      test('vsh lists, starts and destroys its domains', () => {
        expect(vsh('start', 'beta')).toMatchObject({ status: 0, stdout: "Domain 'beta' started\n\n" });
        expect(vsh('list', '--all').stdout).toMatch(/^ 1 +alpha +running\n \d+ +beta +running$/m);
        expect(vsh('domstate', 'beta').stdout).toBe('running\n\n');
        expect(vsh('start', 'beta')).toMatchObject({ status: 1, stderr: 'error: Domain is already active\n' });
        expect(vsh('destroy', 'beta')).toMatchObject({ status: 0, stdout: "Domain 'beta' destroyed\n\n" });
        expect(vsh('list', '--inactive', '--name').stdout).toBe('beta\n\n');
      });

      testIf('virsh')('virsh starts a domain by name and by UUID, and shows it', () => {
        const virsh = (...args: string[]) => run('virsh', ['-c', uri, ...args]);
        expect(virsh('start', 'beta')).toMatchObject({ status: 0, stdout: "Domain 'beta' started\n\n" });
        const info = virsh('dominfo', 'c7a5fdbd-edaf-9455-926a-d65c16db1810').stdout;
        expect(info).toMatch(/^Name: +beta$/m);
        expect(info).toMatch(/^OS Type: +hvm$/m);
        expect(info).toMatch(/^State: +running$/m);
        expect(virsh('dumpxml', '1').stdout).toMatch(/<name>alpha<\/name>/);
        expect(virsh('destroy', 'beta').status).toBe(0);
      });

      testIf('libvirt-python')('libvirt-python looks domains up and starts one', () => {
        const script = `
import json, libvirt
c = libvirt.open(${JSON.stringify(uri)})
beta = c.lookupByUUIDString('c7a5fdbd-edaf-9455-926a-d65c16db1810')
beta.create()
again = c.lookupByID(beta.ID())
print(json.dumps([again.name(), again.OSType(), again.info()[0], c.lookupByName('alpha').XMLDesc(0).count('<name>alpha</name>')]))
beta.destroy()
`;
        const r = run(PYTHON, ['-c', script]);
        expect(r.stderr).toBe('');
        expect(JSON.parse(r.stdout)).toEqual(['beta', 'hvm', 1, 1]);
      });
    });
  });
});
