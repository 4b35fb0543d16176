/**
 * The few qcow2 header fields a chain walk needs (virtual size, backing file name and format),
 * read straight from the image instead of spawning `qemu-img info` per job. Layout: QEMU's
 * docs/interop/qcow2.txt — big-endian header, header extensions after it, the backing file
 * name at `backing_file_offset`.
 */
import * as fs from 'node:fs';

export const MAGIC = 0x514649fb; // "QFI\xfb"
const EXT_END = 0;
export const EXT_BACKING_FORMAT = 0xe2792aca;
const HEAD_BYTES = 64 * 1024;

export interface Qcow2Header {
  virtualSize: number;
  /** The backing file name as stored (relative to the image's directory, absolute, or `json:`). */
  backing?: string;
  /** The backing format header extension, when present. */
  backingFormat?: string;
}

async function readAt(fh: fs.promises.FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

/** One header extension as stored: its type, its data, and all its bytes (header and padding included). */
export interface HeaderExtension {
  type: number;
  data: Buffer;
  raw: Buffer;
}

/**
 * The header extensions in `head` (the image's first bytes), in order: from the end of the
 * header to the end marker or, as QEMU reads them, to where the backing name starts.
 * `complete` is false when an extension runs past that bound (the list stops before it).
 */
export function headerExtensions(head: Buffer): { extensions: HeaderExtension[]; complete: boolean } {
  const start = head.readUInt32BE(4) >= 3 ? head.readUInt32BE(100) : 72;
  const end = Math.min(Number(head.readBigUInt64BE(8)) || head.length, head.length);
  const extensions: HeaderExtension[] = [];
  for (let at = start; at + 8 <= end;) {
    const type = head.readUInt32BE(at);
    const len = head.readUInt32BE(at + 4);
    const padded = 8 + Math.ceil(len / 8) * 8;
    if (type === EXT_END) break;
    if (at + padded > end) return { extensions, complete: false };
    extensions.push({ type, data: head.subarray(at + 8, at + 8 + len), raw: head.subarray(at, at + padded) });
    at += padded;
  }
  return { extensions, complete: true };
}

/** The header of a qcow2 image, or undefined when the file is not qcow2 (or too short to be). */
export async function readQcow2Header(file: string): Promise<Qcow2Header | undefined> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const head = await readAt(fh, 0, HEAD_BYTES);
    if (head.length < 72 || head.readUInt32BE(0) !== MAGIC) return undefined;
    const backingOffset = Number(head.readBigUInt64BE(8));
    const backingSize = head.readUInt32BE(16);
    const out: Qcow2Header = { virtualSize: Number(head.readBigUInt64BE(24)) };
    if (backingOffset && backingSize) {
      const name =
        backingOffset + backingSize <= head.length
          ? head.subarray(backingOffset, backingOffset + backingSize)
          : await readAt(fh, backingOffset, backingSize);
      out.backing = name.toString('utf8');
    }
    const format = headerExtensions(head).extensions.find((e) => e.type === EXT_BACKING_FORMAT);
    if (format) out.backingFormat = format.data.toString('utf8');
    return out;
  } finally {
    await fh.close();
  }
}
