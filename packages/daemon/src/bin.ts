#!/usr/bin/env node
/** `virtkitd`: the daemon speaking libvirt's RPC protocol. Runs in the foreground. */
import { driver as qemuDriver } from '@virtkit/driver-qemu';
import { driver as testDriver } from '@virtkit/driver-test';
import { main } from './daemon-main';

main(process.argv.slice(2), [testDriver, qemuDriver]).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`virtkitd: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
