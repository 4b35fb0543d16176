/**
 * Storage pool and node device events on test:///default: real virsh 9.0's pool-event and
 * nodedev-event, and vsh's, watching virtkitd print what virsh prints watching libvirtd 9.0 (its
 * own test driver) while a second virsh defines, builds, starts, refreshes, stops, deletes and
 * undefines a pool and creates and destroys a vHBA.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { describeIf, ROOT, startDaemon, startLibvirtd, virsh, type RunningDaemon, type RunningLibvirtd } from '@virtkit/testkit';

const VSH = path.join(ROOT, 'bin/vsh');
const ENV = { ...process.env, LANG: 'C', LC_ALL: 'C' };

const POOL_XML = `<pool type='dir'>
  <name>evpool</name>
  <uuid>5a1d2b3c-4d5e-4f60-8172-839405a6b7c8</uuid>
  <target><path>/evpool</path></target>
</pool>
`;

const CHANGES = [
  'pool-define evpool.xml',
  'pool-build evpool',
  'pool-start evpool',
  'pool-refresh evpool',
  'pool-refresh default-pool',
  'pool-destroy evpool',
  'pool-delete evpool',
  'pool-undefine evpool',
  'nodedev-create vhba.xml',
  'nodedev-destroy scsi_host12',
].join('; ');

/** The watchers each server gets, as virsh arguments. */
const WATCHES = [
  ['pool-event', '--event', 'lifecycle', '--loop'],
  ['pool-event', '--event', 'refresh', '--loop', '--pool', 'default-pool'],
  // evpool does not exist yet: virsh watches every pool, and reports the lookup error at the end
  ['pool-event', '--event', 'refresh', '--loop', '--pool', 'evpool', '--timestamp'],
  ['pool-event', '--event', 'lifecycle'],
  ['nodedev-event', '--event', 'lifecycle', '--loop'],
  ['nodedev-event', '--event', 'update', '--loop'],
];

interface Watched {
  out: string;
  err: string;
  code: number | null;
}

function watch(cmd: string, uri: string, args: string[], dir: string): Promise<Watched> {
  const p = spawn(cmd, ['-c', uri, ...args, '--timeout', '14'], { cwd: dir, env: ENV });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += String(d)));
  p.stderr.on('data', (d) => (err += String(d)));
  return new Promise((resolve) => p.on('exit', (code) => resolve({ out, err, code })));
}

/** Start every watcher on `uri` with each program, make the changes once they listen, collect. */
async function session(uri: string, dir: string, programs: string[]): Promise<Watched[][]> {
  const running = programs.map((cmd) => WATCHES.map((w) => watch(cmd, uri, w, dir)));
  // every watcher registers within this pause (vsh's start-up is the slower one)
  await new Promise((r) => setTimeout(r, 8000));
  const r = virsh(['-c', uri, CHANGES], dir);
  expect(r.status).toBe(0);
  return Promise.all(running.map((ws) => Promise.all(ws)));
}

describeIf('virsh 9.0', 'libvirtd')('pool-event and nodedev-event on test:///default', () => {
  let daemon: RunningDaemon;
  let libvirtd: RunningLibvirtd;

  beforeAll(async () => {
    [daemon, libvirtd] = await Promise.all([startDaemon(), startLibvirtd()]);
    for (const d of [daemon.dir, libvirtd.dir]) {
      fs.writeFileSync(path.join(d, 'evpool.xml'), POOL_XML);
      fs.copyFileSync(path.join(ROOT, 'test/fixtures/cli/nodedev-vhba.xml'), path.join(d, 'vhba.xml'));
    }
  }, 60000);

  afterAll(async () => {
    await libvirtd?.stop();
    expect(await daemon?.stop()).toBe(0);
  });

  test('virsh and vsh against virtkitd print what virsh prints against libvirtd', async () => {
    const [[libvirt], [virtkit, vsh]] = await Promise.all([
      session(`test+unix:///default?socket=${libvirtd.sock}`, libvirtd.dir, ['virsh']),
      session(`test+unix:///default?socket=${daemon.sock}`, daemon.dir, ['virsh', VSH]),
    ]);
    expect(libvirt[0].out).toBe(
      [
        "event 'lifecycle' for storage pool evpool: Defined",
        "event 'lifecycle' for storage pool evpool: Created",
        "event 'lifecycle' for storage pool evpool: Started",
        "event 'lifecycle' for storage pool evpool: Stopped",
        "event 'lifecycle' for storage pool evpool: Deleted",
        "event 'lifecycle' for storage pool evpool: Undefined",
        'event loop timed out',
        'events received: 6',
        '',
        '',
      ].join('\n'),
    );
    expect(libvirt[1].out).toBe("event 'refresh' for storage pool default-pool\nevent loop timed out\nevents received: 1\n\n");
    expect(libvirt[2].err).toContain("error: failed to get pool 'evpool'");
    expect(libvirt[4].out).toContain("event 'lifecycle' for node device scsi_host12: Deleted");
    // timestamps differ from run to run: compare them by shape
    const untimed = (ws: Watched[]) =>
      ws.map((w) => ({ ...w, out: w.out.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: /gm, 'TS: ') }));
    expect(untimed(libvirt)[2].out).toContain(
      "TS: event 'refresh' for storage pool evpool\nTS: event 'refresh' for storage pool default-pool\n",
    );
    expect(untimed(virtkit)).toEqual(untimed(libvirt));
    expect(untimed(vsh)).toEqual(untimed(libvirt));
  }, 60000);
});
