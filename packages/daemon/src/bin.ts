#!/usr/bin/env node
/** `virtkitd`: the daemon speaking libvirt's RPC protocol. Runs in the foreground. */
import { runProcess } from '@virtkit/core';
import { driver as lxcDriver } from '@virtkit/driver-lxc';
import { driver as qemuDriver } from '@virtkit/driver-qemu';
import { driver as testDriver } from '@virtkit/driver-test';
import { driver as xenDriver } from '@virtkit/driver-xen';
import { main } from './daemon-main';

// A closed log pipe must not stop the daemon (libvirtd ignores SIGPIPE too); its last lines are flushed on exit.
runProcess(() => main(process.argv.slice(2), [testDriver, qemuDriver, xenDriver, lxcDriver]), {
  brokenPipe: 'ignore',
  onError: (e) => {
    process.stderr.write(`virtkitd: ${(e as Error).stack ?? e}\n`);
    return 1;
  },
});
