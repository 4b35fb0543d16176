/** The failures of the CLI itself, reported as virsh's `error: ...` lines. */

/** A parse or usage error with virsh's text (printed as `error: <message>`). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** True for errors carrying libvirt's code and message (VirError, or anything of its shape). */
export function isVirError(e: unknown): e is { code: number; message: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}
