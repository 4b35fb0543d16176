/** The snapshot errors of libvirt's QEMU driver, with its codes, domains and texts. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

const QEMU = ErrorDomain.VIR_FROM_QEMU;
const SNAP = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;

export function noSnapshot(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, SNAP, detail);
}

/** virDomainSnapshotFindByName's failure. */
export function noSnapshotNamed(name: string): VirError {
  return noSnapshot(`no domain snapshot with matching name '${name}'`);
}

export function configUnsupported(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, QEMU, detail);
}

/** VIR_ERR_OPERATION_UNSUPPORTED. */
export function unsupported(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, QEMU, detail);
}

export function operationInvalid(detail: string): VirError {
  return VirError.operationInvalid(detail, QEMU);
}

export function operationFailed(detail: string, domain = QEMU): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, domain, detail);
}

/** VIR_EXCLUSIVE_FLAGS_RET. */
export function exclusiveFlags(a: string, b: string, domain = QEMU): VirError {
  return VirError.invalidArg(`Flags '${a}' and '${b}' are mutually exclusive`, domain);
}

/** VIR_REQUIRE_FLAG_RET: `needed` must accompany `given`. */
export function requiredFlag(needed: string, given: string): VirError {
  return VirError.invalidArg(`Flag '${needed}' is required by flag '${given}'`, QEMU);
}

/** virDomainMomentCheckCycles' reports for a redefined parent link. */
export function parentProblem(kind: 'self' | 'missing' | 'cycle', name: string, parent: string | undefined, via?: string): VirError {
  const detail =
    kind === 'self'
      ? `cannot set moment ${name} as its own parent`
      : kind === 'missing'
        ? `parent ${parent} for moment ${name} not found`
        : `parent ${via} would create cycle to ${name}`;
  return VirError.invalidArg(detail, ErrorDomain.VIR_FROM_DOMAIN);
}

/** A qemu-img run that failed, with its stderr. */
export function imageToolFailed(args: readonly string[], stderr: string): VirError {
  return VirError.internal(`qemu-img ${args.join(' ')} failed: ${stderr.trim()}`, QEMU);
}
