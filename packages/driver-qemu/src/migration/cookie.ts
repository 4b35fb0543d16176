/**
 * The QEMU migration cookie (libvirt's qemu_migration_cookie.c): the `<qemu-migration>` XML the
 * migration steps pass each other, NUL-terminated as libvirt sends it. It names the domain and
 * the host that wrote it (so a migration to the same host is refused), and optionally carries
 * the graphics listener, the lock state, the persistent definition (a `<domain>` element right
 * inside, for VIR_MIGRATE_PERSIST_DEST), the NBD server of a storage copy and the job statistics.
 */
import { ErrorNumber, VirError } from '@virtkit/core';
import { escapeXml, parseXml, type XmlElement } from '@virtkit/xml';
import { FROM_QEMU } from '../domains/errors';

export interface CookieGraphics {
  type: string;
  port: number;
  listen: string;
  tlsPort?: number;
}

export interface CookieNbd {
  port?: number;
  disks: { target: string; capacity: number }[];
}

/** What one cookie holds. */
export interface MigrationCookie {
  name: string;
  uuid: string;
  hostname: string;
  hostuuid: string;
  /** Mandatory features (`<feature name='...'/>`): the reader must understand each. */
  features: string[];
  graphics?: CookieGraphics;
  lockstate?: { driver: string; leases: string };
  /** The persistent (inactive, migratable) definition. */
  persistent?: string;
  nbd?: CookieNbd;
  /** Job statistics as `<statistics>` children (name → number). */
  statistics?: Record<string, number>;
}

/** libvirt's cookie features (qemuMigrationCookieFlag). */
const KNOWN_FEATURES = [
  'graphics',
  'lockstate',
  'persistent',
  'network',
  'nbd',
  'statistics',
  'memory-hotplug',
  'cpu-hotplug',
  'cpu',
  'allowReboot',
  'capabilities',
  'block-dirty-bitmaps',
];
/** The features this driver acts on; another mandatory one refuses the migration. */
const SUPPORTED_FEATURES = ['graphics', 'lockstate', 'persistent', 'nbd', 'statistics'];

/** The cookie as libvirt writes it: two-space indented XML ending with a NUL byte. */
export function formatCookie(c: MigrationCookie): Uint8Array {
  const lines = ['<qemu-migration>'];
  const add = (s: string) => lines.push(`  ${s}`);
  add(`<name>${escapeXml(c.name)}</name>`);
  add(`<uuid>${c.uuid}</uuid>`);
  add(`<hostname>${escapeXml(c.hostname)}</hostname>`);
  add(`<hostuuid>${c.hostuuid}</hostuuid>`);
  for (const f of c.features) add(`<feature name='${f}'/>`);
  if (c.graphics) {
    const g = c.graphics;
    const tls = g.tlsPort !== undefined ? ` tlsPort='${g.tlsPort}'` : '';
    add(`<graphics type='${g.type}' port='${g.port}' listen='${escapeXml(g.listen)}'${tls}/>`);
  }
  if (c.lockstate) {
    add(`<lockstate driver='${escapeXml(c.lockstate.driver)}'>`);
    add(`  <leases>${escapeXml(c.lockstate.leases)}</leases>`);
    add('</lockstate>');
  }
  if (c.persistent) for (const l of c.persistent.trimEnd().split('\n')) add(l);
  if (c.nbd) {
    const port = c.nbd.port !== undefined ? ` port='${c.nbd.port}'` : '';
    if (!c.nbd.disks.length) add(`<nbd${port}/>`);
    else {
      add(`<nbd${port}>`);
      for (const d of c.nbd.disks) add(`  <disk target='${escapeXml(d.target)}' capacity='${d.capacity}'/>`);
      add('</nbd>');
    }
  }
  if (c.statistics) {
    add('<statistics>');
    for (const [k, v] of Object.entries(c.statistics)) add(`  <${k}>${v}</${k}>`);
    add('</statistics>');
  }
  lines.push('</qemu-migration>', '');
  return new Uint8Array(Buffer.from(`${lines.join('\n')}\0`, 'utf8'));
}

function bad(message: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, FROM_QEMU, message);
}

/** The text of a cookie; libvirt insists on the terminating NUL. */
function cookieText(bytes: Uint8Array): string {
  if (bytes[bytes.length - 1] !== 0) throw bad('Migration cookie was not NULL terminated');
  return Buffer.from(bytes.subarray(0, bytes.length - 1)).toString('utf8');
}

function required(root: XmlElement, name: string): string {
  const v = root.childText(name);
  if (v === undefined) throw bad(`missing ${name} element in migration data`);
  return v;
}

/** The persistent definition: the `<domain>` element inside the cookie, as text. */
function persistentOf(text: string): string | undefined {
  const start = text.search(/<domain[\s>]/);
  const end = text.lastIndexOf('</domain>');
  if (start < 0 || end < start) return undefined;
  return text.slice(start, end + '</domain>'.length);
}

/**
 * Read a cookie (qemuMigrationCookieXMLParse); an empty one reads as null. `expect` names the
 * domain the step works on, `localHostuuid` this host: a cookie from this very host is refused.
 */
export function parseCookie(bytes: Uint8Array, expect: { name?: string; uuid: string }, localHostuuid: string): MigrationCookie | null {
  if (bytes.length === 0) return null;
  const text = cookieText(bytes);
  const root = parseXml(text);
  const name = required(root, 'name');
  if (expect.name !== undefined && name !== expect.name) throw bad(`Incoming cookie data had unexpected name ${name} vs ${expect.name}`);
  const uuid = required(root, 'uuid');
  if (uuid !== expect.uuid) throw bad(`Incoming cookie data had unexpected UUID ${uuid} vs ${expect.uuid}`);
  const hostname = required(root, 'hostname');
  const hostuuid = required(root, 'hostuuid');
  if (hostuuid === localHostuuid) throw bad(`Attempt to migrate guest to the same host ${hostuuid}`);
  const features = root.elements('feature').map((f) => {
    const n = f.attr('name');
    if (!n) throw bad('missing feature name');
    if (!KNOWN_FEATURES.includes(n)) throw bad(`Unknown migration cookie feature ${n}`);
    if (!SUPPORTED_FEATURES.includes(n)) throw bad(`Unsupported migration cookie feature ${n}`);
    return n;
  });
  const cookie: MigrationCookie = { name, uuid, hostname, hostuuid, features, persistent: persistentOf(text) };
  const g = root.element('graphics');
  if (g) cookie.graphics = { type: g.attr('type') ?? '', port: Number(g.attr('port') ?? -1), listen: g.attr('listen') ?? '' };
  const lock = root.element('lockstate');
  if (lock) cookie.lockstate = { driver: lock.attr('driver') ?? '', leases: lock.childText('leases') ?? '' };
  const nbd = root.element('nbd');
  if (nbd) {
    const port = nbd.attr('port');
    if (port !== undefined && !/^\d+$/.test(port)) throw bad(`Malformed nbd port '${port}'`);
    cookie.nbd = {
      port: port === undefined ? undefined : Number(port),
      disks: nbd.elements('disk').map((d) => ({ target: d.attr('target') ?? '', capacity: Number(d.attr('capacity') ?? 0) })),
    };
  }
  const stats = root.element('statistics');
  if (stats) cookie.statistics = Object.fromEntries(stats.elements().map((e) => [e.name, Number(e.text())]));
  return cookie;
}
