/** Errors of the native-config conversion. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export function lxcInternal(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_LXC, detail);
}
