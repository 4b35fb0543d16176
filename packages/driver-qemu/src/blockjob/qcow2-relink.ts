/**
 * `qemu-img rebase -u` done in-process: point a qcow2 image at a new backing file by rewriting
 * its header cluster, as QEMU's qcow2_update_header does — header fields kept, every header
 * extension kept but the backing format one, which is replaced, then the end marker and the
 * backing name, zero-filled to the end of the first cluster; one write, then fdatasync. The
 * layout is QEMU's docs/interop/qcow2.txt.
 *
 * Why: an offline commit below an overlay ends with this header change, and starting qemu-img
 * for it costs ~20 ms, a visible share of the whole job. It is only done when it is plainly
 * safe; otherwise `relinkQcow2` declines and the caller runs qemu-img, which then also reports
 * the problem (a lock held by another process, a dirty or corrupt image) in its own words.
 */
import * as fs from 'node:fs';
import { EXT_BACKING_FORMAT, MAGIC, headerExtensions } from './qcow2';

/** QEMU refuses longer backing names (qcow2.txt: "must not be longer than 1023 bytes"). */
const MAX_BACKING_NAME = 1023;
/** Incompatible feature bits 0 (dirty: refcounts need a repair on open) and 1 (corrupt). */
const NEEDS_QEMU = 0b11n;

/** The new backing link: the name as it will be stored, and the backing image's format. */
export interface BackingLink {
  backing: string;
  format: string;
}

/** Whether any process holds a byte-range lock on the file: QEMU locks every image it opens. */
async function lockedByAnyone(fh: fs.promises.FileHandle): Promise<boolean> {
  const { dev, ino } = await fh.stat({ bigint: true });
  // glibc's dev_t encoding → the major:minor that /proc/locks prints in hex.
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${ino}`;
  const locks = await fs.promises.readFile('/proc/locks', 'utf8');
  return locks.split('\n').some((line) => line.split(/\s+/).includes(id));
}

/** The first cluster with the new link, or undefined when the image is not one to touch here. */
function rewrittenHeader(cluster: Buffer, link: BackingLink): Buffer | undefined {
  const version = cluster.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  if (version === 3 && cluster.readBigUInt64BE(72) & NEEDS_QEMU) return undefined;
  const headerLength = version === 3 ? cluster.readUInt32BE(100) : 72;
  const oldNameOffset = Number(cluster.readBigUInt64BE(8));
  const oldNameSize = cluster.readUInt32BE(16);
  if (headerLength < 72 || headerLength > cluster.length) return undefined;
  if (oldNameOffset && (oldNameOffset < headerLength || oldNameOffset + oldNameSize > cluster.length)) return undefined;

  const { extensions: present, complete } = headerExtensions(cluster);
  if (!complete) return undefined;
  const kept = present.filter((e) => e.type !== EXT_BACKING_FORMAT).map((e) => e.raw);

  const name = Buffer.from(link.backing, 'utf8');
  const format = Buffer.from(link.format, 'utf8');
  if (name.length === 0 || name.length > MAX_BACKING_NAME) return undefined;
  const formatExt = Buffer.alloc(8 + Math.ceil(format.length / 8) * 8);
  formatExt.writeUInt32BE(EXT_BACKING_FORMAT, 0);
  formatExt.writeUInt32BE(format.length, 4);
  format.copy(formatExt, 8);

  const extensions = [formatExt, ...kept];
  const nameOffset = headerLength + extensions.reduce((n, e) => n + e.length, 0) + 8; // + the end marker
  if (nameOffset + name.length > cluster.length) return undefined;
  const out = Buffer.alloc(cluster.length);
  cluster.copy(out, 0, 0, headerLength);
  let at = headerLength;
  for (const ext of extensions) at += ext.copy(out, at);
  // The end marker (type 0, length 0) is already there: the buffer is zero-filled.
  name.copy(out, nameOffset);
  out.writeBigUInt64BE(BigInt(nameOffset), 8);
  out.writeUInt32BE(name.length, 16);
  return out;
}

/**
 * Point `image` at `link` in place. Resolves false, without touching the image, when it is not
 * a plain qcow2 v2/v3 image whose header, extensions and new name fit in its first cluster, when
 * the image is dirty or corrupt, or when another process holds it open (a lock on it).
 */
export async function relinkQcow2(image: string, link: BackingLink): Promise<boolean> {
  const fh = await fs.promises.open(image, 'r+').catch(() => undefined);
  if (!fh) return false;
  try {
    const head = Buffer.alloc(104);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead < 72 || head.readUInt32BE(0) !== MAGIC) return false;
    const clusterBits = head.readUInt32BE(20);
    if (clusterBits < 9 || clusterBits > 21) return false;
    const cluster = Buffer.alloc(1 << clusterBits);
    if ((await fh.read(cluster, 0, cluster.length, 0)).bytesRead !== cluster.length) return false;
    const updated = rewrittenHeader(cluster, link);
    if (!updated || (await lockedByAnyone(fh))) return false;
    await fh.write(updated, 0, updated.length, 0);
    await fh.datasync();
    return true;
  } finally {
    await fh.close();
  }
}
