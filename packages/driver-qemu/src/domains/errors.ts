/** The QEMU driver's domain errors, with libvirt's codes, domains and texts. */
import { checkDriverFlags, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export const FROM_QEMU = ErrorDomain.VIR_FROM_QEMU;
export const FROM_DOMAIN = ErrorDomain.VIR_FROM_DOMAIN;

/** virCheckFlags in a QEMU driver function: the message is the bare text. */
export const checkFlags = (flags: number, mask: number, fn: string): void => checkDriverFlags(flags, mask, fn, FROM_QEMU);

export function noDomain(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN, FROM_QEMU, detail);
}

/** virDomainObjCheckActive. */
export function notRunning(): VirError {
  return VirError.operationInvalid('domain is not running', FROM_DOMAIN);
}

export function alreadyRunning(): VirError {
  return VirError.operationInvalid('domain is already running', FROM_QEMU);
}

export function configUnsupported(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, FROM_QEMU, detail);
}
