"""CPU maps between libvirt's bitmaps (one bit per host CPU, eight to a byte) and libvirt-python's
tuples of booleans, sized by the host's CPU count as libvirt-python's getPyNodeCPUCount learns it."""
from . import _wire


def node_cpu_count(rpc):
    """The host's CPU count: virNodeGetCPUMap asked for neither map nor online count."""
    return rpc.invoke(_wire.REMOTE_PROC_NODE_GET_CPU_MAP, [0, 0, 0])[2]


def map_length(cpunum):
    """Bytes of a map of cpunum CPUs (libvirt's VIR_CPU_MAPLEN)."""
    return (cpunum + 7) // 8


def cpu_used(cpumap, offset, cpu):
    """Whether bit `cpu` of the map starting at byte `offset` is set."""
    index = offset + cpu // 8
    return index < len(cpumap) and bool(cpumap[index] & (1 << (cpu % 8)))


def to_tuple(cpumap, cpunum, row=0):
    """Row `row` of consecutive maps as a tuple of cpunum booleans."""
    offset = row * map_length(cpunum)
    return tuple(cpu_used(cpumap, offset, cpu) for cpu in range(cpunum))


def from_tuple(pycpumap, cpunum):
    """A tuple of truth values as a map of cpunum CPUs; entries beyond cpunum are ignored."""
    if not isinstance(pycpumap, tuple):
        raise TypeError("Unexpected type, tuple is required")
    cpumap = bytearray(map_length(cpunum))
    for cpu, flag in enumerate(pycpumap[:cpunum]):
        if flag:
            cpumap[cpu // 8] |= 1 << (cpu % 8)
    return bytes(cpumap)
