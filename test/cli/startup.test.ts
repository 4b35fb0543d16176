/**
 * How the built vsh starts (packages/cli/dist, see vsh-bundle.config.ts): one bundle run from V8's
 * code cache, with the drivers other than the test driver in side bundles read only when a URI
 * needs one, and a cache that does not fit its bundle replaced rather than trusted.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeUnless } from '@virtkit/testkit';

const DIST = path.resolve(__dirname, '../../packages/cli/dist');
const LAUNCH = path.join(DIST, 'launch.cjs');
const LIST = ' Id   Name   State\n----------------------\n 1    test   running\n\n';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-startup-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs `node launch args` with every file the process reads through fs.readFileSync logged. */
function traced(launch: string, args: string[]): { stdout: string; stderr: string; status: number | null; read: string[] } {
  const log = path.join(work, `read-${process.hrtime.bigint()}.log`);
  const hook = path.join(work, 'trace-reads.cjs');
  fs.writeFileSync(
    hook,
    "const fs = require('node:fs'); const read = fs.readFileSync;\n" +
      'fs.readFileSync = function (file, ...rest) { if (typeof file === "string") fs.appendFileSync(process.env.READ_LOG, file + "\\n"); return read.call(this, file, ...rest); };\n',
  );
  const r = spawnSync(process.execPath, ['-r', hook, launch, ...args], {
    encoding: 'utf8',
    env: { ...process.env, READ_LOG: log },
    timeout: 60000,
  });
  // Node's loader reads the entry itself through readFileSync too.
  const read = fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((f) => f && f !== launch)
    : [];
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, read };
}

describeUnless(fs.existsSync(path.join(DIST, 'index.cjs')) ? null : 'packages/cli is not built')('the built vsh process', () => {
  test('a test:/// run reads the main bundle and its cache, and no side bundle', () => {
    const r = traced(LAUNCH, ['-c', 'test:///default', 'list']);
    expect(r.stdout).toBe(LIST);
    expect(r.status).toBe(0);
    const bundles = r.read.filter((f) => f.startsWith(DIST)).map((f) => path.basename(f));
    expect(bundles).toEqual(['vsh.cjs.cache', 'vsh.cjs']);
  });

  test("a qemu:/// run reads the QEMU side bundle, and runs with the main bundle's core", () => {
    const root = path.join(work, 'qemu-root');
    const r = traced(LAUNCH, ['-c', `qemu:///embed?root=${root}`, 'dominfo nosuch']);
    const bundles = r.read.filter((f) => f.startsWith(DIST) && !f.endsWith('.cache')).map((f) => path.basename(f));
    expect(bundles).toEqual(['vsh.cjs', 'driver-qemu.cjs']);
    // The driver's VirError is the CLI's: libvirt's wording, not an internal error with a stack.
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a cache made for another build of the bundle is ignored and replaced', () => {
    const copy = path.join(work, 'dist-copy');
    fs.mkdirSync(copy);
    for (const f of ['launch.cjs', 'vsh.cjs']) fs.copyFileSync(path.join(DIST, f), path.join(copy, f));
    // V8 itself checks only the source length: a stale cache of the same length must not be used.
    const stale = Buffer.concat([Buffer.from('vsh-code-cache 1 2 3 x64\n'), fs.readFileSync(path.join(DIST, 'vsh.cjs.cache'))]);
    fs.writeFileSync(path.join(copy, 'vsh.cjs.cache'), stale);
    const first = traced(path.join(copy, 'launch.cjs'), ['-c', 'test:///default', 'list']);
    expect(first.stdout).toBe(LIST);
    const remade = fs.readFileSync(path.join(copy, 'vsh.cjs.cache'));
    const st = fs.statSync(path.join(copy, 'vsh.cjs'));
    expect(remade.subarray(0, 80).toString('latin1')).toMatch(new RegExp(`^vsh-code-cache ${st.size} ${st.mtimeMs} `));
    expect(remade.length).toBeGreaterThan(100000);
    // The next run uses the new cache and does not write it again.
    const mtime = fs.statSync(path.join(copy, 'vsh.cjs.cache')).mtimeMs;
    expect(traced(path.join(copy, 'launch.cjs'), ['-c', 'test:///default', 'list']).stdout).toBe(LIST);
    expect(fs.statSync(path.join(copy, 'vsh.cjs.cache')).mtimeMs).toBe(mtime);
  });
});
