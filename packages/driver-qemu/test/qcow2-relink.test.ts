/**
 * The in-process `rebase -u` (qcow2-relink.ts) against qemu-img's own: on identical copies of
 * real images, both must leave headers that `qemu-img info` describes identically, that
 * `qemu-img check` accepts, and through which the guest sees the same data; and the rewrite
 * must decline, leaving the file untouched, wherever qemu-img has to do it instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { relinkQcow2 } from '../src/blockjob/qcow2-relink';
import { tmpDir } from './helpers';

const img = (args: string[], cwd: string) => execFileSync('qemu-img', args, { cwd, encoding: 'utf8' });
const io = (cmd: string, file: string) => execFileSync('qemu-io', ['-f', 'qcow2', '-c', cmd, file], { stdio: 'pipe' });

/** `old <- mid <- top` plus the unrelated `new.qcow2` and `sub/new.raw` (relative names), with patterns. */
function chain(dir: string, compat: string): void {
  img(['create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, 'new.qcow2', '4M'], dir);
  img(['create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, 'old.qcow2', '4M'], dir);
  img(['create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, '-b', 'old.qcow2', '-F', 'qcow2', 'mid.qcow2'], dir);
  img(['create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, '-b', 'mid.qcow2', '-F', 'qcow2', 'top.qcow2'], dir);
  io('write -P 0x11 0 1M', path.join(dir, 'new.qcow2'));
  io('write -P 0x22 1M 1M', path.join(dir, 'mid.qcow2'));
  io('write -P 0x33 2M 1M', path.join(dir, 'top.qcow2'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'new.raw'), Buffer.concat([Buffer.alloc(1 << 20, 0x11), Buffer.alloc(3 << 20)]));
}

function info(file: string): unknown {
  return JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { cwd: path.dirname(file), encoding: 'utf8' }));
}

/**
 * info with the directory taken out, so that two copies compare equal, and without the file's
 * allocation: qemu-img, opening the image read-write, also stores its persistent bitmaps anew.
 */
function infoIn(dir: string, file: string): string {
  const { 'actual-size': _allocation, ...rest } = info(path.join(dir, file)) as Record<string, unknown>;
  return JSON.stringify(rest).split(dir).join('<dir>');
}

describe('in-process qcow2 backing relink', () => {
  let root: string;
  beforeEach(() => {
    root = tmpDir('vk-relink-');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const QCOW2 = { backing: 'new.qcow2', format: 'qcow2' };
  const cases: Array<[string, string, (dir: string) => void, { backing: string; format: string }]> = [
    ['qcow2 v2 (compat 0.10)', '0.10', () => undefined, QCOW2],
    ['qcow2 v3 (compat 1.1)', '1.1', () => undefined, QCOW2],
    ['qcow2 v3 with a persistent bitmap', '1.1', (dir) => img(['bitmap', '--add', 'top.qcow2', 'b0'], dir), QCOW2],
    ['qcow2 v3 onto a raw image in a subdirectory', '1.1', () => undefined, { backing: 'sub/new.raw', format: 'raw' }],
  ];

  it.each(cases)(
    '%s: same header meaning as qemu-img rebase -u, image consistent, data seen through the new link',
    async (_n, compat, extra, link) => {
      const ours = path.join(root, 'ours');
      const theirs = path.join(root, 'theirs');
      for (const dir of [ours, theirs]) {
        fs.mkdirSync(dir);
        chain(dir, compat);
        extra(dir);
      }
      expect(await relinkQcow2(path.join(ours, 'top.qcow2'), link)).toBe(true);
      img(['rebase', '-u', '-f', 'qcow2', '-b', link.backing, '-F', link.format, 'top.qcow2'], theirs);

      expect(infoIn(ours, 'top.qcow2')).toBe(infoIn(theirs, 'top.qcow2'));
      expect(info(path.join(ours, 'top.qcow2'))).toMatchObject({
        'backing-filename': link.backing,
        'backing-filename-format': link.format,
      });
      img(['check', 'top.qcow2'], ours); // throws on a non-zero exit
      const top = path.join(ours, 'top.qcow2');
      io('read -P 0x11 0 1M', top);
      io('read -P 0 1M 1M', top); // mid's data is no longer below
      io('read -P 0x33 2M 1M', top);
    },
  );

  describe('declines and leaves the file as it was', () => {
    const unchanged = async (file: string, link = QCOW2) => {
      const before = fs.readFileSync(file);
      expect(await relinkQcow2(file, link)).toBe(false);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    };

    it('when another process has the image open (QEMU locks it)', async () => {
      chain(root, '1.1');
      const top = path.join(root, 'top.qcow2');
      const holder = spawn('qemu-io', ['-f', 'qcow2', top], { stdio: ['pipe', 'pipe', 'ignore'] });
      try {
        // qemu-io prints its prompt once the image is open (and locked).
        await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
        await unchanged(top);
      } finally {
        // The lock goes with the process, so wait for it to be gone, not just signalled.
        if (holder.exitCode === null && holder.signalCode === null) {
          const gone = new Promise((resolve) => holder.once('exit', resolve));
          holder.kill('SIGKILL');
          await gone;
        }
      }
      expect(await relinkQcow2(top, QCOW2)).toBe(true);
    });

    it('when the image is marked dirty or corrupt', async () => {
      chain(root, '1.1');
      const top = path.join(root, 'top.qcow2');
      const fd = fs.openSync(top, 'r+');
      fs.writeSync(fd, Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), 0, 8, 72); // incompatible bit 0: dirty
      fs.closeSync(fd);
      await unchanged(top);
    });

    it('when the file is not qcow2, or the name does not fit the format or the first cluster', async () => {
      chain(root, '0.10');
      const raw = path.join(root, 'disk.raw');
      fs.writeFileSync(raw, Buffer.alloc(65536, 7));
      await unchanged(raw);
      await unchanged(path.join(root, 'top.qcow2'), { backing: 'x'.repeat(1024), format: 'qcow2' });
      await unchanged(path.join(root, 'top.qcow2'), { backing: '', format: 'qcow2' });
      // 512-byte clusters: the v3 header and its feature table leave no room for a long name.
      img(['create', '-q', '-f', 'qcow2', '-o', 'compat=1.1,cluster_size=512', '-b', 'old.qcow2', '-F', 'qcow2', 'small.qcow2'], root);
      await unchanged(path.join(root, 'small.qcow2'), { backing: 'n'.repeat(600), format: 'qcow2' });
    });
  });
});
