"""One backup round on libvirt through python3-libvirt, timed from the backupBegin() call to
the JOB_COMPLETED event: define + start the domain, a full push backup with checkpoint c1,
64 x 1 MiB guest writes (HMP qemu-io), an incremental since c1 with checkpoint c2, one since c2
with nothing dirty; then destroy + undefine (checkpoint metadata too). Prints one JSON object:
the seconds of each backup and the target files.

    python3 libvirt_round.py URI DOMAIN_XML_FILE TARGET_DIR
"""
import json
import os
import sys
import threading
import time

import libvirt
import libvirt_qemu

libvirt.virEventRegisterDefaultImpl()


def event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=event_loop, daemon=True).start()

TIMEOUT_S = 300


def push_xml(target, incremental=None):
    inc = "<incremental>%s</incremental>" % incremental if incremental else ""
    return ("<domainbackup>%s<disks><disk name='hda' type='file'><driver type='qcow2'/>"
            "<target file='%s'/></disk></disks></domainbackup>" % (inc, target))


def main():
    uri, xml_file, target_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    conn = libvirt.open(uri)
    completed = []
    done = threading.Condition()

    def on_job_completed(_conn, _dom, params, _opaque):
        with done:
            completed.append(params)
            done.notify_all()

    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, on_job_completed, None)
    with open(xml_file) as f:
        dom = conn.defineXML(f.read())
    try:
        dom.create()

        def backup(name, incremental=None, checkpoint=None):
            target = os.path.join(target_dir, name + ".qcow2")
            chk = "<domaincheckpoint><name>%s</name></domaincheckpoint>" % checkpoint if checkpoint else None
            with done:
                before = len(completed)
                t0 = time.perf_counter()
                dom.backupBegin(push_xml(target, incremental), chk, 0)
                if not done.wait_for(lambda: len(completed) > before, TIMEOUT_S):
                    raise SystemExit("no JOB_COMPLETED event for backup %s" % name)
                seconds = time.perf_counter() - t0
            params = completed[-1]
            if params.get("success") is not True:
                raise SystemExit("backup %s failed: %s" % (name, params.get("errmsg")))
            return seconds, target

        full_s, full = backup("full", None, "c1")
        for i in range(64):
            libvirt_qemu.qemuMonitorCommand(
                dom, 'qemu-io -d ide0-0-0 "write -P 0x77 %dM 1M"' % (i * 16),
                libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)
        inc_s, inc = backup("inc", "c1", "c2")
        idle_s, idle = backup("idle", "c2")
        print(json.dumps({"fullS": full_s, "incS": inc_s, "idleS": idle_s, "full": full, "inc": inc, "idle": idle}))
    finally:
        if dom.isActive():
            dom.destroy()
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)
        conn.close()


if __name__ == "__main__":
    main()
