/**
 * Volume contents: wipe, resize, upload and download. libvirt's test driver has none of these
 * (it answers VIR_ERR_NO_SUPPORT); here they work on the bytes kept in memory.
 */
import { StorageVolResizeFlags } from '@virtkit/core';
import type { StorageVolRef, VirStream } from '@virtkit/core';
import type { TestState } from './state';
import { checkFlags, internal, invalidArg } from './errors';
import { volObj } from './storage';

export function volWipe(state: TestState, vol: StorageVolRef, flags: number): void {
  checkFlags(flags, 0, 'testStorageVolWipe');
  const v = volObj(state, vol).vol;
  v.data.fill(0);
}

export function volResize(state: TestState, vol: StorageVolRef, capacity: number, flags: number): void {
  checkFlags(
    flags,
    StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_ALLOCATE |
      StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_DELTA |
      StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_SHRINK,
    'testStorageVolResize',
  );
  const { pool, vol: v } = volObj(state, vol);
  let cap = BigInt(capacity);
  if (flags & StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_DELTA)
    cap = flags & StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_SHRINK ? v.def.capacity - cap : v.def.capacity + cap;
  if (cap < v.def.capacity && !(flags & StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_SHRINK)) {
    throw invalidArg("Can't shrink capacity below current capacity unless shrink flag explicitly specified");
  }
  if (cap < v.def.allocation) throw invalidArg("Can't shrink capacity below current allocation");
  const newAlloc = flags & StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_ALLOCATE ? cap : v.def.allocation;
  if (newAlloc - v.def.allocation > pool.def.available) throw internal('Not enough space left in storage pool');
  pool.def.allocation += newAlloc - v.def.allocation;
  pool.def.available = pool.def.capacity - pool.def.allocation;
  v.def.capacity = cap;
  v.def.allocation = newAlloc;
  if (v.data.length > Number(cap)) v.data = Buffer.from(v.data.subarray(0, Number(cap)));
}

function range(capacity: bigint, offset: number, length: number): [number, number] {
  const cap = Number(capacity);
  if (offset > cap) throw invalidArg(`offset ${offset} is beyond the end of the volume (${cap} bytes)`);
  const end = length === 0 ? cap : Math.min(cap, offset + length);
  return [offset, end];
}

/** Read the caller's bytes from `stream.upload` into the volume at `offset` (up to `length`, 0 = to the end). */
export async function volUpload(
  state: TestState,
  vol: StorageVolRef,
  stream: VirStream,
  offset: number,
  length: number,
  flags: number,
): Promise<void> {
  checkFlags(flags, 1 /* VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM */, 'testStorageVolUpload');
  const v = volObj(state, vol).vol;
  const [start, end] = range(v.def.capacity, offset, length);
  const chunks: Buffer[] = [];
  for await (const c of stream.upload) chunks.push(Buffer.from(c as Uint8Array));
  let data = Buffer.concat(chunks);
  if (data.length > end - start) data = data.subarray(0, end - start);
  const cur = volObj(state, vol).vol;
  if (cur.data.length < start + data.length) {
    const grown = Buffer.alloc(start + data.length);
    cur.data.copy(grown);
    cur.data = grown;
  }
  data.copy(cur.data, start);
}

/** Send the volume's bytes from `offset` (up to `length`, 0 = to the end) into `stream.download`. */
export async function volDownload(
  state: TestState,
  vol: StorageVolRef,
  stream: VirStream,
  offset: number,
  length: number,
  flags: number,
): Promise<void> {
  checkFlags(flags, 1 /* VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM */, 'testStorageVolDownload');
  const v = volObj(state, vol).vol;
  const [start, end] = range(v.def.capacity, offset, length);
  const CHUNK = 1024 * 1024;
  for (let pos = start; pos < end; pos += CHUNK) {
    const n = Math.min(CHUNK, end - pos);
    const chunk = Buffer.alloc(n);
    if (pos < v.data.length) v.data.copy(chunk, 0, pos, Math.min(pos + n, v.data.length));
    if (!stream.download.write(chunk)) await new Promise((r) => stream.download.once('drain', r));
  }
  stream.download.end();
}
