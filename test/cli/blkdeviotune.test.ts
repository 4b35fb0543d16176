/** vsh against virsh 9.0: blkdeviotune on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'blkdeviotune get and set, live and persistent, with units and a group': {
    script:
      'blkdeviotune test vda; blkdeviotune test vda --total-bytes-sec 1k --total-bytes-sec-max 2KB --group-name g1; ' +
      'blkdeviotune test vda; blkdeviotune test vda --config; blkdeviotune test vda --read-iops-sec 10 --read-iops-sec-max 20 --config; ' +
      'blkdeviotune test vda --config; dumpxml test --inactive; dumpxml test',
  },
  'blkdeviotune refusals': {
    script:
      'blkdeviotune test vda --total-bytes-sec 100; blkdeviotune test vda --read-bytes-sec 5 --total-bytes-sec 5 --total-bytes-sec-max 9; ' +
      'blkdeviotune test vda --total-iops-sec 2000000000000000 --total-iops-sec-max 2000000000000000; blkdeviotune test vdb; ' +
      'blkdeviotune test vdb --size-iops-sec 3; blkdeviotune test vda --total-iops-sec x; blkdeviotune test vda --live --config; ' +
      'blkdeviotune test vda --current --live; blkdeviotune nosuch vda',
  },
});
