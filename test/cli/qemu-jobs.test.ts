/**
 * Disk, checkpoint, backup and undefine commands through vsh on a real QEMU (qemu:///embed, TCG):
 * domblklist, checkpoint-create-as/-info/-list/-dumpxml --size, backup-begin --wait --verbose
 * (vsh's addition) with the copy compared to the disk by qemu-img, domjobinfo --completed,
 * and undefine --checkpoints-metadata --remove-all-storage removing the volume from disk.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRoot, describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

describeIf('qemu')('disk, checkpoint and backup commands on QEMU', () => {
  let root: string;
  let uri: string;
  let pool: string;
  let disk: string;
  const vsh = (script: string, quiet = false) => runVsh([...(quiet ? ['-q'] : []), '-c', uri, script]);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-jobs-'));
    uri = `qemu:///embed?root=${root}`;
    pool = path.join(root, 'pool');
    fs.mkdirSync(pool);
    disk = path.join(pool, 'd.qcow2');
    // qcow2 v3, which persistent bitmaps need
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '32M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 1M 2M', disk]);
    fs.writeFileSync(
      path.join(root, 'dom.xml'),
      "<domain type='qemu'><name>j</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>" +
        `<source file='${disk}'/><target dev='hda' bus='ide'/></disk></devices></domain>`,
    );
    const r = await vsh(`pool-create-as p dir --target ${pool}; define ${path.join(root, 'dom.xml')}`, true);
    expect(r).toEqual({ code: 0, stderr: '', stdout: '' });
  });

  afterAll(() => cleanupRoot(root));

  it('lists the disks as virsh does, and as JSON', async () => {
    const r = await vsh('domblklist j; domblklist j --details --inactive; domblklist j --json');
    const w = disk.length;
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      ` Target   Source\n${'-'.repeat(12 + w)}\n hda      ${disk}\n\n` +
        ` Type   Device   Target   Source\n${'-'.repeat(28 + w)}\n file   disk     hda      ${disk}\n\n` +
        `${JSON.stringify([{ type: 'file', device: 'disk', target: 'hda', source: disk }], null, 2)}\n\n`,
    );
  });

  it('creates a checkpoint on the running domain and describes it', async () => {
    const r = await vsh(
      'start j; checkpoint-create-as j c1; checkpoint-list j --name; checkpoint-info j c1; checkpoint-parent j c1; checkpoint-list j --json',
    );
    expect(r.stdout).toMatch(
      /^Domain 'j' started\n\nDomain checkpoint c1 created\nc1\n\nName: +c1\nDomain: +j\nParent: +-\nChildren: +0\nDescendants: +0\n\n\n/,
    );
    expect(r.stderr).toBe("error: checkpoint 'c1' has no parent\n");
    const json = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('[')));
    expect(json).toEqual([{ name: 'c1', creationTime: expect.any(Number), parent: null }]);
    const sized = await vsh('checkpoint-dumpxml j c1 --size --no-domain');
    expect(sized.stdout).toMatch(/<disk name='hda' checkpoint='bitmap' bitmap='c1' size='\d+'\/>/);
  });

  it('runs a push backup to the end with a progress line, and reports the completed job', async () => {
    const target = path.join(root, 'full.qcow2');
    const xml = path.join(root, 'backup.xml');
    fs.writeFileSync(
      xml,
      `<domainbackup><disks><disk name='hda' type='file'><target file='${target}'/><driver type='qcow2'/></disk></disks></domainbackup>`,
    );
    const r = await vsh(
      `backup-begin j --backupxml ${xml} --wait --verbose; domjobinfo j --completed --keep-completed; domjobinfo j --completed --json; domjobinfo j`,
    );
    expect(r.stdout).toMatch(/^Backup started\n\nBackup complete\nJob type: +Completed +\nOperation: +Backup +\nTime elapsed: +\d+ +ms\n/);
    expect(r.stdout).toContain('File total:       32.000 MiB\n');
    expect(r.stdout).toMatch(/\n\nJob type: {9}None {8}\n\n$/);
    expect(r.stderr).toMatch(/^(\rBackup: \[ *\d+ %\])*\rBackup: \[100 %\]$/);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1));
    expect(json).toMatchObject({ type: 'completed', params: { operation: 9, disk_total: 32 * 2 ** 20 } });
    expect(spawnSync('qemu-img', ['compare', '-U', disk, target]).status).toBe(0);
  });

  it('shows a running pull backup in domjobinfo and backup-dumpxml, and ends it with domjobabort', async () => {
    const xml = path.join(root, 'pull.xml');
    const socket = path.join(root, 'nbd.sock');
    fs.writeFileSync(
      xml,
      `<domainbackup mode='pull'><server transport='unix' socket='${socket}'/><disks>` +
        `<disk name='hda' type='file'><scratch file='${path.join(root, 'scratch.qcow2')}'/></disk></disks></domainbackup>`,
    );
    const r = await vsh(
      `backup-begin j --backupxml ${xml}; domjobinfo j; backup-dumpxml j; domjobabort j; domjobinfo j; domjobinfo j --completed --rawstats`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Backup started\n\nJob type: +Unbounded +\nOperation: +Backup +\nTime elapsed: +\d+ +ms\n/);
    expect(r.stdout).toContain('Temporary disk space total: 32.000 MiB\n');
    expect(r.stdout).toContain(`<server transport='unix' socket='${socket}'/>`);
    expect(r.stdout).toMatch(/\n\n\nJob type: {9}None {8}\n\nJob type: 3\n\noperation: 9\ntime_elapsed: \d+\n[^]*success: yes\n\n$/);
  });

  it('shows --verbose needs --wait on backup-begin', async () => {
    const r = await vsh('backup-begin j --verbose');
    expect(r.stderr).toBe('error: Option --wait is required by option --verbose\n');
  });

  it('undefines with the checkpoint metadata and removes the disk volume', async () => {
    expect(await vsh('destroy j', true)).toEqual({ code: 0, stderr: '', stdout: '' });
    // QEMU stores the checkpoint's persistent bitmap in the image when it stops
    const bitmaps = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', disk], { encoding: 'utf8' }))['format-specific'].data
      .bitmaps;
    expect(bitmaps.map((b: { name: string }) => b.name)).toEqual(['c1']);
    const r = await vsh('pool-refresh p; undefine j --checkpoints-metadata --remove-all-storage; list --all --name; vol-list p');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `Pool p refreshed\n\nDomain 'j' has been undefined\nVolume 'hda'(${disk}) removed.\n\n\n` + ' Name   Path\n--------------\n\n',
    );
    expect(fs.existsSync(disk)).toBe(false);
  });
});
