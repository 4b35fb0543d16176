"""The few functions of libvirt-python's C module that code outside libvirt-python reaches for
(libvirt-python's tests register their event loop through it), for the compatibility module."""
from virtkit._event import virEventRegisterImpl  # noqa: F401
