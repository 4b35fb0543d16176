/**
 * The README's main job: scripts/main-job.sh (vsh on test:///default) against the same command
 * list, scripts/main-job.vsh, run through real virsh 9.0 — stdout, stderr and exit status alike.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { virshMissing, type Outcome } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const XML = 'test/fixtures/main/demo.xml';
const ENV = { ...process.env, TZ: 'UTC', LC_ALL: 'C', MAIN_JOB_URI: 'test:///default', MAIN_JOB_XML: XML };

function run(cmd: string, args: string[]): Outcome {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 60000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

const missing = virshMissing();
const withVirsh = missing ? test.skip : test;

withVirsh(`main-job.sh prints what virsh prints for the same commands${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const script = readFileSync(path.join(ROOT, 'scripts/main-job.vsh'), 'utf8').replaceAll('@DOMAIN_XML@', XML);
  const virsh = run('virsh', ['-c', 'test:///default', script]);
  const vsh = run('bash', ['scripts/main-job.sh']);
  expect(virsh.code).toBe(0);
  expect(virsh.stdout).toContain('base\n  |\n  +- left\n  +- right\n');
  expect(vsh).toEqual(virsh);
});
