/**
 * Temp files left by interrupted writes (issue 12): a child process defines domains on
 * `qemu:///embed?root=DIR` as fast as it can and is killed (SIGKILL) at a random moment; then a
 * new driver instance opens the root. Counts the trials that left a temp file in the config
 * directory, before and after that open.
 *
 *     npx tsx bench/crash-temp-files.ts [--trials N]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open } from '@virtkit/core';
import { hostileDomainXml } from '@virtkit/testkit';

const ROOT = path.resolve(__dirname, '..');
const trials = Number(process.argv[process.argv.indexOf('--trials') + 1]) || 20;

/** Dot files of the config dir: temp files, in the old naming (`.NAME.xml.PID.RAND.tmp`) or the new. */
const tempFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('.')) : []);

async function defineUntilKilled(root: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--storm', root], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // Wait for the first define, then kill at a random moment of the storm.
  await new Promise<void>((r) => child.stdout!.once('data', () => r()));
  await new Promise((r) => setTimeout(r, 50 + Math.random() * 500));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

async function storm(root: string): Promise<void> {
  const conn = await open(`qemu:///embed?root=${root}`);
  for (let i = 0; ; i++) {
    await conn.defineXML(hostileDomainXml(`storm-${i % 50}`, i % 50));
    if (i === 0) process.stdout.write('defining\n');
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--storm') return storm(process.argv[3]);
  let left = 0;
  let remaining = 0;
  for (let t = 0; t < trials; t++) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-crash-'));
    try {
      await defineUntilKilled(root);
      const etc = path.join(root, 'etc');
      if (tempFiles(etc).length > 0) left++;
      const conn = await open(`qemu:///embed?root=${root}`);
      await conn.close();
      if (tempFiles(etc).length > 0) remaining++;
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  console.log(`${trials} interrupted define storms: ${left} left a temp file; after the next open, ${remaining} still have one`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
