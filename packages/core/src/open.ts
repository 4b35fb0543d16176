/** Opening connections: virConnectOpen and virConnectOpenReadOnly. */
import { Connect } from './generated/api.gen';
import { ErrorDomain, ErrorNumber, VirError, isVirError } from './errors';
import { driverForScheme } from './registry';
import { isRemoteUri, parseUri } from './uri';

export interface OpenFlags {
  /** Open read-only: every write call is refused (VIR_CONNECT_RO). */
  readOnly?: boolean;
}

/** The URI used when none is given: `$VIRTKIT_DEFAULT_URI`, `$LIBVIRT_DEFAULT_URI`, else the embedded test driver. */
export function defaultUri(): string {
  return process.env.VIRTKIT_DEFAULT_URI || process.env.LIBVIRT_DEFAULT_URI || 'test:///default';
}

/** Open a connection to the driver named by `uri` (virConnectOpen / virConnectOpenReadOnly). */
export async function open(uri: string | null = null, flags: OpenFlags = {}): Promise<Connect> {
  const name = uri ?? defaultUri();
  const parsed = parseUri(name);
  const readOnly = flags.readOnly ?? false;
  const driver = await driverForScheme(isRemoteUri(parsed) ? 'remote' : parsed.driver);
  const conn = await driver.open(parsed, { readOnly }).catch((e: unknown) => {
    if (isVirError(e)) throw e;
    throw VirError.create(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorDomain.VIR_FROM_NONE, `${name}: ${(e as Error).message}`);
  });
  return new Connect(name, readOnly, conn);
}

/** Open a read-only connection (virConnectOpenReadOnly). */
export function openReadOnly(uri: string | null = null): Promise<Connect> {
  return open(uri, { readOnly: true });
}
