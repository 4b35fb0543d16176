/** Malformed, truncated or out-of-bounds XDR (decoding) or a value that does not fit its type (encoding). */
export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrError';
  }
}
