#!/usr/bin/env python3
"""
A STAND-IN for xenconsoled, started by the xl stand-in for each domain it creates (not Xen):
it holds a pty as xenconsoled does for a domain's console, prints the pty's path and its own pid,
then runs detached, playing the guest: a greeting, then it echoes what it receives. It ends when
its domain leaves the stand-in's state (destroyed, shut down, saved) or on SIGTERM.

usage: xenconsoled-stand-in.py STATE_FILE DOMAIN_NAME
"""
import json
import os
import pty
import select
import sys
import tty

state_file, name = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
# xenconsoled hands out raw ptys: the console carries the guest's bytes unchanged.
tty.setraw(slave)
tty_path = os.ttyname(slave)

pid = os.fork()
if pid:
    print(tty_path, pid, flush=True)
    os._exit(0)
os.setsid()
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)


def still_mine():
    try:
        with open(state_file) as f:
            domains = json.load(f)["domains"]
    except (OSError, ValueError):
        return False
    return any(d.get("name") == name and d.get("consolePid") == os.getpid() for d in domains)


# The xl stand-in records this pid once this process has started: wait for that first.
for _ in range(100):
    if still_mine():
        break
    select.select([], [], [], 0.1)
os.write(master, f"{name} console (xenconsoled stand-in)\r\n".encode())
while still_mine():
    ready, _, _ = select.select([master], [], [], 0.5)
    if ready:
        # The slave stays open here, so a client closing its end never ends the console.
        os.write(master, os.read(master, 4096))
