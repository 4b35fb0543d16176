/**
 * The README's main job: scripts/main-job.sh (vsh on test:///default) against the same command
 * list, scripts/main-job.vsh, run through real virsh 9.0 — stdout, stderr and exit status alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { testIf } from '@virtkit/testkit';
import type { Outcome } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const XML = 'test/fixtures/main/demo.xml';
const ENV = { ...process.env, TZ: 'UTC', LC_ALL: 'C', MAIN_JOB_URI: 'test:///default', MAIN_JOB_XML: XML };

function run(cmd: string, args: string[]): Outcome {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 60000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

testIf('virsh 9.0')('main-job.sh prints what virsh prints for the same commands', () => {
  const script = readFileSync(path.join(ROOT, 'scripts/main-job.vsh'), 'utf8').replaceAll('@DOMAIN_XML@', XML);
  const virsh = run('virsh', ['-c', 'test:///default', script]);
  const vsh = run('bash', ['scripts/main-job.sh']);
  expect(virsh.code).toBe(0);
  expect(virsh.stdout).toContain('base\n  |\n  +- left\n  +- right\n');
  expect(vsh).toEqual(virsh);
});

testIf('qemu', 'qemu-img')(
  'with QEMU installed, main-job.sh boots a real VM on a fresh qemu:///embed root and leaves nothing behind',
  () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
    delete env.MAIN_JOB_URI;
    delete env.MAIN_JOB_XML;
    const r = spawnSync('bash', ['scripts/main-job.sh'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120000 });
    expect(r.status).toBe(0);
    const root = /main job on qemu:\/\/\/embed\?root=(\S+)/.exec(r.stderr)?.[1];
    expect(root).toBeDefined();
    // The same snapshot tree as on the test driver, and the VM really ran.
    expect(r.stdout).toContain('base\n  |\n  +- left\n  +- right\n');
    expect(r.stdout).toMatch(/ 1 +demo +running\n/);
    expect(r.stdout).toContain("Domain 'demo' destroyed");
    expect(spawnSync('pgrep', ['-f', `${root}/`]).status).toBe(1);
    expect(existsSync(root!)).toBe(false);
  },
);
