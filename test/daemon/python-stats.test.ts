/**
 * The monitoring calls (bulk domain stats, memory, block and interface counters, vCPU info and
 * pinning) through real libvirt-python: the same script against virtkitd and against libvirt
 * 9.0's own test driver must print the same thing.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PYTHON, describeIf, startDaemon, type RunningDaemon } from '@virtkit/testkit';

function run(uri: string): unknown {
  const r = spawnSync(PYTHON, [path.join(__dirname, 'fixtures', 'python_stats.py'), uri], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describeIf('libvirt-python')('monitoring calls through libvirt-python', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  test('virtkitd answers as libvirt test:///default does', () => {
    const ours = run(`test+unix:///default?socket=${daemon.sock}`);
    const theirs = run('test:///default');
    expect(ours).toEqual(theirs);
    // The comparison covers real answers, not two matching failures.
    expect((theirs as { all: unknown }).all).toEqual([['test', { 'state.state': 1, 'state.reason': 0 }]]);
  });
});
