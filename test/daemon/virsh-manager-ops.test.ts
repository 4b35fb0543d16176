/**
 * The operations of issue 14 that libvirt's test driver has, through real virsh: against
 * virtkitd's test driver and against libvirt's own `test:///default`, each session prints the
 * same (save/restore, managedsave, send-key, inject-nmi, metadata, desc, domrename, domcontrol,
 * blkdeviotune, save-image-dumpxml, and the guest agent calls libvirt's test driver answers).
 * A save image written by either side restores on the other (libvirt's test driver format).
 * Each virsh process opens its own connection, and each connection starts from the default state.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, startDaemon, virsh, virshJobSession, type RunningDaemon } from '@virtkit/testkit';

/** The test driver's CPU time is the wall clock of the call. */
const normalize = (s: string) => s.replace(/^(CPU time:\s+)\S+$/gm, '$1<time>');

describeIf('virsh')('issue 14 operations: virsh against virtkitd and against test:///default', () => {
  let daemon: RunningDaemon;
  let uri: string;
  /** The save images and the working directory of both virsh runs. */
  let work: string;

  beforeAll(async () => {
    daemon = await startDaemon((dir) => ['--test-root', dir]);
    uri = `test+unix:///default?socket=${daemon.sock}`;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-ops-'));
    // The daemon's first open loads the test driver; on a loaded machine that can outlast virsh's 30 s.
    virsh(['-c', uri, 'uri'], work);
  }, 60_000);

  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const sessions: Array<[string, string[]]> = [
    [
      'save and restore',
      [
        'save test SAVE',
        'domstate test --reason',
        'dominfo test',
        'save test SAVE',
        'restore SAVE',
        'domstate test --reason',
        'save test SAVE2 --xml SAVE',
        'restore NOFILE',
        'restore SAVE --xml SAVE',
      ],
    ],
    [
      'managedsave',
      [
        'managedsave test',
        'domstate test --reason',
        'dominfo test',
        'managedsave test',
        'domrename test other',
        'start test',
        'domstate test --reason',
        'managedsave test --running',
        'managedsave-remove test',
        'managedsave-remove test',
      ],
    ],
    ['send-key', ['send-key test KEY_A KEY_B', 'send-key test --codeset xt 30', 'destroy test', 'send-key test KEY_A']],
    ['inject-nmi', ['inject-nmi test', 'destroy test', 'inject-nmi test']],
    [
      'metadata',
      [
        'metadata test http://example.org/ --key ex --set \'<a x="1"><c>b</c></a>\'',
        'metadata test http://example.org/',
        'metadata test --uri http://e2/ --key e2 --set "<q/>"',
        'dumpxml test',
        'dumpxml test --inactive',
        'metadata test http://example.org/ --config',
        "metadata test http://example.org/ --key ex --set '<z/>'",
        'metadata test http://example.org/',
        'metadata test http://example.org/ --remove',
        'metadata test http://example.org/',
        'metadata test http://nothing/',
      ],
    ],
    [
      'desc',
      [
        'desc test',
        'desc test --title',
        "desc test --new-desc 'line1\nline2'",
        'desc test',
        "desc test --title --new-desc 'a\nb'",
        'desc test --config --title --new-desc Tt',
        'desc test --title --config',
        'desc test --title --live',
        "desc test --new-desc ''",
        'desc test',
        'dumpxml test --inactive',
      ],
    ],
    [
      'domrename',
      [
        'domrename test t2',
        'destroy test',
        'domrename test test',
        'domrename test a/b',
        'domrename test t2',
        'dominfo t2',
        'list --all',
        'domrename t2 test',
      ],
    ],
    ['domcontrol', ['domcontrol test', 'destroy test', 'domcontrol test']],
    [
      'blkdeviotune',
      [
        'blkdeviotune test vda',
        'blkdeviotune test vda --total-bytes-sec 1k --total-bytes-sec-max 2k --group-name g1',
        'blkdeviotune test vda',
        'blkdeviotune test vda --config',
        'blkdeviotune test vda --read-bytes-sec 1',
        'blkdeviotune test vdb',
        'blkdeviotune test vda --live --config',
      ],
    ],
    [
      'save image XML',
      ['save test SAVE', 'save-image-dumpxml SAVE', 'save-image-dumpxml SAVE --xpath //name', 'save-image-dumpxml NOFILE'],
    ],
    [
      'guest agent calls of the test driver',
      [
        'domtime test',
        'domtime test --now',
        'domtime test --time 5',
        'domfsfreeze test',
        'domfsfreeze test',
        'domfsthaw test --mountpoint /',
        'domfsfreeze test --mountpoint /boot',
        'domfsthaw test',
        'domfsthaw test',
        'domfsfreeze test --mountpoint /x',
        'domfsinfo test',
        'set-user-password test root pw',
        'set-user-password test root pw --encrypted',
        'destroy test',
        'domfsinfo test',
        'domtime test',
        'domfsfreeze test',
        'set-user-password test root pw',
      ],
    ],
  ];

  test.each(sessions)(
    '%s prints the same',
    (_name, cmds) => {
      const dir = work;
      const seq = (tag: string) =>
        cmds
          .join('; ')
          .replace(/SAVE2/g, path.join(dir, `${tag}-2.save`))
          .replace(/SAVE/g, path.join(dir, `${tag}.save`))
          .replace(/NOFILE/g, path.join(dir, 'missing.save'));
      const remote = virshJobSession(['-c', uri, seq('remote')], dir);
      const local = virshJobSession(['-c', 'test:///default', seq('local')], dir);
      expect(normalize(remote.out.replaceAll('remote', 'TAG'))).toBe(normalize(local.out.replaceAll('local', 'TAG')));
      expect(remote.status).toBe(local.status);
    },
    120_000,
  );

  test("each side restores the other's save image", () => {
    const dir = work;
    const ours = path.join(dir, 'by-virtkitd.save');
    const theirs = path.join(dir, 'by-libvirt.save');
    expect(virshJobSession(['-c', uri, `save test ${ours}`], dir).status).toBe(0);
    expect(virshJobSession(['-c', 'test:///default', `save test ${theirs}`], dir).status).toBe(0);
    expect(fs.readFileSync(ours).subarray(0, 15).toString('latin1')).toBe('TestGuestMagic\0');
    const here = virshJobSession(['-c', uri, `destroy test; restore ${theirs}; domstate test --reason`], dir);
    const there = virshJobSession(['-c', 'test:///default', `destroy test; restore ${ours}; domstate test --reason`], dir);
    expect(here.out).toContain(`Domain restored from ${theirs}\n\nrunning (restored)`);
    expect(there.out).toContain(`Domain restored from ${ours}\n\nrunning (restored)`);
  }, 120_000);
});
