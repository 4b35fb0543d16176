/**
 * VirError: libvirt's error record as a JavaScript error.
 *
 * Code, domain and level carry libvirt's numbers; `message` is libvirt's full text for the same
 * failure (the per-code template of virErrorMsg applied to the detail), so programs and people
 * see what they would see from libvirt. Code should test `code` or the predicates below, never
 * the message.
 */
import { CALLS } from './generated/calls.gen';
import { ErrorDomain, ErrorLevel, ErrorNumber, errorTemplate } from './generated/errors.gen';

export { ErrorDomain, ErrorLevel, ErrorNumber };

/** Extra fields of libvirt's virError, carried over the wire unchanged. */
export interface VirErrorFields {
  code: number;
  domain: number;
  message: string;
  level?: number;
  /** The message template, e.g. `Domain not found: %s`. */
  str1?: string | null;
  /** The detail text the template was applied to. */
  str2?: string | null;
  str3?: string | null;
  int1?: number;
  int2?: number;
}

export class VirError extends Error {
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;

  constructor(f: VirErrorFields) {
    super(f.message);
    this.name = 'VirError';
    this.code = f.code;
    this.domain = f.domain;
    this.level = f.level ?? ErrorLevel.VIR_ERR_ERROR;
    this.str1 = f.str1 ?? null;
    this.str2 = f.str2 ?? null;
    this.str3 = f.str3 ?? null;
    this.int1 = f.int1 ?? -1;
    this.int2 = f.int2 ?? -1;
  }

  /** An error with libvirt's message for `code`, optionally applied to a detail text. */
  static create(code: ErrorNumber, domain: ErrorDomain, detail?: string | null): VirError {
    const template = errorTemplate(code, detail != null);
    const message = detail != null ? template.replace('%s', detail) : template;
    return new VirError({ code, domain, message, str1: template, str2: detail ?? null });
  }

  /** VIR_ERR_XML_ERROR: the document is malformed or holds an invalid value. */
  static xml(detail: string, domain: ErrorDomain = ErrorDomain.VIR_FROM_XML): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, domain, detail);
  }

  /** VIR_ERR_INVALID_ARG. */
  static invalidArg(detail: string, domain: ErrorDomain = ErrorDomain.VIR_FROM_NONE): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, domain, detail);
  }

  /** VIR_ERR_OPERATION_INVALID: the object is in the wrong state for the request. */
  static operationInvalid(detail: string, domain: ErrorDomain): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, domain, detail);
  }

  /** VIR_ERR_INTERNAL_ERROR. */
  static internal(detail: string, domain: ErrorDomain = ErrorDomain.VIR_FROM_NONE): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, domain, detail);
  }

  /**
   * What libvirt's public API reports when its driver failed without saying why (virDispatchError):
   * an internal error of no error domain with this fixed text.
   */
  static unknownCause(): VirError {
    return new VirError({
      code: ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      domain: ErrorDomain.VIR_FROM_NONE,
      message: 'An error occurred, but the cause is unknown',
    });
  }

  /**
   * VIR_ERR_NO_SUPPORT for a call the driver does not implement, named by its C function, in the
   * error domain libvirt's public call reports it from.
   */
  static noSupport(cName: string, domain: ErrorDomain = callErrorDomain(cName)): VirError {
    return VirError.create(ErrorNumber.VIR_ERR_NO_SUPPORT, domain, cName);
  }
}

/** The error domain of public call `cName`'s own errors (VIR_FROM_NONE for a name api/ lacks). */
function callErrorDomain(cName: string): ErrorDomain {
  return (CALLS as Record<string, { errorDomain: ErrorDomain }>)[cName]?.errorDomain ?? ErrorDomain.VIR_FROM_NONE;
}

const NOT_FOUND = new Set<number>([
  ErrorNumber.VIR_ERR_NO_DOMAIN,
  ErrorNumber.VIR_ERR_NO_NETWORK,
  ErrorNumber.VIR_ERR_NO_STORAGE_POOL,
  ErrorNumber.VIR_ERR_NO_STORAGE_VOL,
  ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT,
  ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT,
  ErrorNumber.VIR_ERR_NO_DOMAIN_BACKUP,
]);

/**
 * True for a VirError, recognised by its fields (name 'VirError', numeric code and domain) as
 * well as by class: a driver loaded through the other module format, or bundled with its own copy
 * of core, throws errors of another VirError class that are the same error.
 */
export function isVirError(err: unknown): err is VirError {
  if (err instanceof VirError) return true;
  const e = err as Partial<VirError> | null;
  return err instanceof Error && e!.name === 'VirError' && typeof e!.code === 'number' && typeof e!.domain === 'number';
}

function codeOf(err: unknown): number | undefined {
  return isVirError(err) ? err.code : undefined;
}

/** The object asked for does not exist (domain, pool, volume, snapshot, checkpoint, ...). */
export function isNotFound(err: unknown): boolean {
  const c = codeOf(err);
  return c !== undefined && NOT_FOUND.has(c);
}

/** The driver does not implement the call. */
export function isNoSupport(err: unknown): boolean {
  return codeOf(err) === ErrorNumber.VIR_ERR_NO_SUPPORT;
}

/** An argument (flags included) was rejected. */
export function isInvalidArg(err: unknown): boolean {
  return codeOf(err) === ErrorNumber.VIR_ERR_INVALID_ARG;
}

/** The object is in the wrong state for the operation (e.g. the domain is not running). */
export function isOperationInvalid(err: unknown): boolean {
  return codeOf(err) === ErrorNumber.VIR_ERR_OPERATION_INVALID;
}

/** The connection is read-only, or access control refused the call. */
export function isAccessDenied(err: unknown): boolean {
  const c = codeOf(err);
  return c === ErrorNumber.VIR_ERR_OPERATION_DENIED || c === ErrorNumber.VIR_ERR_ACCESS_DENIED;
}

/** A templated error for `code` in `domain` (e.g. internal error: hypervisor connection not open). */
export function templatedError(code: ErrorNumber, domain: ErrorDomain, detail: string): VirError {
  const t = errorTemplate(code, true);
  return new VirError({ code, domain, message: t.replace('%s', detail), str1: t, str2: detail });
}
