/** Common base of every public handle class: the connection and the identity it was made with. */
import { isNotFound } from './errors';
import type { DriverConnection } from './generated/spi.gen';
import type { DomainRef } from './refs';

export abstract class HandleBase<Ref, Conn> {
  /** @internal */
  constructor(
    /** @internal */ readonly _conn: Conn,
    /**
     * The identity: fixed, except that a Domain handle takes the new id when it starts or
     * destroys its domain, as libvirt's drivers update `dom->id`.
     * @internal
     */
    public _ref: Ref,
  ) {}

  /** The connection this handle belongs to. */
  getConnect(): Conn {
    return this._conn;
  }
}

/**
 * The identity of a domain its handle has just started: the SPI's start calls return nothing, so
 * the domain is looked up again by UUID for its new id (libvirt's remote driver does the same).
 * A domain gone already (a transient one that stopped at once) is inactive: id -1.
 */
export async function startedRef(drv: DriverConnection, ref: DomainRef): Promise<DomainRef> {
  if (!drv.domainLookupByUUIDString) return ref;
  try {
    return { ...ref, id: (await drv.domainLookupByUUIDString(ref.uuid)).id };
  } catch (e) {
    if (isNotFound(e)) return { ...ref, id: -1 };
    throw e;
  }
}
