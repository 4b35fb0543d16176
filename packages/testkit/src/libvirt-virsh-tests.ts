/**
 * libvirt 9.0's own virsh tests, run against any virsh-like program: the 16 `tests/virsh-*`
 * scripts, and the 77 cases of `tests/virshtest.c` read from the C source (its argv arrays,
 * expected texts and line filters, with the file's macros expanded by cpp). The files are copies from
 * Debian's libvirt 9.0 source package under test/fixtures/libvirt-virsh.
 *
 * As a program (scripts/virsh-tests.sh [PROGRAM]): prints each failure and the pass counts
 * (PROGRAM defaults to bin/vsh; /usr/bin/virsh is the reference).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

/** The 16 scripts libvirt's tests/meson.build runs. */
export const VIRSH_SCRIPTS = [
  'virsh-auth',
  'virsh-checkpoint',
  'virsh-cpuset',
  'virsh-define-dev-segfault',
  'virsh-int-overflow',
  'virsh-optparse',
  'virsh-output',
  'virsh-read-bufsiz',
  'virsh-read-non-seekable',
  'virsh-schedinfo',
  'virsh-self-test',
  'virsh-snapshot',
  'virsh-start',
  'virsh-undefine',
  'virsh-uriprecedence',
  'virsh-vcpupin',
];

/**
 * libvirt's test files as committed under test/fixtures/libvirt-virsh (scripts/update-libvirt-virsh-fixtures.sh
 * refreshes them from the source package): a tree shaped like libvirt's source, so it serves as abs_top_srcdir.
 */
export const LIBVIRT_TESTS_TREE = path.join(REPO, 'test/fixtures/libvirt-virsh');

/** A build tree whose tools/virsh execs `program`, as libvirt's tests expect under abs_top_builddir. */
export function toolsTree(program: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-tree-'));
  fs.mkdirSync(path.join(dir, 'tools'));
  fs.mkdirSync(path.join(dir, 'tests'));
  fs.writeFileSync(path.join(dir, 'tools/virsh'), `#!/bin/sh\nexec ${JSON.stringify(program)} "$@"\n`, { mode: 0o755 });
  return dir;
}

export interface VirshOutcome {
  name: string;
  /** pass, fail, or skip (a script's exit 77). */
  result: 'pass' | 'fail' | 'skip';
  detail: string;
}

/** Run one script as meson does (the tests_env variables), in a scratch directory. */
export function runVirshScript(src: string, tree: string, name: string, timeoutMs = 120000): Promise<VirshOutcome> {
  const script = path.join(src, 'tests', name);
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const interpreter = fs.readFileSync(script, 'utf8').startsWith('#!/usr/bin/env python3') ? 'python3' : 'sh';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    abs_builddir: path.join(tree, 'tests'),
    abs_srcdir: path.join(src, 'tests'),
    abs_top_builddir: tree,
    abs_top_srcdir: src,
    LC_ALL: 'C',
    // The expensive scripts (optparse, checkpoint, output) are the most telling: always run them.
    VIR_TEST_EXPENSIVE: '1',
  };
  for (const k of ['LIBVIRT_DEFAULT_URI', 'VIRSH_DEFAULT_CONNECT_URI', 'VIRTKIT_DEFAULT_URI', 'VIR_TEST_DEBUG', 'VIR_TEST_VERBOSE'])
    delete env[k];
  return new Promise((resolve) => {
    const child = spawn(interpreter, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(cwd, { recursive: true, force: true });
      resolve({ name, result: code === 0 ? 'pass' : code === 77 ? 'skip' : 'fail', detail: out.slice(-4000) });
    });
  });
}

/** One case of virshtest.c: the arguments after the program, the expected stdout, the line filter. */
export interface VirshCase {
  name: string;
  args: string[];
  expect: string;
  filter: string | null;
}

