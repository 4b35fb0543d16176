/**
 * The built programs writing into real pipes (bash pipelines): everything reaches a slow reader,
 * and a reader that closes early ends the writer silently, with the status virsh gets (killed by
 * SIGPIPE: 141 in the shell). Node writes to pipes asynchronously, so exiting without flushing
 * dropped what the reader had not taken yet.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDaemon, testIf, type RunningDaemon } from '@virtkit/testkit';

const ROOT = path.resolve(__dirname, '../..');
const VSH = path.join(ROOT, 'bin', 'vsh');
const CORPUS = path.join(ROOT, 'bin', 'corpus');
/** What bash reports for a writer killed by SIGPIPE (128 + 13), as for virsh. */
const SIGPIPE_STATUS = 141;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-pipes-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface PipeRun {
  read: Buffer;
  writerStatus: number;
  writerStderr: string;
}

/** Runs `argv | reader` in bash; returns what the reader printed and the writer's status and stderr. */
function throughPipe(argv: string[], reader: string): PipeRun {
  const errFile = path.join(work, 'writer.err');
  const statusFile = path.join(work, 'writer.status');
  const r = spawnSync('bash', ['-c', `"$@" 2>"${errFile}" | ${reader}; echo "\${PIPESTATUS[0]}" >"${statusFile}"`, 'bash', ...argv], {
    maxBuffer: 1 << 26,
    timeout: 60000,
  });
  return { read: r.stdout, writerStatus: Number(fs.readFileSync(statusFile, 'utf8')), writerStderr: fs.readFileSync(errFile, 'utf8') };
}

/** The writer's full output, with stdout on a file (which Node writes synchronously), and its status. */
function toFile(argv: string[], status = 0): Buffer {
  const out = path.join(work, 'writer.out');
  const r = spawnSync('bash', ['-c', `"$@" >"${out}"`, 'bash', ...argv], { timeout: 60000 });
  expect(r.status).toBe(status);
  return fs.readFileSync(out);
}

/** A vsh command line printing `n` times the help text (about 6.7 KB each). */
const helps = (n: number): string[] => [VSH, '-c', 'test:///default', Array(n).fill('help').join('; ')];

/** Readers that take nothing for a while, then everything; or a little, then the rest late. */
const SLOW_READERS = ['(sleep 0.4; cat)', '(head -c 1000; sleep 0.4; cat)'];

describe('vsh into a pipe', () => {
  // Sizes around the 64 KiB pipe buffer, where the unflushed tail is smaller than Node's high-water mark.
  test.each([10, 11, 12, 20])('a slow reader gets all of %i help texts, every run', (n) => {
    const expected = toFile(helps(n));
    for (const reader of SLOW_READERS) {
      for (let run = 0; run < 2; run++) {
        const r = throughPipe(helps(n), reader);
        expect({ bytes: r.read.length, status: r.writerStatus, stderr: r.writerStderr }).toEqual({
          bytes: expected.length,
          status: 0,
          stderr: '',
        });
        expect(r.read.equals(expected)).toBe(true);
      }
    }
  });

  test.each(['head -c 100', 'head -1', 'true'])('a reader that closes early (%s) ends vsh silently by SIGPIPE', (reader) => {
    const r = throughPipe(helps(40), reader);
    expect({ status: r.writerStatus, stderr: r.writerStderr }).toEqual({ status: SIGPIPE_STATUS, stderr: '' });
  });

  testIf('virsh')('virsh ends the same way under a reader that closes early', () => {
    const r = throughPipe(['virsh', '-c', 'test:///default', Array(40).fill('help').join('; ')], 'head -c 100');
    expect({ status: r.writerStatus, stderr: r.writerStderr }).toEqual({ status: SIGPIPE_STATUS, stderr: '' });
  });
});

describe('the corpus runner into a pipe', () => {
  /** One failing case whose diff is `lines` lines long. */
  function corpusWithLongDiff(lines: number): string {
    const dir = fs.mkdtempSync(path.join(work, 'corpus-'));
    fs.writeFileSync(path.join(dir, 'cases.tsv'), '# name\tkind\nbig\tsame\n');
    fs.writeFileSync(
      path.join(dir, 'big.in.xml'),
      "<domain type='test'><name>big</name><memory>1024</memory><os><type>hvm</type></os></domain>\n",
    );
    const body = Array.from(
      { length: lines },
      (_, i) => `  <line number='${i}'>expected text that the produced XML does not have</line>\n`,
    );
    fs.writeFileSync(path.join(dir, 'big.out.xml'), `<domain>\n${body.join('')}</domain>\n`);
    return dir;
  }

  test('a slow reader gets the whole report, every run', () => {
    const argv = [CORPUS, 'genericxml2xml', corpusWithLongDiff(1200)];
    const expected = toFile(argv, 1).toString();
    expect(expected).toMatch(/^FAIL big\n[^]*\n0 passed, 1 failed\n$/);
    for (const reader of SLOW_READERS) {
      const r = throughPipe(argv, reader);
      expect({ bytes: r.read.length, status: r.writerStatus, stderr: r.writerStderr }).toEqual({
        bytes: expected.length,
        status: 1,
        stderr: '',
      });
    }
  });

  test('a reader that closes early ends it silently by SIGPIPE', () => {
    const r = throughPipe([CORPUS, 'genericxml2xml', corpusWithLongDiff(4000)], 'head -1');
    expect({ status: r.writerStatus, stderr: r.writerStderr }).toEqual({ status: SIGPIPE_STATUS, stderr: '' });
  });
});

describe('virtkitd with its log pipe closed', () => {
  let daemon: RunningDaemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  test('keeps serving (libvirtd ignores SIGPIPE) and exits 0 on SIGTERM', async () => {
    daemon = await startDaemon(['--log-level', 'debug']);
    daemon.proc.stderr!.destroy();
    const uri = `test+unix:///default?socket=${daemon.sock}`;
    for (let i = 0; i < 3; i++) {
      const r = await new Promise<number | null>((resolve) =>
        spawn(VSH, ['-c', uri, 'list --all'], { stdio: 'ignore' }).once('exit', resolve),
      );
      expect(r).toBe(0);
    }
    expect(daemon.proc.exitCode).toBeNull();
    // Before the fix the daemon spun on the broken pipe and never exited: bounded here.
    const exited = new Promise<number | null>((r) => daemon!.proc.once('exit', (code) => r(code)));
    daemon.proc.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 15 s after SIGTERM'), 15000))]);
    if (typeof code === 'string') daemon.proc.kill('SIGKILL');
    expect(code).toBe(0);
  });
});
