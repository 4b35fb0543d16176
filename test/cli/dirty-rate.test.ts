/** vsh against virsh 9.0: domdirtyrate-calc's option handling on the test driver (which has no dirty rate call), byte for byte. */
import { compareAll } from './harness';

compareAll({
  'domdirtyrate-calc: domain, seconds and mode checks, then the missing driver call': {
    script:
      'domdirtyrate-calc test; domdirtyrate-calc test --seconds 5 --mode dirty-ring; domdirtyrate-calc test --mode bogus; ' +
      'domdirtyrate-calc test --seconds x; domdirtyrate-calc nosuch --seconds x',
  },
});
