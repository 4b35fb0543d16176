/**
 * Domains surviving a restart out of the hostile-name set (issue 12, item 5): define every name
 * of `HOSTILE_NAMES`, restart, and count the domains found again with an identical inactive XML.
 *
 *     npx tsx bench/hostile-names.ts [--via embed|daemon]
 *
 * `embed` defines on `qemu:///embed?root=DIR` and reads back from a new process; `daemon`
 * defines through `bin/virtkitd --qemu-root DIR` (built dist), stops it, starts a new one and
 * reads back through it. No QEMU process is started (defining needs only the capabilities).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainXMLFlags, open, type Connect } from '@virtkit/core';
import { HOSTILE_NAMES, hostileDomainXml } from '@virtkit/testkit';

const INACTIVE = DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE;
const ROOT = path.resolve(__dirname, '..');

/** Define every name; returns the inactive XML of those that were accepted. */
async function defineAll(conn: Connect): Promise<Map<string, string>> {
  const defined = new Map<string, string>();
  for (const [i, [name]] of HOSTILE_NAMES.entries()) {
    try {
      const dom = await conn.defineXML(hostileDomainXml(name, i));
      defined.set(name, await dom.getXMLDesc(INACTIVE));
    } catch (e) {
      process.stderr.write(`define ${JSON.stringify(name.slice(0, 40))} failed: ${(e as Error).message}\n`);
    }
  }
  return defined;
}

/** The inactive XML of every domain the connection lists, by name. */
async function readAll(conn: Connect): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const d of await conn.listAllDomains(0)) out.set(d.getName(), await d.getXMLDesc(INACTIVE));
  return out;
}

function survivors(before: Map<string, string>, after: Map<string, string>): number {
  let n = 0;
  for (const [name] of HOSTILE_NAMES) if (before.has(name) && after.get(name) === before.get(name)) n++;
  return n;
}

async function viaEmbed(root: string): Promise<Map<string, string>[]> {
  const conn = await open(`qemu:///embed?root=${root}`);
  const before = await defineAll(conn);
  await conn.close();
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--read', root], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`reading back failed:\n${child.stderr}`);
  process.stderr.write(child.stderr);
  return [before, new Map(JSON.parse(child.stdout) as Array<[string, string]>)];
}

async function startDaemon(root: string, sockDir: string): Promise<() => Promise<void>> {
  const proc = spawn(path.join(ROOT, 'bin', 'virtkitd'), ['--socket-dir', sockDir, '--qemu-root', root, '--log-level', 'info'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => {
    err += String(d);
    for (const line of String(d).split('\n')) if (line && !/: info: /.test(line)) process.stderr.write(`${line}\n`);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  while (!/ready/.test(err)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`virtkitd did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return async () => {
    proc.kill('SIGTERM');
    await exited;
  };
}

async function viaDaemon(root: string): Promise<Map<string, string>[]> {
  const sockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-hn-'));
  const uri = `qemu+unix:///system?socket=${path.join(sockDir, 'virtkit-sock')}`;
  try {
    let stop = await startDaemon(root, sockDir);
    const conn = await open(uri);
    const before = await defineAll(conn);
    await conn.close();
    await stop();
    stop = await startDaemon(root, sockDir);
    const again = await open(uri);
    const after = await readAll(again);
    await again.close();
    await stop();
    return [before, after];
  } finally {
    fs.rmSync(sockDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--read') {
    const conn = await open(`qemu:///embed?root=${args[1]}`);
    process.stdout.write(JSON.stringify([...(await readAll(conn))]));
    await conn.close();
    return;
  }
  const via = args.includes('--via') ? args[args.indexOf('--via') + 1] : 'embed';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-hostile-'));
  try {
    const [before, after] = via === 'daemon' ? await viaDaemon(root) : await viaEmbed(root);
    console.log(
      `${via}: defined ${before.size} of ${HOSTILE_NAMES.length}; surviving restart with identical XML: ${survivors(before, after)} of ${HOSTILE_NAMES.length}`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
