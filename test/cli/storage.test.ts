/** vsh against virsh 9.0: storage pool and volume commands. */
import { compareAll } from './harness';

compareAll({
  'pool-list': { script: 'pool-list; pool-list --all; pool-list --inactive; pool-list --details; pool-list --all --details' },
  'pool-list quiet': { script: 'pool-list --details', globals: ['-q', '-c', 'test:///default'] },
  'pool-info': { script: 'pool-info default-pool; pool-info dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566; pool-info nope' },
  'vol-list': { script: 'vol-list default-pool; vol-list default-pool --details; vol-list nope' },
  'vol-create-as': {
    script:
      'vol-create-as default-pool v1 10M; vol-create-as default-pool v2 1G --allocation 512M --format raw; vol-create-as default-pool v3 1x; vol-create-as nope v4 1k; vol-list default-pool --details',
  },
  'vol-info': {
    script:
      'vol-create-as default-pool v1 10M; vol-info v1 --pool default-pool; vol-info /default-pool/v1; vol-info v9 --pool default-pool; vol-info v9; vol-info v1 --pool nope',
  },
});
