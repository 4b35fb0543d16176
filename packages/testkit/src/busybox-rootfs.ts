/** Container root filesystems for the LXC tests and benchmarks, made from the host's busybox-static. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Debian's busybox-static. */
const BUSYBOX = '/bin/busybox';

/**
 * A root filesystem in `dir` of one static busybox, its `applets` linked in `/bin`, and the
 * folders `dirs` (created empty; `bin`, `proc`, `dev` and `tmp` always are).
 */
export function makeBusyboxRootfs(dir: string, applets: readonly string[], dirs: readonly string[] = []): void {
  for (const d of ['bin', 'proc', 'dev', 'tmp', ...dirs]) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(dir, 'bin', 'busybox'));
  fs.chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
  for (const applet of applets) fs.symlinkSync('busybox', path.join(dir, 'bin', applet));
}
