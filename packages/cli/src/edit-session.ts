/**
 * virsh's edit cycle (virsh-edit.c): the object's XML goes to a temporary file, the user's editor
 * runs on it, and a changed document is defined again; when the object changed meanwhile or the
 * definition fails, a terminal user is asked whether to edit again.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { Ctl } from './ctl';
import { escapeShell } from './commands/echo';

/** What one edit command plugs into the cycle. */
export interface EditHooks<T> {
  /** The object's XML as the command edits it. */
  getXml(): Promise<string>;
  /** Define the edited document; the defined object. */
  define(doc: string): Promise<T>;
  /** Called when the editor left the document as it was; true ends the cycle there. */
  notChanged(): boolean;
  /** Offered as answer `i` (define again without validation), when the command has one. */
  relax?: () => void;
}

/** How an edit cycle ended: the defined object, or `undefined` when virsh carries on without one (its non-terminal failure path). */
export type EditOutcome<T> = { done: 'unchanged' } | { done: 'defined'; value: T | undefined } | { done: 'failed' };

const STRERROR: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory' };

/** Characters an editor command or file name may hold to be run without a shell. */
const PLAIN = /^[A-Za-z0-9\-/_.:@]*$/;

/** The editor: $VISUAL, $EDITOR, else Debian's sensible-editor where it exists (the reference virsh's default), else vi. */
function editorCommand(): string {
  const set = process.env.VISUAL ?? process.env.EDITOR;
  if (set !== undefined) return set;
  const onPath = (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(path.join(d, 'sensible-editor')));
  return onPath ? 'sensible-editor' : 'vi';
}

/** vshEditFile: run the editor on `file` with the terminal; a failure as virCommand reports it. */
function runEditor(ctl: Ctl, file: string): void {
  const editor = editorCommand();
  let argv: string[];
  if (PLAIN.test(editor)) {
    argv = [editor, file];
  } else {
    if (!PLAIN.test(file)) ctl.fail(`${file}: temporary filename contains shell meta or other unacceptable characters (is $TMPDIR wrong?)`);
    argv = ['sh', '-c', `${editor} ${file}`];
  }
  const shown = argv.map(escapeShell).join(' ');
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  if (missing && !argv[0]!.includes('/'))
    throw VirError.create(
      ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      ErrorDomain.VIR_FROM_NONE,
      `Cannot find '${argv[0]}' in path: No such file or directory`,
    );
  if (missing) {
    // The child libvirt forks reports the failed exec and exits 127.
    process.stderr.write(`libvirt:  error : cannot execute binary ${argv[0]}: No such file or directory\n`);
    throw VirError.internal(`Child process (${shown}) unexpected exit status 127`);
  }
  if (r.signal) throw VirError.internal(`Child process (${shown}) unexpected fatal signal ${os.constants.signals[r.signal]}`);
  if (r.status !== 0) throw VirError.internal(`Child process (${shown}) unexpected exit status ${r.status}`);
}

/** vshAskReedit on a terminal: y, n, f or (with relax) i; null when stdin is not a terminal. */
function askReedit(ctl: Ctl, msg: string, relax: boolean): string | null {
  if (!process.stdin.isTTY) return null;
  const choices = relax ? '[y,n,i,f,?]' : '[y,n,f,?]';
  process.stdin.setRawMode(true);
  try {
    for (;;) {
      ctl.print(`\r${msg} Try again? ${choices}: `);
      const buf = Buffer.alloc(1);
      const c = fs.readSync(0, buf, 0, 1, null) === 1 ? buf.toString().toLowerCase() : 'n';
      if (c === '?') {
        const lines = ['', 'y - yes, start editor again', 'n - no, throw away my changes'];
        if (relax) lines.push('i - turn off validation and try to redefine again');
        lines.push('f - force, try to redefine again', '? - print this help');
        ctl.print(lines.map((l) => `${l}\r\n`).join(''));
      } else if ('ynf'.includes(c) || (relax && c === 'i')) {
        return c;
      }
    }
  } finally {
    process.stdin.setRawMode(false);
    ctl.print('\r\n');
  }
}

/** One edit cycle with virsh's prompts and texts; the temporary file is always removed. */
export async function editCycle<T>(ctl: Ctl, hooks: EditHooks<T>): Promise<EditOutcome<T>> {
  let doc = await hooks.getXml();
  const file = writeTempFile(ctl, doc);
  let relaxAvail = hooks.relax !== undefined;
  try {
    for (;;) {
      runEditor(ctl, file);
      const edited = fs.readFileSync(file, 'utf8');
      if (edited === doc && hooks.notChanged()) return { done: 'unchanged' };
      for (;;) {
        let msg: string | null = null;
        const reread = await hooks.getXml();
        let value: T | undefined;
        if (reread !== doc) {
          msg = 'The XML configuration was changed by another user.';
          doc = reread;
        } else {
          try {
            value = await hooks.define(edited);
          } catch (e) {
            if (!(e instanceof VirError)) throw e;
            msg = 'Failed.';
            // On a terminal the error comes before the question; otherwise it is dropped, as virsh does.
            if (process.stdin.isTTY) ctl.error(e.message);
          }
        }
        if (msg === null) return { done: 'defined', value };
        const answer = askReedit(ctl, msg, relaxAvail);
        if (answer === 'y') break;
        if (answer === 'n') return { done: 'failed' };
        if (answer === 'i' && hooks.relax) {
          hooks.relax();
          relaxAvail = false;
          continue;
        }
        if (answer === 'f') continue;
        // No terminal to ask: virsh reports the message and goes on as if the definition had worked.
        ctl.error(msg);
        return { done: 'defined', value: undefined };
      }
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** vshEditWriteToTempFile: $TMPDIR/virshXXXXXX.xml, created exclusively, readable by the user only. */
function writeTempFile(ctl: Ctl, doc: string): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const tag = Array.from(crypto.randomBytes(6), (b) => letters[b % letters.length]).join('');
    const file = path.join(process.env.TMPDIR ?? '/tmp', `virsh${tag}.xml`);
    try {
      fs.writeFileSync(file, doc, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') ctl.fail(`g_mkstemp_full: failed to create temporary file: ${STRERROR[code ?? ''] ?? (e as Error).message}`);
    }
  }
}
