/**
 * The migration tuning commands (migrate-setmaxdowntime, migrate-getmaxdowntime,
 * migrate-compcache, migrate-setspeed, migrate-getspeed, migrate-postcopy) in vsh and in real
 * virsh 9.0, on the same running QEMU behind virtkitd: stdout, stderr and exit status compared.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, ROOT, startDaemon, virshApart, type RunningDaemon } from '@virtkit/testkit';

const VSH = path.join(ROOT, 'bin', 'vsh');

describeIf('virsh 9.0', 'qemu')('migration tuning commands: vsh against virsh on virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let uri: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-tuning-'));
    daemon = await startDaemon(['--qemu-root', path.join(work, 'root')]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    fs.writeFileSync(
      path.join(work, 'vm.xml'),
      "<domain type='qemu'><name>vm</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices/></domain>",
    );
    expect(virshApart(['-c', uri, 'create', path.join(work, 'vm.xml')], { cwd: work }).status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    virshApart(['-c', uri, 'destroy', 'vm'], { cwd: work });
    await daemon?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('print, set and refuse as virsh does', () => {
    // Each session sets values the next one reads, so the two run the same session in turn,
    // virsh's first, each starting from the values the session before it left.
    const session = (...cmds: string[]) => cmds.join('; ');
    const sessions = [
      session('migrate-getmaxdowntime vm', 'migrate-getspeed vm', 'migrate-getspeed vm --postcopy', 'migrate-compcache vm'),
      session('migrate-setmaxdowntime vm 0'),
      session('migrate-setmaxdowntime vm abc'),
      session('migrate-setspeed vm x1'),
      session('migrate-postcopy vm'),
      session('migrate-getspeed nosuch'),
    ];
    for (const s of sessions) {
      const theirs = virshApart(['-c', uri, s], { cwd: work });
      const ours = spawnSync(VSH, ['-c', uri, s], { cwd: work, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
      expect({ s, out: ours.stdout, err: ours.stderr, status: ours.status }).toEqual({
        s,
        out: theirs.stdout,
        err: theirs.stderr,
        status: theirs.status,
      });
    }
    const setters = [
      'migrate-setmaxdowntime vm 250',
      'migrate-setspeed vm 100',
      'migrate-setspeed vm 50 --postcopy',
      'migrate-compcache vm --size 134217728',
    ];
    const readers = session('migrate-getmaxdowntime vm', 'migrate-getspeed vm', 'migrate-getspeed vm --postcopy', 'migrate-compcache vm');
    const afterVirsh = (virshApart(['-c', uri, session(...setters)], { cwd: work }), virshApart(['-c', uri, readers], { cwd: work }));
    expect(afterVirsh.stdout).toBe('250\n\n100\n\n50\n\nCompression cache: 128.000 MiB\n');
    for (const s of ['migrate-setmaxdowntime vm 300', 'migrate-setspeed vm 1', 'migrate-compcache vm --size 1048576'])
      virshApart(['-c', uri, s], { cwd: work });
    const vsh = (s: string) => spawnSync(VSH, ['-c', uri, s], { cwd: work, encoding: 'utf8' });
    expect(vsh(session(...setters)).status).toBe(0);
    expect(vsh(readers).stdout).toBe(afterVirsh.stdout);
  }, 60_000);
});
