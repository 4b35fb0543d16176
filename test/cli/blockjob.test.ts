/**
 * vsh against virsh 9.0 on the test driver: domblklist, domblkinfo, and the block job commands'
 * option checks, XML printing and errors (libvirt's test driver has no block jobs, so every job
 * call ends in its "not supported" error; blockjob-qemu.test.ts runs the jobs on QEMU).
 */
import { compareAll } from './harness';

compareAll({
  domblklist: { script: 'domblklist test; domblklist test --details; domblklist test --inactive; domblklist nope' },
  'domblklist quiet': { script: 'domblklist test --details', globals: ['-q', '-c', 'test:///default'] },
  'domblkinfo errors': { script: 'domblkinfo test; domblkinfo nope vda; domblkinfo nope' },
  domblkinfo: {
    script:
      'domblkinfo test vda; domblkinfo test /guest/diskimage1; domblkinfo test vda --human; domblkinfo test --all; domblkinfo test --all --human; domblkinfo test hda',
  },
  'blockcommit option checks': {
    script:
      'blockcommit test vda --verbose; blockcommit test vda --async; blockcommit test vda --timeout 0; blockcommit test vda --timeout x; ' +
      'blockcommit test vda --timeout -1; blockcommit test vda --bandwidth 1x; blockcommit test vda --pivot --keep-overlay; blockcommit nope vda; ' +
      'blockcommit test vda --keep-overlay --verbose --async',
  },
  'blockcommit unsupported': {
    script:
      'blockcommit test vda; blockcommit test vda --wait --verbose; blockcommit test vda --bandwidth 10M; blockcommit test vda --active --pivot ' +
      '--base vda[1] --top vda[0] --shallow --delete --keep-relative --bytes --bandwidth 1024 --timeout 5',
  },
  blockpull: {
    script:
      'blockpull test vda; blockpull test vda --verbose; blockpull test vda --async; blockpull test vda --base x; ' +
      'blockpull test vda --wait --verbose --timeout 2; blockpull test vda --keep-relative --bytes --bandwidth 1k; blockpull test vda --bandwidth -1',
  },
  blockcopy: {
    script:
      'blockcopy test vda; blockcopy test vda --dest /x; blockcopy test vda --dest /x --print-xml --format qcow2; ' +
      'blockcopy test vda --dest /x --print-xml; blockcopy test vda --dest "/x&y" --print-xml --blockdev; blockcopy test vda --xml demo.xml --print-xml; ' +
      'blockcopy test vda --dest /x --xml y; blockcopy test vda --dest /x --verbose; blockcopy test vda --dest /x --pivot --finish; ' +
      'blockcopy test vda --dest /x --format raw; blockcopy test vda --dest /x --granularity 512 --wait; blockcopy test vda --dest /x --buf-size x; ' +
      'blockcopy test vda --xml missing.xml; blockcopy test vda --xml y --blockdev; blockcopy test vda --dest /x --transient-job --synchronous-writes --reuse-external --shallow',
  },
  'blockcopy --raw (alias of --format raw)': {
    script:
      'blockcopy test vda --dest /x --raw; blockcopy test vda --dest /x --raw --format qcow2; blockcopy test vda --dest /x --raw --print-xml; ' +
      'blockcopy test vda --dest /x --format qcow2 --raw',
  },
  blockjob: {
    script:
      'blockjob test vda; blockjob test vda --info; blockjob test vda --raw; blockjob test vda --abort; blockjob test vda --bandwidth 5; ' +
      'blockjob test vda --raw --abort; blockjob test vda --info --bandwidth 3; blockjob test vda --bytes --pivot; blockjob test vda --async; ' +
      'blockjob test vda --pivot; blockjob test vda --bytes --info; blockjob nope vda; blockjob test vda --bandwidth 2x',
  },
});
