/**
 * The few qcow2 header fields a chain walk needs (virtual size, backing file name and format),
 * read straight from the image instead of spawning `qemu-img info` per job. Layout: QEMU's
 * docs/interop/qcow2.txt — big-endian header, header extensions after it, the backing file
 * name at `backing_file_offset`.
 */
import * as fs from 'node:fs';

export const MAGIC = 0x514649fb; // "QFI\xfb"
export const EXT_END = 0;
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

/** The header of a qcow2 image, or undefined when the file is not qcow2 (or too short to be). */
export async function readQcow2Header(file: string): Promise<Qcow2Header | undefined> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const head = await readAt(fh, 0, HEAD_BYTES);
    if (head.length < 72 || head.readUInt32BE(0) !== MAGIC) return undefined;
    const version = head.readUInt32BE(4);
    const backingOffset = Number(head.readBigUInt64BE(8));
    const backingSize = head.readUInt32BE(16);
    const out: Qcow2Header = { virtualSize: Number(head.readBigUInt64BE(24)) };
    if (backingOffset && backingSize) {
      const name = backingOffset + backingSize <= head.length
        ? head.subarray(backingOffset, backingOffset + backingSize)
        : await readAt(fh, backingOffset, backingSize);
      out.backing = name.toString('utf8');
    }
    let ext = version >= 3 ? head.readUInt32BE(100) : 72;
    while (ext + 8 <= head.length) {
      const type = head.readUInt32BE(ext);
      const len = head.readUInt32BE(ext + 4);
      if (type === EXT_END || ext + 8 + len > head.length) break;
      if (type === EXT_BACKING_FORMAT) out.backingFormat = head.subarray(ext + 8, ext + 8 + len).toString('utf8');
      ext += 8 + Math.ceil(len / 8) * 8;
    }
    return out;
  } finally {
    await fh.close();
  }
}
