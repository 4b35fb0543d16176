"""Calls every libvirt-python method whose shape libvirt-python makes by hand and virtkit now binds
(CPU maps, IOThreads, tuning and disk I/O parameters, host statistics, PM calls, a checkpoint's domain,
network, storage pool and node device events) on test:///default, and prints one line per call:
its result, or the libvirtError's code, domain and message, or the Python exception.
test_libvirt_python_overrides.py runs it with libvirt-python and with virtkit against libvirtd
and virtkitd and compares the transcripts.

    python3 override_transcript.py URI
"""
import sys
import threading
import time

import libvirt


def show(label, call, *args):
    try:
        result = call(*args)
    except libvirt.libvirtError as e:
        result = "libvirtError %s %s %s" % (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    except (TypeError, LookupError) as e:
        result = "%s: %s" % (type(e).__name__, e)
    print("%s: %r" % (label, result))


def host(conn):
    show("getCPUMap", conn.getCPUMap)
    show("getCPUStats all", conn.getCPUStats, libvirt.VIR_NODE_CPU_STATS_ALL_CPUS)
    show("getCPUStats 0", conn.getCPUStats, 0)
    show("getMemoryStats all", conn.getMemoryStats, libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS)
    show("getMemoryStats 0", conn.getMemoryStats, 0)


def vcpus(dom):
    show("vcpus", lambda: (dom.vcpus()[0][0][:2], dom.vcpus()[1]))
    show("pinVcpu", dom.pinVcpu, 0, (True, False, True))
    show("pinVcpu list", dom.pinVcpu, 0, [True])
    show("pinVcpu bad vcpu", dom.pinVcpu, 64, (True,))
    show("vcpus after pin", lambda: dom.vcpus()[1])
    show("pinVcpuFlags config", dom.pinVcpuFlags, 1, (False, True), libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    show("vcpuPinInfo", dom.vcpuPinInfo)
    show("vcpuPinInfo config", dom.vcpuPinInfo, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    show("emulatorPinInfo", dom.emulatorPinInfo)
    show("pinEmulator", dom.pinEmulator, (False, True, True))
    show("emulatorPinInfo after pin", dom.emulatorPinInfo)


def iothreads(dom):
    show("ioThreadInfo", dom.ioThreadInfo)
    show("addIOThread", dom.addIOThread, 3, 0)
    show("pinIOThread", dom.pinIOThread, 3, (True, True), 0)
    show("ioThreadInfo after pin", dom.ioThreadInfo)
    show("setIOThreadParams", dom.setIOThreadParams, 3, {"poll_max_ns": 1000, "poll_grow": 2}, 0)
    show("setIOThreadParams not a dict", dom.setIOThreadParams, 3, [("poll_grow", 2)], 0)
    show("setIOThreadParams unknown type", dom.setIOThreadParams, 3, {"other": object()}, 0)


def tuning(dom):
    for name in ("memory", "blkio", "numa"):
        get = getattr(dom, name + "Parameters")
        show(name + "Parameters", get)
        show(name + "Parameters config", get, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    show("setMemoryParameters", dom.setMemoryParameters, {"hard_limit": 2097152}, 0)
    show("memoryParameters after set", dom.memoryParameters)
    show("setMemoryParameters empty", dom.setMemoryParameters, {}, 0)
    show("setMemoryParameters unknown", dom.setMemoryParameters, {"no_such_limit": 1}, 0)
    show("setBlkioParameters", dom.setBlkioParameters, {"weight": 700}, 0)
    show("blkioParameters after set", dom.blkioParameters)
    show("setNumaParameters", dom.setNumaParameters, {"numa_nodeset": "0"}, 0)
    show("blockIoTune", dom.blockIoTune, "vda")
    show("setBlockIoTune", dom.setBlockIoTune, "vda", {"total_bytes_sec": 1048576, "group_name": "transcript"}, 0)
    show("blockIoTune after set", dom.blockIoTune, "vda")
    show("setBlockIoTune unknown", dom.setBlockIoTune, "vda", {"no_such_limit": 1}, 0)
    show("blockIoTune no disk", dom.blockIoTune, "sdz")
    show("perfEvents", dom.perfEvents)
    show("setPerfEvents", dom.setPerfEvents, {"cmt": True}, 0)


def power(dom):
    show("pMSuspendForDuration", dom.pMSuspendForDuration, libvirt.VIR_NODE_SUSPEND_TARGET_MEM, 0, 0)
    show("pMWakeup", dom.pMWakeup, 0)


NETWORK = """<network><name>transcript-net</name>
<bridge name="virbr-tr0"/><ip address="192.168.213.1" netmask="255.255.255.0"/></network>"""


def checkpoints(dom):
    checkpoint = dom.checkpointCreateXML("<domaincheckpoint><name>transcript-cp</name></domaincheckpoint>", 0)
    owner = checkpoint.getDomain()
    show("checkpoint getDomain", lambda: (owner.name(), owner.UUIDString() == dom.UUIDString()))
    checkpoint.delete(0)


def network_events(conn):
    events = []
    callback = conn.networkEventRegisterAny(
        None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
        lambda c, net, event, detail, opaque: events.append((net.name(), event, detail, opaque)), "all")
    net = conn.networkDefineXML(NETWORK)
    net.create()
    net.destroy()
    net.undefine()
    deadline = time.time() + 5
    while len(events) < 4 and time.time() < deadline:
        time.sleep(0.05)
    print("network events: %r" % events)
    show("networkEventDeregisterAny", conn.networkEventDeregisterAny, callback)
    show("networkEventDeregisterAny again", conn.networkEventDeregisterAny, callback)


POOL = """<pool type='dir'><name>transcript-pool</name>
<uuid>7c1b2d3e-4f50-4a61-8b72-9c83d4e5f6a7</uuid><target><path>/transcript-pool</path></target></pool>"""
VHBA = """<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='fc_host'>
<wwnn>2001001b32a9da4e</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>"""


def pool_and_device_events(conn):
    events = []
    pools = conn.storagePoolEventRegisterAny(
        None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        lambda c, pool, event, detail, opaque: events.append((pool.name(), event, detail, opaque)), "pools")
    default = conn.storagePoolLookupByName("default-pool")
    refreshes = conn.storagePoolEventRegisterAny(
        default, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
        lambda c, pool, opaque: events.append((pool.name(), opaque)), "refresh of default-pool")
    devices = conn.nodeDeviceEventRegisterAny(
        None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
        lambda c, dev, event, detail, opaque: events.append((dev.name(), event, detail, opaque)), "devices")
    pool = conn.storagePoolDefineXML(POOL, 0)
    pool.build(0)
    pool.create(0)
    pool.refresh(0)
    default.refresh(0)
    pool.destroy()
    pool.delete(0)
    pool.undefine()
    conn.nodeDeviceCreateXML(VHBA, 0).destroy()
    deadline = time.time() + 5
    while len(events) < 9 and time.time() < deadline:
        time.sleep(0.05)
    print("pool and device events: %r" % events)
    show("storagePoolEventDeregisterAny", conn.storagePoolEventDeregisterAny, pools)
    show("storagePoolEventDeregisterAny refresh", conn.storagePoolEventDeregisterAny, refreshes)
    show("nodeDeviceEventDeregisterAny", conn.nodeDeviceEventDeregisterAny, devices)
    show("nodeDeviceEventDeregisterAny again", conn.nodeDeviceEventDeregisterAny, devices)


def main(uri):
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("test")
    host(conn)
    vcpus(dom)
    iothreads(dom)
    tuning(dom)
    power(dom)
    checkpoints(dom)
    network_events(conn)
    pool_and_device_events(conn)
    stop.set()
    libvirt.virEventAddTimeout(0, lambda timer, opaque: None, None)   # wake the loop to end it
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
