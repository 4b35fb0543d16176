"""The Python bindings against a daemon: list, look up, start, watch events, handle errors.

    PYTHONPATH=packages/bindings-python python3 examples/python/domains.py 'test+unix:///default?socket=DIR/virtkit-sock'
"""
import sys

import virtkit


def main(uri):
    conn = virtkit.open(uri)
    try:
        events = []
        conn.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                    lambda _conn, dom, event, detail, _opaque: events.append((dom.name(), event)), None)
        for dom in conn.listAllDomains():
            state, max_mem, _mem, vcpus, _cpu = dom.info()
            print("%s: state %d, %d vCPU, %d KiB" % (dom.name(), state, vcpus, max_mem))

        dom = conn.lookupByName("test")
        dom.destroy()
        dom.create()
        print("restarted %s as id %d (lookup by id: %s)" % (dom.name(), dom.ID(), conn.lookupByID(dom.ID()).name()))
        while len(events) < 2:
            conn._rpc.run_event_loop_once(5)
        print("events:", ", ".join("%s %d" % e for e in events))

        try:
            conn.lookupByName("no-such-domain")
        except virtkit.libvirtError as e:
            print("error %d: %s" % (e.get_error_code(), e.get_error_message()))
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
