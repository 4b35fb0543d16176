/**
 * Block job commands through vsh on a real QEMU (qemu:///embed, TCG) over the chain
 * base.qcow2 <- top.qcow2: blockcommit --active --pivot, blockpull, blockcopy --finish, each with
 * --wait --verbose (virsh's progress lines on stderr, the closing line on stdout), blockjob --info,
 * and the result checked with qemu-img (contents and backing chain).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open } from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

const MiB = 2 ** 20;

function qemuIo(file: string, cmd: string): void {
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', cmd, file]);
}

/** True when `file` (with its backing chain) reads `pattern` over [offset, offset+len). */
function reads(file: string, pattern: number, offset: number, len: number): boolean {
  return spawnSync('qemu-io', ['-r', '-f', 'qcow2', '-c', `read -P ${pattern} ${offset} ${len}`, file], {
    encoding: 'utf8',
  }).stdout.includes('read ');
}

function chain(file: string): string[] {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--backing-chain', '--output=json', file], { encoding: 'utf8' }));
  return info.map((i: { filename: string }) => path.basename(i.filename));
}

describeIf('qemu')('block job commands on QEMU', () => {
  let root: string;
  let uri: string;
  let base: string;
  let top: string;
  const vsh = (script: string) => runVsh(['-c', uri, script]);

  /** A fresh chain base <- top with 0x11 in base's first MiB and 0x22 in top's second MiB, and a domain on top. */
  async function freshDomain(): Promise<void> {
    for (const f of [base, top]) fs.rmSync(f, { force: true });
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '16M']);
    qemuIo(base, `write -P 0x11 0 ${MiB}`);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', base, top]);
    qemuIo(top, `write -P 0x22 ${MiB} ${MiB}`);
    const xml = path.join(root, 'dom.xml');
    fs.writeFileSync(
      xml,
      "<domain type='qemu'><name>b</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>" +
        "<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>" +
        `<source file='${top}'/><target dev='hda' bus='ide'/></disk></devices></domain>`,
    );
    const r = await runVsh(['-q', '-c', uri, `create ${xml}`]);
    expect(r).toEqual({ code: 0, stderr: '', stdout: '' });
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-blockjob-'));
    uri = `qemu:///embed?root=${root}`;
    base = path.join(root, 'base.qcow2');
    top = path.join(root, 'top.qcow2');
  });

  afterEach(async () => {
    const conn = await open(uri).catch(() => null);
    if (conn) {
      for (const d of await conn.listAllDomains(1)) await d.destroy().catch(() => undefined);
      await conn.close();
    }
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('active commit with --pivot prints the progress and "Successfully pivoted", and the disk becomes the base', async () => {
    await freshDomain();
    const r = await vsh('blockcommit b hda --active --pivot --wait --verbose; domblklist b; blockjob b hda --info');
    expect(r.stderr).toMatch(/^(\rBlock commit: \[ *\d+ %\])*\rBlock commit: \[100 %\]$/);
    expect(r.stdout).toBe(
      `\nSuccessfully pivoted\n Target   Source\n${'-'.repeat(12 + base.length)}\n hda      ${base}\n\nNo current block job for hda\n`,
    );
    await vsh('destroy b');
    expect(reads(base, 0x11, 0, MiB) && reads(base, 0x22, MiB, MiB)).toBe(true);
  });

  it('blockpull --wait --verbose pulls the base into the top image', async () => {
    await freshDomain();
    const r = await vsh('blockpull b hda --wait --verbose');
    expect(r.stderr).toMatch(/\rBlock Pull: \[100 %\]$/);
    expect(r.stdout).toBe('\nPull complete\n');
    await vsh('destroy b');
    expect(chain(top)).toEqual(['top.qcow2']);
    expect(reads(top, 0x11, 0, MiB) && reads(top, 0x22, MiB, MiB)).toBe(true);
  });

  it('blockcopy --finish copies the whole chain and leaves the disk on its source', async () => {
    await freshDomain();
    const dest = path.join(root, 'copy.qcow2');
    const r = await vsh(`blockcopy b hda --dest ${dest} --format qcow2 --wait --verbose --finish; domblklist b`);
    expect(r.stderr).toMatch(/\rBlock Copy: \[100 %\]$/);
    expect(r.stdout).toBe(`\nSuccessfully copied\n Target   Source\n${'-'.repeat(12 + top.length)}\n hda      ${top}\n\n`);
    await vsh('destroy b');
    expect(spawnSync('qemu-img', ['compare', top, dest]).status).toBe(0);
  });

  it('--timeout aborts a job that runs too long and reports "Commit aborted"', async () => {
    await freshDomain();
    const r = await vsh('blockcommit b hda --active --wait --timeout 1 --bandwidth 1k --bytes; blockjob b hda --info');
    expect(r.stdout).toBe('\nCommit aborted\nNo current block job for hda\n');
    expect(r.stderr).toBe('');
    await vsh('destroy b');
    expect(chain(top)).toEqual(['top.qcow2', 'base.qcow2']);
  });

  it('non-blocking commit starts the job, blockjob --raw and --json describe it, --abort ends it', async () => {
    await freshDomain();
    const r = await vsh(
      'blockcommit b hda --active --bandwidth 1; blockjob b hda --raw; blockjob b hda --json; blockjob b hda --abort; blockjob b hda --info',
    );
    expect(r.stdout).toMatch(/^Active Block Commit started\n type=Active Block Commit\n bandwidth=1\n cur=\d+\n end=\d+\n\n\{/);
    expect(r.stdout).toMatch(/"type": "Active Block Commit"[^]*"bandwidth": 1048576/);
    expect(r.stdout).toMatch(/\n\nNo current block job for hda\n$/);
  });
});
