/** vsh against virsh 9.0: memtune, numatune and perf on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'memtune get and set, live and persistent, with units and unlimited': {
    script:
      'memtune test; memtune test --hard-limit 100000 --soft-limit 2G; memtune test; memtune test --config; ' +
      'memtune test --swap-hard-limit -1; memtune test --min-guarantee 5; memtune test --hard-limit 1M --config; ' +
      'memtune test --config; memtune test --hard-limit x; dumpxml test',
  },
  'numatune get and set': {
    script:
      'numatune test; numatune test --nodeset 0-1 --mode interleave; numatune test; numatune test --config; ' +
      'numatune test --mode bogus; numatune test --mode 1 --config; numatune test --config; dumpxml test --inactive',
  },
  'perf events': {
    script:
      'perf test; perf test --enable cmt,cpu_cycles --disable mbmt; perf test; perf test --config; perf test --enable bogus; ' +
      'perf test --disable cmt --config; dumpxml test',
  },
});
