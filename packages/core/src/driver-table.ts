/**
 * A driver's static table of the SPI methods it implements, each with the virtkit version it
 * appeared in (libvirt's virHypervisorDriver tables, read by hvsupport.py). Declared as
 * `{ ... } as const satisfies DriverTable`, so tsc refuses a name that is not an SPI method; the
 * generator reads the literal for docs/support-matrix.md, and each driver's tests check that its
 * connections have exactly the methods its table names.
 */
import type { DriverConnectionBase } from './driver-base';
import type { DriverConnection } from './generated/spi.gen';

/** The name of an SPI method (a DriverConnection member beyond the base every driver has). */
export type SpiMethod = Exclude<keyof DriverConnection, keyof DriverConnectionBase>;

/** SPI method → the `x.y.z` version the driver gained it in. */
export type DriverTable = { readonly [M in SpiMethod]?: `${number}.${number}.${number}` };