/** C source text with its string-literal escapes decoded and adjacent literals joined. */
function cStrings(expr: string): string {
  let s = '';
  for (const m of expr.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    s += m[1].replace(/\\(.)/g, (_x, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
  }
  return s;
}

/** Split the top level of an initializer body at commas (strings kept whole). */
function items(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') {
      let j = i + 1;
      while (body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      cur += body.slice(i, j + 1);
      i = j;
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The 77 cases of tests/virshtest.c, with `program` standing for tools/virsh. */
export function virshtestCases(src: string): VirshCase[] {
  const file = path.join(src, 'tests/virshtest.c');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/^\s*#\s*include.*$/gm, '')
    .replace(/VIR_TEST_MAIN\(mymain\)/, '');
  const pre = execFileSync('cpp', ['-P', '-w', '-Dabs_top_builddir="@BUILD@"', '-Dabs_srcdir="@SRC@"', '-DG_GNUC_UNUSED='], {
    input: text,
    encoding: 'utf8',
  });
  const customUri = `test://${path.join(src, 'tests')}/../examples/xml/test/testnode.xml`;
  const value = (expr: string): string => {
    if (expr === 'custom_uri') return customUri;
    if (/^\w+$/.test(expr)) {
      const m = new RegExp(`static const char \\*${expr} = ((?:"(?:[^"\\\\]|\\\\.)*"\\s*)+);`).exec(pre);
      if (!m) throw new Error(`virshtest.c: no string ${expr}`);
      return cStrings(m[1]);
    }
    return cStrings(expr);
  };
  const argvOf = (body: string): string[] => {
    const list = items(body).filter((x) => x !== 'NULL');
    // The first two entries are abs_top_builddir "/tools/virsh": the program itself.
    return list.slice(1).map(value);
  };
  const funcs = new Map<string, { args: string[]; expect: string; filter: string | null }>();
  for (const m of pre.matchAll(/static int (test\w+)\(const void \*data\s*\)\s*\{([\s\S]*?)\n\}/g)) {
    const argv = /argv\[\] = \{([\s\S]*?)\};/.exec(m[2]);
    const exp = /const char \*exp = ([\s\S]*?);/.exec(m[2]);
    const call = /testCompareOutputLit\(exp, ([\s\S]*?), argv\)/.exec(m[2]);
    if (!argv || !exp || !call) continue;
    funcs.set(m[1], { args: argvOf(argv[1]), expect: value(exp[1].trim()), filter: call[1].trim() === 'NULL' ? null : cStrings(call[1]) });
  }
  const cases: VirshCase[] = [];
  const mymain = pre.slice(pre.indexOf('mymain(void)'));
  for (const m of mymain.matchAll(/virTestRun\(((?:"(?:[^"\\]|\\.)*"\s*)+),\s*(test\w+),\s*(NULL|&info)\)/g)) {
    const name = cStrings(m[1]);
    if (m[3] === 'NULL') {
      const f = funcs.get(m[2]);
      if (!f) throw new Error(`virshtest.c: cannot read ${m[2]}`);
      cases.push({ name, ...f });
      continue;
    }
    // DO_TEST: the myargv and info initializers just before this virTestRun.
    const before = mymain.slice(0, m.index);
    const argv = [...before.matchAll(/myargv\[\] = \{([\s\S]*?)\};/g)].pop()!;
    const info = [...before.matchAll(/info = \{ myargv, ([\s\S]*?) \};/g)].pop()!;
    cases.push({ name, args: argvOf(argv[1]), expect: value(info[1].trim()), filter: null });
  }
  return cases;
}

/** Run one virshtest case as testCompareOutputLit does: empty stdin, LANG=C, no stderr allowed. */
export function runVirshCase(program: string, c: VirshCase): VirshOutcome {
  const r = spawnSync(program, c.args, { input: '', encoding: 'utf8', env: { ...process.env, LANG: 'C' }, timeout: 60000 });
  if (r.error) return { name: c.name, result: 'fail', detail: String(r.error) };
  if (r.stderr !== '') return { name: c.name, result: 'fail', detail: `Command reported error: ${r.stderr}` };
  let out = r.stdout;
  if (c.filter !== null) {
    const start = out.indexOf(c.filter);
    if (start < 0)
      return { name: c.name, result: 'fail', detail: `filter ${JSON.stringify(c.filter)} not found in ${JSON.stringify(out)}` };
    const end = out.indexOf('\n', start + 1);
    out = end < 0 ? out.slice(0, start) : out.slice(0, start) + out.slice(end);
  }
  return out === c.expect
    ? { name: c.name, result: 'pass', detail: '' }
    : { name: c.name, result: 'fail', detail: `expected ${JSON.stringify(c.expect)}\n     got ${JSON.stringify(out)}` };
}

/** Every script and virshtest case against `program`; the outcomes in that order. */
export async function runAll(
  program: string,
  only?: (name: string) => boolean,
): Promise<{ scripts: VirshOutcome[]; cases: VirshOutcome[] }> {
  const tree = toolsTree(program);
  try {
    const virsh = path.join(tree, 'tools/virsh');
    const cases = virshtestCases(LIBVIRT_TESTS_TREE)
      .filter((c) => !only || only(c.name))
      .map((c) => runVirshCase(virsh, c));
    const scripts: VirshOutcome[] = [];
    for (const name of VIRSH_SCRIPTS.filter((n) => !only || only(n))) scripts.push(await runVirshScript(LIBVIRT_TESTS_TREE, tree, name));
    return { scripts, cases };
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

function tally(kind: string, list: VirshOutcome[]): string {
  const passed = list.filter((o) => o.result === 'pass').length;
  return `${kind}: ${passed} passed, ${list.length - passed} failed`;
}

async function cli(): Promise<void> {
  const program = path.resolve(process.argv[2] ?? path.join(REPO, 'bin/vsh'));
  const pattern = process.argv[3] ? new RegExp(process.argv[3]) : null;
  const { scripts, cases } = await runAll(program, pattern ? (n) => pattern.test(n) : undefined);
  for (const o of cases) if (o.result !== 'pass') console.log(`case FAIL ${o.name}: ${o.detail}`);
  for (const o of scripts) {
    console.log(
      `script ${o.result.toUpperCase()} ${o.name}${o.result === 'pass' ? '' : `\n${o.detail.split('\n').slice(-25).join('\n')}`}`,
    );
  }
  console.log(`${program}:`);
  console.log(tally('virsh scripts', scripts));
  console.log(tally('virshtest cases', cases));
}

if (require.main === module) void cli();
