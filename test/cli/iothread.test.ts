/** vsh against virsh 9.0: IOThread and blkiotune commands on libvirt's example test node, byte for byte. */
import * as path from 'node:path';
import { compareAll } from './harness';

const NODE = path.resolve(__dirname, '../fixtures/libvirt-virsh/examples/xml/test/testnode.xml');
const globals = ['-c', `test://${NODE}`];

// Not compared here: dumpxml of these node-file domains, whose other elements (os, console, disk
// defaults) are the domain XML model's business; the <iothreads>, <cputune> and <blkiotune> it
// writes are checked in packages/driver-test/test/iothreads.test.ts.

compareAll({
  'iothreadinfo, iothreadadd, iothreaddel and their errors': {
    globals,
    script:
      'iothreadinfo fc4; iothreadinfo fc4 --config; iothreadadd fc4 6; iothreadadd fc4 6; iothreadadd fc4 0; iothreadinfo fc4; ' +
      'iothreaddel fc4 2; iothreaddel fc4 9; iothreadinfo fc4; iothreadinfo fc5; iothreadadd fc5 2 --config; ' +
      'iothreadinfo fc5 --config; iothreadinfo fc4 --live --config',
  },
  'iothreadpin and iothreadset, seen by iothreadinfo and domstats': {
    globals,
    script:
      'iothreadpin fc4 4 1-2; iothreadinfo fc4; iothreadpin fc4 9 1; iothreadset fc4 4 --poll-max-ns 5; ' +
      'iothreadset fc4 9 --poll-max-ns 5; domstats fc4; domstats fc4 --iothread; iothreadset fc4 4; ' +
      'iothreadset fc4 4 --poll-grow -1; iothreadset fc4 2 --poll-grow 10 --poll-shrink 10; domstats fc4 --iothread',
  },
  'blkiotune get and set, live and persistent': {
    globals,
    script:
      'blkiotune fv0; blkiotune fv0 --weight 500 --device-weights /dev/hda,1000; blkiotune fv0; blkiotune fc4; ' +
      'blkiotune fv0 --config; blkiotune fv0 --weight 0; blkiotune fv0 --device-read-iops-sec /dev/sdb,5 --config; ' +
      'blkiotune fv0 --config',
  },
});
