"""virDomain's migrate calls, which libvirt runs in the client library rather than in a daemon.

A managed migration (migrate, migrate2, migrate3 without PEER2PEER) drives the five steps of
migration protocol 3 between the two connections, as libvirt's virDomainMigrateVersion3Full does:
begin on the source, prepare on the destination, perform on the source, finish on the destination,
confirm on the source, and on a failure the steps that undo what was done. With PEER2PEER, and for
the ToURI calls, the source's daemon does the whole migration from one perform call.
"""
from typing import Any

from . import _errors, _wire
from ._domain import _hinted_params

_NO_COOKIE = b""
_MIGRATE_PARAM_TYPES = _wire.TYPED_PARAM_FAMILIES["MigrateParam"]


def _classic_params(dxml, dname, uri, bandwidth):
    """The parameters of the migrate calls that predate typed parameters (VIR_MIGRATE_PARAM_*)."""
    params = {}
    if uri:
        params["migrate_uri"] = uri
    if dname:
        params["destination_name"] = dname
    if dxml:
        params["destination_xml"] = dxml
    if bandwidth:
        params["bandwidth"] = bandwidth
    return params


def _typed(params):
    """[(field, type, value)] typed as libvirt-python's virPyDomainMigrate3Params hints say."""
    return _hinted_params(params, _MIGRATE_PARAM_TYPES)


def _replaced(triples, field, value):
    """triples with `field` set to the string `value` (virTypedParamsReplaceString)."""
    return [t for t in triples if t[0] != field] + [(field, _wire.VIR_TYPED_PARAM_STRING, value)]


def _value(triples, field):
    return next((t[2] for t in triples if t[0] == field), None)


def _check_common(flags):
    """libvirt's checks before any migrate call reaches a daemon."""
    exclusive = _wire.VIR_MIGRATE_NON_SHARED_DISK | _wire.VIR_MIGRATE_NON_SHARED_INC
    if flags & exclusive == exclusive:
        raise _errors.report_error(
            _wire.VIR_ERR_INVALID_ARG, _wire.VIR_FROM_DOMAIN,
            "Flags 'VIR_MIGRATE_NON_SHARED_DISK' and 'VIR_MIGRATE_NON_SHARED_INC' are mutually exclusive")


def _check_unmanaged(flags):
    """The ToURI calls need PEER2PEER: no QEMU host does "direct" migration."""
    _check_common(flags)
    if not flags & _wire.VIR_MIGRATE_PEER2PEER:
        raise _errors.report_error(_wire.VIR_ERR_ARGUMENT_UNSUPPORTED, _wire.VIR_FROM_DOMAIN,
                                 "direct migration is not supported by the source host")


