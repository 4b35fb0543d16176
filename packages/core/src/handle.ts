/** Common base of every public handle class: the connection and the identity it was made with. */
export abstract class HandleBase<Ref, Conn> {
  /** @internal */
  constructor(
    /** @internal */ readonly _conn: Conn,
    /** @internal */ readonly _ref: Ref,
  ) {}

  /** The connection this handle belongs to. */
  getConnect(): Conn {
    return this._conn;
  }
}
