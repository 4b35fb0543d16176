"""A small typed client of virtkit, checked by `mypy --strict` (test/python/test_bindings_typing.py)."""
import sys
from typing import Dict, List

import virtkit


def running_domains(conn: virtkit.virConnect) -> Dict[str, int]:
    """Name -> id of every running domain."""
    result: Dict[str, int] = {}
    for dom_id in conn.listDomainsID():
        dom: virtkit.virDomain = conn.lookupByID(dom_id)
        result[dom.name()] = dom.ID()
    return result


def snapshot_names(dom: virtkit.virDomain) -> List[str]:
    names: List[str] = dom.snapshotListNames()
    return names


def main(uri: str) -> int:
    try:
        conn = virtkit.open(uri)
    except virtkit.libvirtError as e:
        code: int = e.get_error_code()
        print("cannot connect (%d): %s" % (code, e.get_error_message()))
        return 1
    print(running_domains(conn))
    dom = conn.lookupByName("test")
    print(snapshot_names(dom), dom.isActive() == 1, virtkit.VIR_DOMAIN_RUNNING)
    state: int = dom.state()[0]
    print(state, conn.getVersion())
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
