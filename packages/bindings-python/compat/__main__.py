"""`python3 -m virtkit.compat` prints the directory holding the `libvirt` compatibility module."""
from . import path

print(path())
