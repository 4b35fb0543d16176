/** The test driver's error reports, with libvirt's codes, domains and texts. */
import { checkDriverFlags, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export const FROM_TEST = ErrorDomain.VIR_FROM_TEST;
export const FROM_DOMAIN = ErrorDomain.VIR_FROM_DOMAIN;

/** virReportError(code, fmt): libvirt's template for the code applied to the detail. */
export function err(code: ErrorNumber, detail: string | null, domain: ErrorDomain = FROM_TEST): VirError {
  return VirError.create(code, domain, detail);
}

/** virReportInvalidArg / virCheckFlags: VIR_ERR_INVALID_ARG with the bare text as message. */
export function rawInvalidArg(message: string, domain: ErrorDomain = FROM_TEST): VirError {
  return new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain, message, str1: message });
}

/** virCheckFlags(mask) as the test driver's function `fn` applies it. */
export const checkFlags = (flags: number, mask: number, fn: string): void => checkDriverFlags(flags, mask, fn, FROM_TEST);

export const internal = (detail: string, domain: ErrorDomain = FROM_TEST) => err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, detail, domain);
export const opInvalid = (detail: string | null, domain: ErrorDomain = FROM_TEST) =>
  err(ErrorNumber.VIR_ERR_OPERATION_INVALID, detail, domain);
export const opFailed = (detail: string, domain: ErrorDomain = FROM_TEST) => err(ErrorNumber.VIR_ERR_OPERATION_FAILED, detail, domain);
export const invalidArg = (detail: string, domain: ErrorDomain = FROM_TEST) => err(ErrorNumber.VIR_ERR_INVALID_ARG, detail, domain);
export const unsupported = (detail: string) => err(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, detail);
export const xmlError = (detail: string, domain: ErrorDomain = FROM_TEST) => err(ErrorNumber.VIR_ERR_XML_ERROR, detail, domain);

/** virDomainObjCheckActive. */
export const notRunning = () => opInvalid('domain is not running', FROM_DOMAIN);
