/** The storage driver's error reports, with libvirt's codes, domains and texts. */
import { checkDriverFlags, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

const FROM_STORAGE = ErrorDomain.VIR_FROM_STORAGE;

/** virReportError(code, fmt) in the storage driver. */
export const storageError = (code: ErrorNumber, detail: string): VirError => VirError.create(code, FROM_STORAGE, detail);

export const opInvalid = (detail: string) => storageError(ErrorNumber.VIR_ERR_OPERATION_INVALID, detail);
export const opFailed = (detail: string) => storageError(ErrorNumber.VIR_ERR_OPERATION_FAILED, detail);
export const internalError = (detail: string) => storageError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, detail);
export const invalidArg = (detail: string) => storageError(ErrorNumber.VIR_ERR_INVALID_ARG, detail);
export const noPool = (detail: string) => storageError(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, detail);
export const noVol = (detail: string) => storageError(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, detail);

/** virReportInvalidArg / VIR_EXCLUSIVE_FLAGS: VIR_ERR_INVALID_ARG with the bare text as message. */
function rawInvalidArg(message: string): VirError {
  return new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: FROM_STORAGE, message, str1: message });
}

/** virCheckFlags(mask) as libvirt's function `fn` applies it. */
export const checkFlags = (flags: number, mask: number, fn: string): void => checkDriverFlags(flags, mask, fn, FROM_STORAGE);

/** VIR_EXCLUSIVE_FLAGS_RET: two flags that cannot be given together. */
export function checkExclusive(flags: number, a: number, aName: string, b: number, bName: string): void {
  if (flags & a && flags & b) throw rawInvalidArg(`Flags '${aName}' and '${bName}' are mutually exclusive`);
}

const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EXDEV: 'Invalid cross-device link',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
};

/** strerror(errno) for a Node.js system error. */
export function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code && STRERROR[err.code]) return STRERROR[err.code];
  return err.message ?? String(e);
}

/** virReportSystemError: VIR_ERR_SYSTEM_ERROR, "<detail>: <strerror>". */
export function systemError(e: unknown, detail: string, domain: ErrorDomain = FROM_STORAGE): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, domain, `${detail}: ${strerror(e)}`);
}

/** The same for failures libvirt reports from its generic file helpers (domain VIR_FROM_NONE). */
export const fileError = (e: unknown, detail: string) => systemError(e, detail, ErrorDomain.VIR_FROM_NONE);

export function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException)?.code === code;
}
