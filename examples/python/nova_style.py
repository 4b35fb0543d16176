"""What a cloud compute driver (OpenStack Nova's libvirt driver) does with libvirt-python, as a
transcript that is the same whichever `libvirt` module runs it and whichever daemon answers:

    python3 nova_style.py 'test+unix:///default?socket=/run/libvirt/libvirt-sock'
    PYTHONPATH=packages/bindings-python/compat:packages/bindings-python python3 nova_style.py URI

It opens a connection with the default event loop running, reads capabilities, defines and
starts a guest, reads its info, XML, block and memory statistics, takes, lists, reverts to and
deletes a snapshot, collects lifecycle events, destroys and undefines the guest.
Values that depend on the daemon's clock or host (counters, capabilities text) are printed by
shape, not value.
"""
import sys
import threading
import time
import xml.etree.ElementTree as ET

import libvirt

GUEST = """<domain type='test'>
  <name>nova-instance-1</name>
  <uuid>5a9b3c1e-7d2f-4e8a-9b6c-1d2e3f4a5b6c</uuid>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/nova/instances/disk'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
"""


def shape(value):
    """The type structure of a value, for figures that differ between runs."""
    if isinstance(value, (list, tuple)):
        return "%s[%s]" % (type(value).__name__, ", ".join(shape(v) for v in value))
    if isinstance(value, dict):
        return "dict{%s}" % ", ".join(sorted(value))
    return type(value).__name__


def main(uri):
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    conn = libvirt.open(uri)
    events = []
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                lambda c, d, ev, detail, opaque: events.append((d.name(), ev, detail)), None)
    caps = ET.fromstring(conn.getCapabilities())
    print("capabilities:", caps.tag, caps.find("host") is not None)
    print("getInfo:", shape(conn.getInfo()))
    dom = conn.defineXML(GUEST)
    print("defined:", dom.name(), dom.UUIDString(), dom.ID(), dom.isActive(), dom.isPersistent())
    print("listDefinedDomains:", "nova-instance-1" in conn.listDefinedDomains())
    dom.create()
    print("started:", dom.ID() > 0, dom.isActive(), dom.ID() in conn.listDomainsID())
    print("info:", dom.info()[:4], shape(dom.info()[4]))
    print("state:", dom.state())
    desc = ET.fromstring(dom.XMLDesc(0))
    print("XMLDesc:", desc.findtext("name"), desc.findtext("uuid"), desc.find("devices/disk/target").get("dev"))
    print("blockStats:", shape(dom.blockStats("vda")))
    print("memoryStats:", shape(dom.memoryStats()))
    snap = dom.snapshotCreateXML("<domainsnapshot><name>nova-snap</name></domainsnapshot>", 0)
    print("snapshot:", snap.getName(), dom.snapshotNum(0), dom.snapshotListNames(0))
    print("revert:", dom.revertToSnapshot(snap, 0))
    print("snapshot delete:", snap.delete(0), dom.snapshotListNames())
    dom.destroy()
    print("destroyed:", dom.ID(), dom.isActive(), dom.info()[0])
    dom.undefine()
    deadline = time.time() + 5
    while len(events) < 4 and time.time() < deadline:
        time.sleep(0.05)
    print("events:", events[:4])
    try:
        conn.lookupByName("nova-instance-1")
    except libvirt.libvirtError as e:
        print("lookup after undefine:", e.get_error_code(), e.get_error_domain(), e.get_error_message())
    stop.set()
    libvirt.virEventAddTimeout(0, lambda timer, opaque: None, None)   # wake the loop to end it
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
