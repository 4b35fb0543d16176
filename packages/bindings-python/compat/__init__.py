"""virtkit's opt-in `libvirt` compatibility modules (libvirt, libvirtaio, libvirtmod).

This directory is never on the module path by itself. To run code written for libvirt-python
on virtkit, put it first: `PYTHONPATH=$(python3 -m virtkit.compat) python3 app.py`.
"""
import os


def path():
    """The directory to put on PYTHONPATH."""
    return os.path.dirname(os.path.abspath(__file__))