class virDomainMigrateBase(object):
    """The library-side migrate calls, in libvirt-python's shapes."""

    _conn: Any  # the virConnect, set by the generated class
    _ref: Any   # the domain's wire handle, set by the generated class

    def migrate(self, dconn, flags=0, dname=None, uri=None, bandwidth=0):
        """Migrate to the host of dconn; the domain there."""
        return self._migrate_to(dconn, _typed(_classic_params(None, dname, uri, bandwidth)), flags)

    def migrate2(self, dconn, dxml=None, flags=0, dname=None, uri=None, bandwidth=0):
        """Migrate to the host of dconn with another definition there; the domain there."""
        return self._migrate_to(dconn, _typed(_classic_params(dxml, dname, uri, bandwidth)), flags)

    def migrate3(self, dconn, params, flags=0):
        """Migrate to the host of dconn, described by VIR_MIGRATE_PARAM_*; the domain there."""
        return self._migrate_to(dconn, _typed(params), flags)

    def migrateToURI(self, duri, flags=0, dname=None, bandwidth=0):
        """Migrate peer-to-peer to the libvirt URI duri."""
        _check_unmanaged(flags)
        self._perform(duri, _typed(_classic_params(None, dname, None, bandwidth)), _NO_COOKIE, flags)
        return 0

    def migrateToURI2(self, dconnuri=None, miguri=None, dxml=None, flags=0, dname=None, bandwidth=0):
        """Migrate peer-to-peer to dconnuri, optionally over miguri with another definition."""
        _check_unmanaged(flags)
        if dconnuri is None:
            raise _errors.report_error(_wire.VIR_ERR_INVALID_ARG, _wire.VIR_FROM_DOMAIN,
                                     "dconnuri in virDomainMigrateToURI2 must not be NULL")
        self._perform(dconnuri, _typed(_classic_params(dxml, dname, miguri, bandwidth)), _NO_COOKIE, flags)
        return 0

    def migrateToURI3(self, dconnuri, params, flags=0):
        """Migrate peer-to-peer to dconnuri, described by VIR_MIGRATE_PARAM_*."""
        _check_unmanaged(flags)
        self._perform(dconnuri, _typed(params), _NO_COOKIE, flags)
        return 0

    def _perform(self, dconnuri, params, cookie, flags):
        r = self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_MIGRATE_PERFORM3_PARAMS,
                                   [self._ref, dconnuri, params, cookie, flags])
        return r[0]

    def _confirm(self, params, cookie, flags, cancelled):
        """Confirm on the source; its failure leaves the domain paused there, as libvirt warns."""
        try:
            self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_MIGRATE_CONFIRM3_PARAMS,
                                   [self._ref, params, cookie, flags, cancelled])
        except _errors.libvirtError:
            pass

    def _migrate_to(self, dconn, params, flags):
        _check_common(flags)
        if flags & _wire.VIR_MIGRATE_PEER2PEER:
            if _value(params, "migrate_uri") is not None:
                raise _errors.report_error(_wire.VIR_ERR_INTERNAL_ERROR, _wire.VIR_FROM_DOMAIN,
                                         "Unable to override peer2peer migration URI")
            self._perform(dconn.getURI(), params, _NO_COOKIE, flags)
            return dconn.lookupByName(_value(params, "destination_name") or self._ref.name)
        if flags & _wire.VIR_MIGRATE_TUNNELLED:
            raise _errors.report_error(_wire.VIR_ERR_OPERATION_INVALID, _wire.VIR_FROM_DOMAIN,
                                     "cannot perform tunnelled migration without using peer2peer flag")
        return self._version3(dconn, params, flags)

    def _version3(self, dconn, params, flags):
        """virDomainMigrateVersion3Full with parameters: the five steps, and their cleanup."""
        rpc, drpc = self._conn._rpc, dconn._rpc
        # Begin takes a migration job on the source; a failure after it still reaches Confirm.
        flags |= _wire.VIR_MIGRATE_CHANGE_PROTECTION
        cookie, xml = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_MIGRATE_BEGIN3_PARAMS, [self._ref, params, flags])
        state = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_STATE, [self._ref, 0])[0]
        if state == _wire.VIR_DOMAIN_PAUSED and not flags & _wire.VIR_MIGRATE_POSTCOPY_RESUME:
            flags |= _wire.VIR_MIGRATE_PAUSED
        dest_flags = flags & ~(_wire.VIR_MIGRATE_ABORT_ON_ERROR | _wire.VIR_MIGRATE_AUTO_CONVERGE)
        params = _replaced(params, "destination_xml", xml)
        try:
            cookie, uri_out = drpc.invoke(_wire.REMOTE_PROC_DOMAIN_MIGRATE_PREPARE3_PARAMS,
                                          [params, cookie, dest_flags])
            if uri_out:
                params = _replaced(params, "migrate_uri", uri_out)
            elif _value(params, "migrate_uri") is None:
                raise _errors.report_error(_wire.VIR_ERR_INTERNAL_ERROR, _wire.VIR_FROM_NONE,
                                         "domainMigratePrepare3 did not set uri")
        except _errors.libvirtError:
            self._confirm(params, _NO_COOKIE, flags, 1)
            raise
        first_error = None
        cancelled = 0
        notify_source = True
        if flags & _wire.VIR_MIGRATE_OFFLINE:
            cookie = _NO_COOKIE
        else:
            try:
                cookie = self._perform(None, params, cookie, flags)
            except _errors.libvirtError as e:
                first_error, notify_source, cancelled, cookie = e, False, 1, _NO_COOKIE  # the source cancelled already
        if _value(params, "destination_name") is None:
            params = _replaced(params, "destination_name", self._ref.name)
        ddomain = None
        try:
            dref, cookie = drpc.invoke(_wire.REMOTE_PROC_DOMAIN_MIGRATE_FINISH3_PARAMS,
                                       [params, cookie, dest_flags, cancelled])
            ddomain = dconn._domain_class()(dconn, dref)
        except _errors.libvirtError as e:
            first_error = first_error or e
            cookie = _NO_COOKIE
        if notify_source:
            self._confirm(params, cookie, flags, 1 if ddomain is None else 0)
        if ddomain is None:
            assert first_error is not None  # finish failed or had nothing to finish
            raise first_error
        return ddomain
