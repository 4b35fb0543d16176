/** Byte-level file work for raw volumes: allocate without writing, copy sparsely, write zeros. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

const CHUNK = 1 << 20;
const ZEROS = Buffer.alloc(CHUNK);

function isZero(buf: Buffer, n: number): boolean {
  return n === CHUNK ? buf.equals(ZEROS) : buf.subarray(0, n).equals(ZEROS.subarray(0, n));
}

/** Write zeros over [start, start + length) of an open file. */
export async function writeZeros(fh: fs.promises.FileHandle, start: number, length: number): Promise<void> {
  for (let pos = start; pos < start + length; pos += CHUNK) {
    await fh.write(ZEROS, 0, Math.min(CHUNK, start + length - pos), pos);
  }
}

/**
 * Reserve the blocks of [0, length) without changing data (fallocate(2) through util-linux:
 * Node.js has no binding). On filesystems without fallocate, zeros are written instead, but
 * only from `dataEnd` on, where the file holds no data yet.
 */
export async function allocate(file: string, fh: fs.promises.FileHandle, length: number, dataEnd = 0): Promise<void> {
  if (length <= 0) return;
  const ok = await new Promise<boolean>((resolve) => {
    execFile('fallocate', ['-o', '0', '-l', String(length), file], (err) => resolve(!err));
  });
  if (!ok && length > dataEnd) await writeZeros(fh, dataEnd, length - dataEnd);
}

/** Copy `src` into the start of an open file, skipping all-zero chunks so holes stay holes. */
export async function copySparse(src: string, dst: fs.promises.FileHandle): Promise<void> {
  const input = await fs.promises.open(src, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let pos = 0; ; pos += CHUNK) {
      const { bytesRead } = await input.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      if (!isZero(buf, bytesRead)) await dst.write(buf, 0, bytesRead, pos);
    }
  } finally {
    await input.close();
  }
}
