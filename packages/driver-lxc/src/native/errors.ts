/** Errors of the native-config conversion. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/**
 * Where lxc_native.c fails without reporting why (a missing key, an unknown NIC key), libvirt's
 * API reports an internal error with no detail.
 */
export function unknownCause(): VirError {
  return new VirError({
    code: ErrorNumber.VIR_ERR_INTERNAL_ERROR,
    domain: ErrorDomain.VIR_FROM_NONE,
    message: 'An error occurred, but the cause is unknown',
  });
}

export function lxcInternal(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_LXC, detail);
}
