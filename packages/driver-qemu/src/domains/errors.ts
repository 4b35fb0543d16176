/** The QEMU driver's domain errors, with libvirt's codes, domains and texts. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export const FROM_QEMU = ErrorDomain.VIR_FROM_QEMU;
export const FROM_DOMAIN = ErrorDomain.VIR_FROM_DOMAIN;

/** virCheckFlags in a QEMU driver function: the message is the bare text. */
export function checkFlags(flags: number, mask: number, fn: string): void {
  const unknown = (flags & ~mask) >>> 0;
  if (unknown !== 0) {
    const message = `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`;
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: FROM_QEMU, message, str1: message });
  }
}

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
