/**
 * vsh against virsh 9.0: snapshot commands. Snapshots made by snapshot-create-as carry the
 * current time; listings use snapshots redefined from fixtures with a fixed <creationTime>.
 */
import { compareAll } from './harness';

const TREE =
  'snapshot-create test snap-s1.xml --redefine; snapshot-create test snap-s2.xml --redefine; ' +
  'snapshot-create test snap-s3.xml --redefine; snapshot-create test snap-s4.xml --redefine --current';

compareAll({
  'snapshot-create (redefine)': { script: `${TREE}; snapshot-create test missing.xml; snapshot-create nope snap-s1.xml` },
  'snapshot-create-as': {
    script:
      'snapshot-create-as test a; snapshot-create-as test b "a description"; snapshot-list test --name; snapshot-create-as test c --disk-only; snapshot-create-as test d --no-metadata',
  },
  'snapshot-create-as --halt': { script: 'snapshot-create-as test h --halt; list --all; snapshot-info test h' },
  'snapshot-create-as --print-xml': {
    script:
      'snapshot-create-as test x --print-xml --description "x & y" --diskspec vda,snapshot=external,file=/tmp/x.qcow2,driver=qcow2; snapshot-create-as test --print-xml',
  },
  'snapshot-list': { script: `${TREE}; snapshot-list test; snapshot-list test --parent; snapshot-list test --name` },
  'snapshot-list --tree': { script: `${TREE}; snapshot-list test --tree` },
  'snapshot-list --roots/--leaves/--no-leaves': {
    script: `${TREE}; snapshot-list test --roots; snapshot-list test --leaves; snapshot-list test --no-leaves`,
  },
  'snapshot-list --from/--descendants/--current': {
    script: `${TREE}; snapshot-list test --from s1; snapshot-list test --from s1 --descendants; snapshot-list test --from s1 --tree; snapshot-list test --current; snapshot-list test --from s2 --tree`,
  },
  'snapshot-list --topological': { script: `${TREE}; snapshot-list test --topological --parent` },
  'snapshot-list filters': {
    script: `${TREE}; snapshot-list test --metadata --name; snapshot-list test --no-metadata; snapshot-list test --internal --name; snapshot-list test --external; snapshot-list test --disk-only; snapshot-list test --active --name; snapshot-list test --inactive`,
  },
  'snapshot-list exclusive options': {
    script: `${TREE}; snapshot-list test --tree --name; snapshot-list test --roots --from s1; snapshot-list test --parent --tree; snapshot-list test --roots --tree`,
  },
  'snapshot-list empty': { script: 'snapshot-list test; snapshot-list test --tree; snapshot-list test --name' },
  'snapshot-info': {
    script: `${TREE}; snapshot-info test s1; snapshot-info test s2; snapshot-info test --current; snapshot-info test nope`,
  },
  'snapshot-dumpxml': { script: `${TREE}; snapshot-dumpxml test s2; snapshot-dumpxml test nope` },
  'snapshot-current': { script: `snapshot-current test; ${TREE}; snapshot-current test --name; snapshot-current test` },
  'snapshot-current quiet': {
    script: `${TREE}; snapshot-current test --name; snapshot-parent test s4`,
    globals: ['-q', '-c', 'test:///default'],
  },
  'snapshot-parent': {
    script: `${TREE}; snapshot-parent test s4; snapshot-parent test s1; snapshot-parent test --current; snapshot-parent test nope`,
  },
  'snapshot-revert': {
    script: `${TREE}; destroy test; snapshot-revert test s2; domstate test --reason; snapshot-current test --name; snapshot-revert test nope`,
  },
  'snapshot-delete': { script: `${TREE}; snapshot-delete test s4; snapshot-list test --tree; snapshot-delete test nope` },
  'snapshot-delete --children': { script: `${TREE}; snapshot-delete test s2 --children; snapshot-list test --tree` },
  'snapshot-delete --children-only': { script: `${TREE}; snapshot-delete test s1 --children-only; snapshot-list test --tree` },
  'snapshot-delete --metadata': { script: `${TREE}; snapshot-delete test s3 --metadata; snapshot-list test --name` },
});
