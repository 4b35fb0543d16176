"""Module functions of libvirt-python about the library itself."""
from ._errors import make_error
from ._wire import VIR_ERR_NO_SUPPORT, VIR_FROM_NONE

# The libvirt release whose API and protocol virtkit implements (1000000*major + 1000*minor + release).
LIBVIRT_VERSION = 9000000

# Driver names virGetVersion knows (libvirt's hypervisor driver names).
_DRIVERS = ("Test", "QEMU", "LXC", "Xen", "Remote")


def getVersion(name=None):
    """libvirt's version as an integer; with a driver name, (library version, driver version)."""
    if name is None:
        return LIBVIRT_VERSION
    if name not in _DRIVERS:
        raise make_error(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE,
                         "this function is not supported by the connection driver: %s" % name)
    return (LIBVIRT_VERSION, LIBVIRT_VERSION)


def virInitialize():
    """Nothing to initialise in pure Python; 0 as libvirt."""
    return 0
