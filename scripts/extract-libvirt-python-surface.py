#!/usr/bin/python3
"""Writes api/python/libvirt-python-9.0.json: libvirt-python 9.0's public surface.

Run with the system interpreter that has libvirt-python 9.0 (Debian's python3-libvirt):
    /usr/bin/python3 scripts/extract-libvirt-python-surface.py > api/python/libvirt-python-9.0.json

It records, for the Python emitter of the generator (generator/src/emit-python.ts):
  - every class and public method with its argument list (names and default values as Python
    source) and the C function its body calls (`libvirtmod.virXxx`), so a method the API
    definition lacks can name it in its VIR_ERR_NO_SUPPORT error;
  - the module functions with their argument lists;
  - every VIR_* constant with its value (integers, and the strings naming typed parameters) (the emitter takes a constant from here only when no
    enum of api/ defines it, and fails when both define it with different values).
"""
import inspect
import json
import re
import sys

import libvirt

LIBVIRTMOD_CALL = re.compile(r"libvirtmod\.(vir[A-Za-z0-9_]+)\(")


def param_list(func, skip_self):
    params = []
    for i, p in enumerate(inspect.signature(func).parameters.values()):
        if skip_self and i == 0:
            continue
        entry = {"name": p.name}
        if p.default is not inspect.Parameter.empty:
            entry["default"] = repr(p.default)
        if p.kind == inspect.Parameter.VAR_POSITIONAL:
            entry["star"] = "*"
        params.append(entry)
    return params


def c_function(func):
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return None
    m = LIBVIRTMOD_CALL.search(source)
    return m.group(1) if m else None


def describe(func, skip_self):
    return {"params": param_list(func, skip_self), "c": c_function(func)}


def main():
    classes = {}
    functions = {}
    for name, value in sorted(vars(libvirt).items()):
        if inspect.isclass(value) and name.startswith("vir"):
            methods = {}
            for mname, member in sorted(vars(value).items()):
                if mname.startswith("_") or not inspect.isfunction(member):
                    continue
                methods[mname] = describe(member, True)
            classes[name] = {"methods": methods}
        elif inspect.isfunction(value) and not name.startswith("_") and value.__module__ == "libvirt":
            functions[name] = describe(value, False)
    constants = {n: v for n, v in sorted(vars(libvirt).items()) if n.startswith("VIR_") and isinstance(v, (int, str))}
    json.dump({
        "source": "libvirt-python %s (%s), LGPL-2.1-or-later; see NOTICE" % (
            libvirt.getVersion(), libvirt.__file__),
        "classes": classes,
        "functions": functions,
        "constants": constants,
    }, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
