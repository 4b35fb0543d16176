/** vsh against virsh 9.0: domblkerror and domblkthreshold on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'domblkerror lists the made-up error of each disk of a running domain': {
    script: 'domblkerror test; domblkerror 1; destroy test; domblkerror test; domblkerror nosuch',
  },
  'domblkthreshold: option parsing, then the missing driver call': {
    script: 'domblkthreshold test vda 1M; domblkthreshold test vda 1x; domblkthreshold test vda -1; domblkthreshold nosuch vda 1',
  },
});
