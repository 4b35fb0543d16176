/**
 * The Domain calls libvirt runs in the library rather than in a driver: virDomainMigrate and its
 * variants. A managed migration drives the five steps of migration protocol 3 between two
 * connections (virDomainMigrateVersion3Full): begin on the source → prepare on the destination →
 * perform on the source → finish on the destination → confirm on the source, passing the cookie
 * along. A peer-to-peer one hands the whole move to the source's driver, which opens the
 * destination URI itself (perform with a dconnuri).
 */
import { ErrorDomain, ErrorNumber, VirError } from './errors';
import type { Connect, Domain } from './generated/api.gen';
import { DomainMigrateFlags as F, DomainState, MigrateParam as P } from './generated/enums.gen';
import { readOnlyDenied } from './access-errors';
import { HandleBase } from './handle';
import { migrateParams, withParam } from './migrate-params';
import type { DomainRef } from './refs';
import type { TypedParams } from './typed-params';
import type { Wide } from './wide';

const NO_COOKIE = new Uint8Array(0);

/** libvirt's VIR_EXCLUSIVE_FLAGS check, with its bare message. */
function exclusive(flags: number, a: F, b: F): void {
  if (flags & a && flags & b) {
    const message = `Flags '${F[a]}' and '${F[b]}' are mutually exclusive`;
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
  }
}

/** The parameter record of the classic (non-params) migrate calls. */
function classicParams(dxml: string | null, dname: string | null, uri: string | null, bandwidth: Wide): TypedParams {
  const p: TypedParams = {};
  if (uri) p[P.VIR_MIGRATE_PARAM_URI] = uri;
  if (dname) p[P.VIR_MIGRATE_PARAM_DEST_NAME] = dname;
  if (dxml) p[P.VIR_MIGRATE_PARAM_DEST_XML] = dxml;
  if (bandwidth) p[P.VIR_MIGRATE_PARAM_BANDWIDTH] = bandwidth;
  return migrateParams(p);
}

/** Base of the generated Domain class: the library-side migration calls. */
export abstract class DomainBase<Conn extends Connect = Connect> extends HandleBase<DomainRef, Conn> {
  private get self(): Domain {
    return this as unknown as Domain;
  }

  /** Migrate to the host of `dconn` (virDomainMigrate). */
  async migrate(dconn: Connect, dname: string | null, uri: string | null, bandwidth: Wide, flags: F | 0 = 0): Promise<Domain> {
    return this.migrateWith('virDomainMigrate', dconn, classicParams(null, dname, uri, bandwidth), flags);
  }

  /** Migrate to the host of `dconn`, with another definition there (virDomainMigrate2). */
  async migrate2(
    dconn: Connect,
    dxml: string | null,
    dname: string | null,
    uri: string | null,
    bandwidth: Wide,
    flags: F | 0 = 0,
  ): Promise<Domain> {
    return this.migrateWith('virDomainMigrate2', dconn, classicParams(dxml, dname, uri, bandwidth), flags);
  }

  /** Migrate to the host of `dconn`, described by VIR_MIGRATE_PARAM_* (virDomainMigrate3). */
  async migrate3(dconn: Connect, params: TypedParams, flags: F | 0 = 0): Promise<Domain> {
    return this.migrateWith('virDomainMigrate3', dconn, migrateParams(params), flags);
  }

  /** Migrate to `duri`: the destination libvirt URI with PEER2PEER (virDomainMigrateToURI). */
  async migrateToURI(duri: string, dname: string | null, bandwidth: Wide, flags: F | 0 = 0): Promise<void> {
    this.checkUnmanaged('virDomainMigrateToURI', flags);
    await this.perform(duri, classicParams(null, dname, null, bandwidth), flags);
  }

  /** Migrate peer-to-peer to `dconnuri`, optionally over `miguri` with another XML (virDomainMigrateToURI2). */
  async migrateToURI2(
    dconnuri: string | null,
    miguri: string | null,
    dxml: string | null,
    dname: string | null,
    bandwidth: Wide,
    flags: F | 0 = 0,
  ): Promise<void> {
    this.checkUnmanaged('virDomainMigrateToURI2', flags);
    if (dconnuri === null) throw VirError.invalidArg('dconnuri in virDomainMigrateToURI2 must not be NULL', ErrorDomain.VIR_FROM_DOMAIN);
    await this.perform(dconnuri, classicParams(dxml, dname, miguri, bandwidth), flags);
  }

  /** Migrate peer-to-peer to `dconnuri`, described by VIR_MIGRATE_PARAM_* (virDomainMigrateToURI3). */
  async migrateToURI3(dconnuri: string, params: TypedParams, flags: F | 0 = 0): Promise<void> {
    this.checkUnmanaged('virDomainMigrateToURI3', flags);
    await this.perform(dconnuri, migrateParams(params), flags);
  }

