/**
 * Which connection a client may open through the daemon, and the URI the daemon opens for it.
 * Both sockets follow the same rules (libvirtd's read-only socket opens the same URIs, only
 * read-only), because the read-only socket is world-writable: whatever a rule lets through, any
 * local user may ask for.
 *
 * - No host, transport or `remote` scheme: the daemon is never a remote client on a caller's
 *   behalf (virtqemud answers "no connection driver available for URI").
 * - `qemu`: only `/system` and `/session`, as a privileged libvirtd accepts them; `/embed` (a tree
 *   of the caller's choosing, run with the daemon's rights) gets libvirt's "unexpected qemu URI
 *   path". With `qemu_root` both are served from that private tree.
 * - `test`: `/default`, or a node file under `test_root` (none by default), checked before the
 *   file is touched, so a refusal says nothing about what the path holds.
 * - Any other scheme is a driver the administrator loaded as a plugin, opened as named.
 *
 * The URI handed to the driver is rebuilt from what was checked, never the client's text, so the
 * driver cannot read the client's URI differently from the check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseUri, type ParsedUri } from '@virtkit/core';

export interface OpenPolicyConfig {
  /** `qemu_root`: the private tree serving `qemu:///system` and `qemu:///session`, or null for the real ones. */
  qemuRoot: string | null;
  /** `test_root`: the directory `test:///PATH` node files may come from, or null for none. */
  testRoot: string | null;
  /** Whether the daemon runs as root (libvirt's "privileged"): which qemu path it serves without a qemu_root. */
  privileged: boolean;
}

export class OpenPolicy {
  constructor(private readonly cfg: OpenPolicyConfig) {}

  /** The URI to open for the one a client names; throws libvirt's refusal when it may not be opened. */
  resolve(asked: ParsedUri): ParsedUri {
    if (asked.host || asked.transport || asked.driver === 'remote') {
      throw VirError.create(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorDomain.VIR_FROM_NONE, asked.raw);
    }
    if (asked.driver === 'qemu') return this.qemu(asked.path);
    if (asked.driver === 'test') return this.test(asked.path);
    return asked;
  }

  private qemu(uriPath: string): ParsedUri {
    const servesSystem = this.cfg.qemuRoot !== null || this.cfg.privileged;
    // A privileged libvirtd keeps /session working as another name for /system.
    const accepted = servesSystem ? ['/system', '/session'] : ['/session'];
    if (!accepted.includes(uriPath)) {
      throw VirError.internal(`unexpected qemu URI path '${uriPath}', try qemu:///${servesSystem ? 'system' : 'session'}`);
    }
    if (this.cfg.qemuRoot) return parseUri(`qemu:///embed?root=${encodeURIComponent(this.cfg.qemuRoot)}`);
    return parseUri(servesSystem ? 'qemu:///system' : 'qemu:///session');
  }

  private test(uriPath: string): ParsedUri {
    // An empty path gets the test driver's own "supply a path" error.
    if (uriPath === '' || uriPath === '/' || uriPath === '/default') return parseUri(`test://${uriPath}`);
    const root = this.cfg.testRoot;
    if (!root) throw accessDenied(`the daemon serves only test:///default (no test_root is configured)`);
    const file = path.resolve(uriPath);
    const real = resolveLinks(file);
    if (!within(root, file) || !within(resolveLinks(root), real)) {
      throw accessDenied(`test driver node files must lie under test_root '${root}'`);
    }
    return parseUri(`test://${real.split('/').map(encodeURIComponent).join('/')}`);
  }
}

function accessDenied(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_ACCESS_DENIED, ErrorDomain.VIR_FROM_ACCESS, detail);
}

/** Whether `file` names something strictly inside directory `dir`. */
function within(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The path with symbolic links resolved, since a link inside the root may point out of it; for a
 * file that does not exist, its directory's links are resolved.
 */
function resolveLinks(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const dir = path.dirname(p);
    return dir === p ? p : path.join(resolveLinks(dir), path.basename(p));
  }
}
