/**
 * The errors block job calls report, with libvirt 9.0's codes and message texts for the same
 * failures (qemu driver and storage-source chain lookup).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

const QEMU = ErrorDomain.VIR_FROM_QEMU;
const STORAGE = ErrorDomain.VIR_FROM_STORAGE;

export const diskNotFound = (disk: string) => VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `disk '${disk}' not found in domain`);

/** A copy or active commit holds the disk (it has a mirror) — libvirt's BLOCK_COPY_ACTIVE. */
export const mirrorActive = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE, QEMU, `disk '${dst}' already in active block job`);

/** Any other block job runs on the disk. */
export const jobActive = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, QEMU, `disk '${dst}' already in active block job`);

export const noActiveJob = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `disk ${dst} does not have an active block job`);

export const jobEnding = (dst: string) => VirError.operationInvalid(`block job on disk '${dst}' is still being ended`, QEMU);

export const noSourceToCommit = (dst: string) => VirError.operationInvalid(`disk ${dst} has no source file to be committed`, QEMU);

export const imageNotInChain = (name: string, dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, STORAGE, `could not find image '${name}' in chain for '${dst}'`);

export const imageNotBeneath = (name: string, top: string, dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, STORAGE, `could not find image '${name}' beneath '${top}' in chain for '${dst}'`);

export const topWithoutBacking = (top: string, dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `top '${top}' in chain for '${dst}' has no backing file`);

export const baseNotImmediatelyBelow = (base: string, top: string, dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `base '${base}' is not immediately below '${top}' in chain for '${dst}'`);

export const activeCommitNeedsFlag = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `commit of '${dst}' active layer requires active flag`);

export const activeFlagButNotActive = (top: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `active commit requested but '${top}' is not active`);

export const cannotKeepRelative = () => VirError.operationInvalid(`can't keep relative backing relationship`, QEMU);

export const relativeNeedsBase = () =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, 'flag VIR_DOMAIN_BLOCK_REBASE_RELATIVE is valid only with non-null base');

export const notReadyForPivot = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE, QEMU, `block job '${dst}' not ready for pivot yet`);

export const pivotUnsupported = (typeName: string) => VirError.operationInvalid(`job type '${typeName}' does not support pivot`, QEMU);

export const bandwidthOverflow = (max: bigint) => VirError.create(ErrorNumber.VIR_ERR_OVERFLOW, QEMU, `bandwidth must be less than ${max}`);

export const unsupportedFlags = (flags: number, fn: string) =>
  VirError.invalidArg(`unsupported flags (0x${(flags >>> 0).toString(16)}) in function ${fn}`, QEMU);

export const shallowRawCopy = (dst: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `shallow copy of disk '${dst}' into a raw file is not possible`);

export const copyTargetNotAbsolute = () =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, 'absolute path must be used as block copy target');

export const copyTargetMissing = (dst: string, target: string) =>
  VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, QEMU, `missing destination file for disk ${dst}: ${target}`);

export const copyTargetExists = (dst: string, target: string) =>
  VirError.create(
    ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
    QEMU,
    `external destination file for disk ${dst} already exists and is not a block device: ${target}`,
  );

export const domainNotRunning = () => VirError.operationInvalid('domain is not running', QEMU);

/** Block jobs need a local image file (or block device) on every layer they touch. */
export const unsupportedDiskType = (dst: string, type: string) =>
  VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, QEMU, `block jobs are not supported on disk '${dst}' of type '${type}'`);

/** Offline jobs run qemu-img, which cannot limit every operation's speed. */
export const offlineSpeedUnsupported = (what: string) =>
  VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, QEMU, `bandwidth limit is not supported for offline ${what}`);