  /** libvirt's checks shared by every migrate call. */
  private checkCommon(c: string, flags: number): void {
    if (this._conn.isReadOnly()) throw readOnlyDenied(c);
    exclusive(flags, F.VIR_MIGRATE_NON_SHARED_DISK, F.VIR_MIGRATE_NON_SHARED_INC);
  }

  /**
   * The ToURI calls migrate unmanaged: peer-to-peer (the source's driver opens the destination),
   * or "direct", which no QEMU host supports (virDomainMigrateUnmanagedCheckCompat).
   */
  private checkUnmanaged(c: string, flags: number): void {
    this.checkCommon(c, flags);
    if (!(flags & F.VIR_MIGRATE_PEER2PEER)) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        ErrorDomain.VIR_FROM_DOMAIN,
        'direct migration is not supported by the source host',
      );
    }
  }

  /** The source's driver migrates the domain to `dconnuri` on its own (virDomainMigrateUnmanagedParams). */
  private async perform(dconnuri: string, params: TypedParams, flags: number): Promise<void> {
    await this.self.migratePerform3Params(dconnuri, params, NO_COOKIE, flags);
  }

  private async migrateWith(c: string, dconn: Connect, params: TypedParams, flags: number): Promise<Domain> {
    this.checkCommon(c, flags);
    if (dconn.isReadOnly()) throw readOnlyDenied(c);
    if (flags & F.VIR_MIGRATE_PEER2PEER) {
      if (params[P.VIR_MIGRATE_PARAM_URI] !== undefined) {
        throw VirError.internal('Unable to override peer2peer migration URI', ErrorDomain.VIR_FROM_DOMAIN);
      }
      await this.perform(await dconn.getURI(), params, flags);
      const name = params[P.VIR_MIGRATE_PARAM_DEST_NAME];
      return dconn.lookupByName(typeof name === 'string' ? name : this._ref.name);
    }
    if (flags & F.VIR_MIGRATE_TUNNELLED) {
      throw VirError.operationInvalid('cannot perform tunnelled migration without using peer2peer flag', ErrorDomain.VIR_FROM_DOMAIN);
    }
    return this.version3(dconn, params, flags);
  }

  /** virDomainMigrateVersion3Full with parameters: the five steps, and their cleanup on failure. */
  private async version3(dconn: Connect, params: TypedParams, flags: number): Promise<Domain> {
    // Begin takes a migration job on the source; a failure after it still reaches Confirm.
    flags |= F.VIR_MIGRATE_CHANGE_PROTECTION;
    const begun = await this.self.migrateBegin3Params(params, flags);
    const { state } = await this.self.getState(0);
    if (state === DomainState.VIR_DOMAIN_PAUSED && !(flags & F.VIR_MIGRATE_POSTCOPY_RESUME)) flags |= F.VIR_MIGRATE_PAUSED;
    const destFlags = flags & ~(F.VIR_MIGRATE_ABORT_ON_ERROR | F.VIR_MIGRATE_AUTO_CONVERGE);
    params = withParam(params, P.VIR_MIGRATE_PARAM_DEST_XML, begun.xml);
    let cookie: Uint8Array = begun.cookieOut;
    let firstError: unknown;
    let cancelled = 0;
    let notifySource = true;
    let ddomain: Domain | null = null;
    try {
      const prepared = await dconn.migratePrepare3Params(params, cookie, destFlags);
      cookie = prepared.cookieOut;
      if (prepared.uriOut) params = withParam(params, P.VIR_MIGRATE_PARAM_URI, prepared.uriOut);
      else if (params[P.VIR_MIGRATE_PARAM_URI] === undefined) throw VirError.internal('domainMigratePrepare3 did not set uri');
    } catch (e) {
      await this.confirm(params, NO_COOKIE, flags, 1);
      throw e;
    }
    if (!(flags & F.VIR_MIGRATE_OFFLINE)) {
      try {
        cookie = await this.self.migratePerform3Params(null, params, cookie, flags);
      } catch (e) {
        firstError = e;
        notifySource = false; // the source cancelled its side already
        cancelled = 1;
        cookie = NO_COOKIE;
      }
    } else cookie = NO_COOKIE;
    if (params[P.VIR_MIGRATE_PARAM_DEST_NAME] === undefined) params = withParam(params, P.VIR_MIGRATE_PARAM_DEST_NAME, this._ref.name);
    try {
      const finished = await dconn.migrateFinish3Params(params, cookie, cancelled, destFlags);
      ddomain = finished.dom;
      cookie = finished.cookieOut;
    } catch (e) {
      firstError ??= e;
      cookie = NO_COOKIE;
    }
    if (notifySource) await this.confirm(params, cookie, flags, ddomain === null ? 1 : 0);
    if (ddomain === null) throw firstError;
    return ddomain;
  }

  /** Confirm on the source; its failure leaves the domain paused there, as libvirt warns. */
  private async confirm(params: TypedParams, cookie: Uint8Array, flags: number, cancelled: number): Promise<void> {
    await this.self.migrateConfirm3Params(params, cookie, cancelled, flags).catch(() => undefined);
  }
}
