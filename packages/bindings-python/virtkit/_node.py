"""virConnect's host calls that libvirt-python shapes by hand (its libvirt-override.c): the CPU
map as (count, [bool per CPU], online) and the CPU and memory statistics as {field: value}."""
from typing import Any

from . import _wire
from ._cpumap import to_tuple


def _stats(rpc, procedure, first, second, flags):
    """Ask how many fields there are, then for that many: hosts refuse any other count.
    `first` and `second` are the arguments around nparams, in the procedure's order."""
    def ask(nparams):
        return rpc.invoke(procedure, first + [nparams] + second + [flags])
    count = ask(0)[1]
    return {s["field"]: s["value"] for s in ask(count)[0]} if count else {}


class virConnectNodeBase(object):
    """Host CPU map and statistics."""

    _rpc: Any  # the connection's RpcConnection, set by virConnectBase

    def getCPUMap(self, flags=0):
        """(number of host CPUs, [bool per CPU: online], number online)."""
        cpumap, online, cpunum = self._rpc.invoke(_wire.REMOTE_PROC_NODE_GET_CPU_MAP, [1, 1, flags])
        return (cpunum, list(to_tuple(cpumap, cpunum)), online)

    def getCPUStats(self, cpuNum, flags=0):
        """{field: value} CPU time counters of one host CPU (or all: VIR_NODE_CPU_STATS_ALL_CPUS)."""
        return _stats(self._rpc, _wire.REMOTE_PROC_NODE_GET_CPU_STATS, [cpuNum], [], flags)

    def getMemoryStats(self, cellNum, flags=0):
        """{field: value} memory counters of one NUMA cell (or all: VIR_NODE_MEMORY_STATS_ALL_CELLS)."""
        return _stats(self._rpc, _wire.REMOTE_PROC_NODE_GET_MEMORY_STATS, [], [cellNum], flags)
