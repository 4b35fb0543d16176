/** Volume contents: resize, wipe, upload and download, on the volume's file. */
import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import { ErrorDomain, ErrorNumber, StorageVolResizeFlags, VirError, type VirStream } from '@virtkit/core';
import { type StorageVolDef } from '@virtkit/xml';
import { fileError, invalidArg, opFailed, storageError, systemError } from './errors';
import { allocate, writeZeros } from './file-ops';
import type { QemuImg } from './qemu-img';

const ALLOCATE = StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_ALLOCATE;
const DELTA = StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_DELTA;
const SHRINK = StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_SHRINK;
const CHUNK = 1 << 20;

/**
 * The capacity a resize asks for, after libvirt's checks: shrinking needs the SHRINK flag and
 * never goes below the allocation; ALLOCATE must fit in the pool's free space.
 */
export function resizeTarget(def: StorageVolDef, capacity: bigint, flags: number, poolAvailable: bigint): bigint {
  let target = capacity;
  if (flags & DELTA) {
    if (flags & SHRINK) target = capacity > def.capacity ? 0n : def.capacity - capacity;
    else target = def.capacity + capacity;
  }
  if (target < def.capacity && !(flags & SHRINK)) {
    throw invalidArg("Can't shrink capacity below current capacity unless shrink flag explicitly specified");
  }
  if (target < def.allocation) throw invalidArg("can't shrink capacity below existing allocation");
  if (flags & ALLOCATE && target - def.allocation > poolAvailable) throw opFailed('Not enough space left in storage pool');
  return target;
}

/** Resize the file: truncate (and reserve) raw files, `qemu-img resize` the rest. */
export async function resizeVolume(img: QemuImg, def: StorageVolDef, capacity: bigint, flags: number): Promise<void> {
  const file = def.target.path!;
  const format = def.target.format ?? 'raw';
  if (format !== 'raw') {
    if (flags & ALLOCATE) {
      throw storageError(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, 'preallocate is only supported for raw type volume');
    }
    await img.run(['resize', ...(flags & SHRINK ? ['--shrink'] : []), '-f', format, file, String(capacity)]);
    return;
  }
  const fh = await fs.promises.open(file, 'r+').catch((e) => {
    throw fileError(e, `Unable to open '${file}'`);
  });
  try {
    const oldSize = Number((await fh.stat()).size);
    await fh.truncate(Number(capacity)).catch((e) => {
      throw fileError(e, `Failed to truncate file '${file}'`);
    });
    if (flags & ALLOCATE) await allocate(file, fh, Number(capacity), oldSize);
  } finally {
    await fh.close();
  }
}

/**
 * Overwrite the volume with zeros (libvirt's zero algorithm): a sparse file is emptied and
 * re-extended, anything else gets zeros written over its length. Image headers go too, so a
 * wiped qcow2 reads as raw afterwards, as with libvirt.
 */
export async function wipeVolume(def: StorageVolDef): Promise<void> {
  const file = def.target.path!;
  const fh = await fs.promises.open(file, 'r+').catch((e) => {
    throw systemError(e, `Failed to open storage volume with path '${file}'`);
  });
  try {
    const st = await fh.stat();
    if (st.blocks * 512 < st.size) {
      await fh.truncate(0);
      await fh.truncate(st.size);
    } else {
      await writeZeros(fh, 0, st.size);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** libvirt's report when the caller sends more than the `length` it asked to upload. */
function streamFull(): VirError {
  const msg = 'cannot write to stream: No space left on device';
  return VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STREAMS, msg);
}

/**
 * Write what the caller sends on `stream.upload` into the file from `offset`, at most `length`
 * bytes (0: no limit). Resolves once the caller finished the stream and the data is synced.
 */
export async function uploadVolume(def: StorageVolDef, stream: VirStream, offset: number, length: number): Promise<void> {
  const file = def.target.path!;
  const fh = await fs.promises.open(file, 'r+').catch((e) => {
    throw systemError(e, `cannot open '${file}'`);
  });
  try {
    let pos = offset;
    for await (const c of stream.upload) {
      let chunk = c as Buffer;
      const room = length > 0 ? offset + length - pos : chunk.length;
      if (chunk.length > room) chunk = chunk.subarray(0, room);
      if (chunk.length) await fh.write(chunk, 0, chunk.length, pos);
      pos += chunk.length;
      if (chunk.length < (c as Buffer).length) throw streamFull();
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Wait until `w` wants more data; false when the reader went away. */
function drained(w: Writable): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve(!w.destroyed);
    };
    w.on('drain', done);
    w.on('close', done);
  });
}

/**
 * Send the file's bytes from `offset`, `length` of them (0: to the end), into `stream.download`
 * and end it. Resolves when everything was handed over or the reader aborted.
 */
export async function downloadVolume(def: StorageVolDef, stream: VirStream, offset: number, length: number): Promise<void> {
  const file = def.target.path!;
  const fh = await fs.promises.open(file, 'r').catch((e) => {
    throw systemError(e, `cannot open '${file}'`);
  });
  const out = stream.download;
  try {
    const size = Number((await fh.stat()).size);
    const end = length > 0 ? Math.min(size, offset + length) : size;
    for (let pos = offset; pos < end; pos += CHUNK) {
      const buf = Buffer.alloc(Math.min(CHUNK, end - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      if (!out.write(buf.subarray(0, bytesRead)) && !(await drained(out))) return;
    }
    out.end();
  } finally {
    await fh.close();
  }
}
