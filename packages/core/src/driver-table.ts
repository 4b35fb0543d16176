/**
 * A driver's static table of the SPI methods it implements, each with the virtkit version it
 * appeared in (libvirt's virHypervisorDriver tables, read by hvsupport.py). Declared as
 * `{ ... } as const satisfies DriverTable`, so tsc refuses a name that is not an SPI method; the
 * generator reads the literal for docs/support-matrix.md. A connection class declared
 * `implements TableConnection<typeof table, Self>` must then have exactly the methods the table
 * names, so a misspelt method (`domainGetinfo`) fails to compile instead of answering
 * "not supported" at run time.
 */
import type { DriverConnectionBase } from './driver-base';
import type { DriverConnection } from './generated/spi.gen';

/** The name of an SPI method (a DriverConnection member beyond the base every driver has). */
export type SpiMethod = Exclude<keyof DriverConnection, keyof DriverConnectionBase>;

/** SPI method → the `x.y.z` version the driver gained it in. */
export type DriverTable = { readonly [M in SpiMethod]?: `${number}.${number}.${number}` };

/** The prefixes of libvirt's driver entry points (connect…, domain…, storagePool…, node…). */
type SpiFamily = 'connect' | 'domain' | 'interface' | 'network' | 'node' | 'nwfilter' | 'secret' | 'storage';

/** Public members of `Self` named like an SPI method but not in table T: each must be `never`. */
type NoStraySpi<Self, T> = {
  [K in Exclude<keyof Self, keyof T | keyof DriverConnectionBase> as K extends `${SpiFamily}${Capitalize<string>}` ? K : never]: never;
};

/**
 * The connection a driver with table T provides: every method T names, with the SPI's signature,
 * and (given the class itself as `Self`) no other SPI-like public member, whether a misspelling
 * or a method the table forgot.
 */
export type TableConnection<T extends DriverTable, Self = unknown> = DriverConnectionBase & {
  [M in keyof T & SpiMethod]-?: NonNullable<DriverConnection[M]>;
} & NoStraySpi<Self, T>;
