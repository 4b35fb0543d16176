/** vol-upload and vol-download: a file's bytes through a VirStream into or out of a volume. */
import * as fs from 'node:fs';
import { once } from 'node:events';
import { StorageVolDownloadFlags, StorageVolUploadFlags, VirStream } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, OptDef } from '../types';
import { lookupVol } from '../lookup';
import { flag, req, str, ullong } from '../opt';

function streamOpts(direction: 'to' | 'from'): OptDef[] {
  const verb = direction === 'to' ? 'upload' : 'download';
  return [
    { name: 'vol', type: 'string', required: true, help: 'vol name, key or path' },
    { name: 'file', type: 'string', required: true, help: 'file' },
    { name: 'pool', type: 'string', help: 'pool name or uuid' },
    { name: 'offset', type: 'int', help: `volume offset to ${verb} ${direction}` },
    { name: 'length', type: 'int', help: `amount of data to ${verb}` },
    { name: 'sparse', type: 'bool', help: 'preserve sparseness of volume' },
  ];
}

/** A descriptor for `file`, or virsh's error line and a failed command. */
function openOrFail(ctl: Ctl, file: string, mode: 'r' | 'w', message: string): number {
  try {
    return fs.openSync(file, mode, 0o666);
  } catch {
    return ctl.fail(message);
  }
}

/** Settles with the error `job` failed with, or null once it succeeded. */
function failure(job: Promise<void>): Promise<unknown> {
  return job.then(
    () => null,
    (e: unknown) => e ?? new Error('stream failed'),
  );
}

/** Copy `file` into the stream, waiting for the driver to take each chunk; stops early if the job failed. */
async function sendFile(fd: number, stream: VirStream, failed: Promise<unknown>): Promise<void> {
  let stop = false;
  void failed.then((e) => {
    stop = e !== null;
  });
  for await (const chunk of fs.createReadStream('', { fd, autoClose: false })) {
    if (stop) return;
    if (!stream.upload.write(chunk)) await Promise.race([once(stream.upload, 'drain'), failed]);
  }
}

export const volStreamCommands: CmdDef[] = [
  {
    name: 'vol-upload',
    group: 'volume',
    help: 'upload file contents to a volume',
    opts: streamOpts('to'),
    async handler(ctl, opts) {
      const offset = Number(ullong(ctl, opts, 'offset') ?? 0n);
      const length = Number(ullong(ctl, opts, 'length') ?? 0n);
      const vol = await lookupVol(ctl, req(ctl, opts, 'vol'), str(ctl, opts, 'pool'));
      const file = req(ctl, opts, 'file');
      const fd = openOrFail(ctl, file, 'r', `cannot read ${file}`);
      try {
        const stream = new VirStream();
        const flags = flag(opts, 'sparse') ? StorageVolUploadFlags.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0;
        const failed = failure(vol.upload(stream, offset, length, flags));
        await sendFile(fd, stream, failed);
        stream.finish();
        const err = await failed;
        if (err !== null) {
          stream.abort();
          ctl.error(`cannot upload to volume ${vol.getName()}`);
          throw err;
        }
      } finally {
        fs.closeSync(fd);
      }
      return true;
    },
  },
  {
    name: 'vol-download',
    group: 'volume',
    help: 'download volume contents to a file',
    opts: streamOpts('from'),
    async handler(ctl, opts) {
      const offset = Number(ullong(ctl, opts, 'offset') ?? 0n);
      const length = Number(ullong(ctl, opts, 'length') ?? 0n);
      const vol = await lookupVol(ctl, req(ctl, opts, 'vol'), str(ctl, opts, 'pool'));
      const file = req(ctl, opts, 'file');
      const existed = fs.existsSync(file);
      const out = fs.createWriteStream('', { fd: openOrFail(ctl, file, 'w', `cannot create ${file}`) });
      const stream = new VirStream();
      const flags = flag(opts, 'sparse') ? StorageVolDownloadFlags.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0;
      const failed = failure(vol.download(stream, offset, length, flags));
      const written = new Promise<unknown>((resolve) => {
        stream.download
          .pipe(out)
          .on('finish', () => resolve(null))
          .on('error', (e) => {
            // a driver waiting for room to write must learn that nobody reads any more
            stream.abort();
            resolve(e);
          });
      });
      // the driver settles once it handed over every byte (or saw the reader go); the file is complete when the writer finished
      const err = (await failed) ?? (await written);
      if (err === null) return true;
      stream.abort();
      out.destroy();
      // virsh removes the file it created for a download that failed
      if (!existed) fs.rmSync(file, { force: true });
      ctl.error(`cannot download from volume ${vol.getName()}`);
      throw err;
    },
  },
];
