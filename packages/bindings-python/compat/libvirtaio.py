"""libvirtaio for the opt-in `libvirt` compatibility module (see libvirt.py here), on virtkit.aio."""
import libvirt
from virtkit import aio as _aio

__all__ = ["getCurrentImpl", "virEventAsyncIOImpl", "virEventRegisterAsyncIOImpl"]


class virEventAsyncIOImpl(_aio.virEventAsyncIOImpl):
    """virtkit.aio's implementation, registered through `libvirt.virEventRegisterImpl` as libvirtaio does."""

    def _register_function(self):
        return libvirt.virEventRegisterImpl


_current_impl = None


def getCurrentImpl():
    return _current_impl


def virEventRegisterAsyncIOImpl(loop=None):
    global _current_impl
    _current_impl = virEventAsyncIOImpl(loop=loop).register()
    return _current_impl
