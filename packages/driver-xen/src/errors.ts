/** The Xen driver's errors: libvirt's codes in libvirt's libxl error domain. */
import { ErrorDomain, VirError, type ErrorNumber } from '@virtkit/core';

export const libxlError = (code: ErrorNumber, detail: string | null) => VirError.create(code, ErrorDomain.VIR_FROM_LIBXL, detail);
