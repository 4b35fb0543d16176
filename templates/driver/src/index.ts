/**
 * virtkit-driver-toy: the driver object the virtkit registry loads for `toy:///` URIs (found by
 * the `virtkit.driver.schemes` field of package.json, or named in VIRTKIT_DRIVERS).
 */
import { ErrorDomain, ErrorNumber, VirError, type Driver, type DriverConnection, type OpenOptions, type ParsedUri } from '@virtkit/core';
import { ToyConnection } from './connection';
import { ToyHost } from './host';

export { toyDriverTable } from './table';
export { ToyConnection } from './connection';

/** One host per process, created on first open: every connection sees the same domains. */
let host: ToyHost | undefined;

export const driver: Driver = {
  name: 'toy',
  schemes: ['toy'],
  async open(uri: ParsedUri, _opts: OpenOptions): Promise<DriverConnection> {
    if (uri.path !== '/' && uri.path !== '') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_NO_CONNECT,
        ErrorDomain.VIR_FROM_NONE,
        `unexpected toy URI path '${uri.path}', try toy:///`,
      );
    }
    host ??= new ToyHost();
    return new ToyConnection(host);
  },
};

export default driver;
