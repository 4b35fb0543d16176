"""The hand-written half of virDomain: the calls libvirt-python shapes by hand (its
libvirt-override.c) around CPU maps, IOThreads and hinted typed parameters.

The generated virDomain (in _generated.py) inherits from virDomainBase and adds one method per
call of the API definition whose arguments and result libvirt-python passes through as they are.
"""
from typing import Any

from . import _wire
from ._cpumap import from_tuple, map_length, node_cpu_count, to_tuple

# The types libvirt-python gives setIOThreadParams' fields (its virPyDomainSetIOThreadParams);
# other fields get a type from their Python value.
_IOTHREAD_PARAM_TYPES = {
    "poll_max_ns": _wire.VIR_TYPED_PARAM_ULLONG,
    "poll_grow": _wire.VIR_TYPED_PARAM_UINT,
    "poll_shrink": _wire.VIR_TYPED_PARAM_UINT,
    "thread_pool_min": _wire.VIR_TYPED_PARAM_INT,
    "thread_pool_max": _wire.VIR_TYPED_PARAM_INT,
}


def _value_type(field, value):
    """libvirt-python's type for an unhinted value (virPyDictToTypedParamOne)."""
    if isinstance(value, str):
        return _wire.VIR_TYPED_PARAM_STRING
    if isinstance(value, bool):
        return _wire.VIR_TYPED_PARAM_BOOLEAN
    if isinstance(value, int):
        return _wire.VIR_TYPED_PARAM_ULLONG if value >= 0 else _wire.VIR_TYPED_PARAM_LLONG
    if isinstance(value, float):
        return _wire.VIR_TYPED_PARAM_DOUBLE
    raise TypeError('Unknown type of "%s" field' % field)


def _hinted_params(params, hints):
    """[(field, type, value)] from a dict; a list or tuple value repeats its field."""
    triples = []
    for field, value in params.items():
        for one in value if isinstance(value, (list, tuple)) else (value,):
            kind = hints.get(field)
            triples.append((field, _value_type(field, one) if kind is None else kind, one))
    return triples


class virDomainBase(object):
    """CPU affinity and IOThreads, in libvirt-python's shapes."""

    _conn: Any  # the virConnect, set by the generated class
    _ref: Any   # the domain's wire handle, set by the generated class

    def _vcpu_count(self):
        """The domain's vCPU count as virDomainGetInfo reports it, which libvirt-python sizes replies by."""
        return self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_INFO, [self._ref])[3]

    def vcpus(self):
        """([(number, state, cpuTime, cpu), ...], [cpumap tuple per vCPU]) of the running domain."""
        rpc = self._conn._rpc
        cpunum = node_cpu_count(rpc)
        nvcpus = self._vcpu_count()
        info, cpumaps = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_VCPUS, [self._ref, nvcpus, map_length(cpunum)])
        vcpus = [(v["number"], v["state"], v["cpu_time"], v["cpu"]) for v in info]
        # libvirt's client zero-fills the maps of vCPUs the reply leaves out
        return vcpus + [(0, 0, 0, 0)] * (nvcpus - len(vcpus)), [to_tuple(cpumaps, cpunum, i) for i in range(nvcpus)]

    def pinVcpu(self, vcpu, cpumap):
        """Pin a vCPU of the running domain to the host CPUs set in the tuple cpumap."""
        cpunum = node_cpu_count(self._conn._rpc)
        self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_PIN_VCPU, [self._ref, vcpu, from_tuple(cpumap, cpunum)])
        return 0

    def pinVcpuFlags(self, vcpu, cpumap, flags=0):
        """pinVcpu, live and/or in the persistent definition."""
        cpunum = node_cpu_count(self._conn._rpc)
        self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS,
                               [self._ref, vcpu, from_tuple(cpumap, cpunum), flags])
        return 0

    def vcpuPinInfo(self, flags=0):
        """[cpumap tuple per vCPU], live or as configured."""
        rpc = self._conn._rpc
        cpunum = node_cpu_count(rpc)
        nvcpus = self._vcpu_count()
        cpumaps = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_VCPU_PIN_INFO,
                             [self._ref, nvcpus, map_length(cpunum), flags])[0]
        return [to_tuple(cpumaps, cpunum, i) for i in range(nvcpus)]

    def pinEmulator(self, cpumap, flags=0):
        """Pin the domain's emulator threads to the host CPUs set in the tuple cpumap."""
        cpunum = node_cpu_count(self._conn._rpc)
        self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_PIN_EMULATOR, [self._ref, from_tuple(cpumap, cpunum), flags])
        return 0

    def emulatorPinInfo(self, flags=0):
        """The emulator threads' cpumap tuple, live or as configured."""
        rpc = self._conn._rpc
        cpunum = node_cpu_count(rpc)
        cpumap = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_EMULATOR_PIN_INFO, [self._ref, map_length(cpunum), flags])[0]
        return to_tuple(cpumap, cpunum)

    def ioThreadInfo(self, flags=0):
        """[(iothread_id, [bool per host CPU]), ...], live or as configured."""
        rpc = self._conn._rpc
        cpunum = node_cpu_count(rpc)
        info = rpc.invoke(_wire.REMOTE_PROC_DOMAIN_GET_IOTHREAD_INFO, [self._ref, flags])[0]
        return [(t["iothread_id"], list(to_tuple(t["cpumap"], cpunum))) for t in info]

    def pinIOThread(self, iothread_val, cpumap, flags=0):
        """Pin an IOThread to the host CPUs set in the tuple cpumap."""
        cpunum = node_cpu_count(self._conn._rpc)
        self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_PIN_IOTHREAD,
                               [self._ref, iothread_val, from_tuple(cpumap, cpunum), flags])
        return 0

    def setIOThreadParams(self, iothread_val, params, flags=0):
        """Change an IOThread's polling and thread-pool settings from a dict."""
        if not isinstance(params, dict):
            raise TypeError("IOThread polling params must be a dictionary")
        self._conn._rpc.invoke(_wire.REMOTE_PROC_DOMAIN_SET_IOTHREAD_PARAMS,
                               [self._ref, iothread_val, _hinted_params(params, _IOTHREAD_PARAM_TYPES), flags])
        return 0
