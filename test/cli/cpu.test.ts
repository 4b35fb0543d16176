/** vsh against virsh 9.0: cpu-models on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'cpu-models of the CPU map, and of architectures without models or a CPU driver': {
    script:
      'cpu-models x86_64; cpu-models i686; cpu-models ppc64le; cpu-models aarch64; cpu-models s390x; cpu-models mips; cpu-models bogus',
  },
});
