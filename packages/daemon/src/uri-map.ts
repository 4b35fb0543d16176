/**
 * Which URI the daemon opens for the one a client names: the same, except `qemu:///system` when
 * the daemon has a private QEMU root (`qemu_root`), which it serves as `qemu:///embed?root=DIR` so
 * the machine's own /etc, /var/lib and /run trees stay untouched.
 */
import { parseUri, type ParsedUri } from '@virtkit/core';

export function uriToOpen(asked: ParsedUri, qemuRoot: string | null): ParsedUri {
  if (!qemuRoot || asked.driver !== 'qemu' || asked.host || asked.path !== '/system') return asked;
  return parseUri(`qemu:///embed?root=${encodeURIComponent(qemuRoot)}`);
}
