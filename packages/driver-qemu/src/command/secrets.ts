/** Secret objects: values encrypted with the domain master key (AES-256-CBC, base64). */
import { createCipheriv } from 'node:crypto';
import type { CmdBuilder } from './builder';

/** The domain master key, drawn once per build from the context's random source. */
const masterKeys = new WeakMap<CmdBuilder, Uint8Array>();

export function masterKey(b: CmdBuilder): Uint8Array {
  let k = masterKeys.get(b);
  if (!k) {
    k = b.ctx.randomBytes(32);
    masterKeys.set(b, k);
  }
  return k;
}

/** `{"qom-type":"secret",...}` for a secret looked up through the context. */
export function secretObject(
  b: CmdBuilder,
  id: string,
  ref: { uuid?: string; usageType?: string; usage?: string },
): Record<string, unknown> {
  const value = b.ctx.lookupSecret(ref);
  const iv = b.ctx.randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', masterKey(b), iv);
  const data = Buffer.concat([cipher.update(value), cipher.final()]).toString('base64');
  return { 'qom-type': 'secret', id, data, keyid: 'masterKey0', iv: Buffer.from(iv).toString('base64'), format: 'base64' };
}
