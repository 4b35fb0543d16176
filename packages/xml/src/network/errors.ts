/** Errors of libvirt's network configuration code (VIR_FROM_NETWORK). */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

const D = ErrorDomain.VIR_FROM_NETWORK;

/** VIR_ERR_XML_ERROR from the network code. */
export const netXmlError = (detail: string) => VirError.xml(detail, D);

/** Any code from the network code. */
export const netError = (code: ErrorNumber, detail?: string) => VirError.create(code, D, detail);
