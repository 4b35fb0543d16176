/**
 * vsh against virsh 9.0: checkpoint commands. Listings use checkpoints redefined from fixtures
 * with a fixed <creationTime>; checkpoint-create-as ones are shown only where no time is printed.
 */
import { compareAll } from './harness';

const TREE =
  'checkpoint-create test cp-c1.xml --redefine; checkpoint-create test cp-c2.xml --redefine; ' +
  'checkpoint-create test cp-c3.xml --redefine';

compareAll({
  'checkpoint-create (redefine)': { script: `${TREE}; checkpoint-create test missing.xml` },
  'checkpoint-create-as': {
    script:
      'checkpoint-create-as test a --description hi; checkpoint-create-as test b; checkpoint-list test --name; checkpoint-list test --tree; checkpoint-create-as test --print-xml --description "d"',
  },
  'checkpoint-list': { script: `${TREE}; checkpoint-list test; checkpoint-list test --parent; checkpoint-list test --name` },
  'checkpoint-list --tree': { script: `${TREE}; checkpoint-list test --tree; checkpoint-list test --from c1 --tree` },
  'checkpoint-list --roots/--leaves/--from': {
    script: `${TREE}; checkpoint-list test --roots; checkpoint-list test --leaves; checkpoint-list test --no-leaves; checkpoint-list test --from c1; checkpoint-list test --from c1 --descendants`,
  },
  'checkpoint-list --topological': { script: `${TREE}; checkpoint-list test --topological --parent` },
  'checkpoint-list exclusive options': { script: `${TREE}; checkpoint-list test --tree --name; checkpoint-list test --roots --from c1` },
  'checkpoint-dumpxml': {
    script: `${TREE}; checkpoint-dumpxml test c2; checkpoint-dumpxml test c2 --no-domain; checkpoint-dumpxml test nope`,
  },
  'checkpoint-delete': {
    script: `${TREE}; checkpoint-delete test c2; checkpoint-list test --tree; checkpoint-delete test c1 --children-only; checkpoint-list test --name; checkpoint-delete test nope`,
  },
});

compareAll({
  'checkpoint-info and checkpoint-parent': {
    script:
      `${TREE}; checkpoint-info test c2; checkpoint-parent test c2; checkpoint-parent test c1; checkpoint-info test c1; ` +
      'checkpoint-info test; checkpoint-parent test; checkpoint-info test --checkpointname c3; checkpoint-info test nope; checkpoint-parent nope c1',
  },
  'checkpoint-create flags': {
    script:
      `${TREE}; checkpoint-create test cp-c3.xml --redefine-validate; checkpoint-create test cp-c3.xml --redefine --redefine-validate; ` +
      'checkpoint-create test cp-c1.xml --quiesce; checkpoint-create test --redefine; checkpoint-dumpxml test c2 --security-info; checkpoint-list test --table',
  },
  'backup and job commands (unsupported by the test driver)': {
    script:
      'backup-begin test; backup-begin test --backupxml nope.xml; backup-begin test --reuse-external --checkpointxml cp-c1.xml; ' +
      'backup-dumpxml test; domjobinfo test; domjobinfo test --completed; domjobinfo test --completed --keep-completed; ' +
      'domjobinfo test --keep-completed; domjobinfo test --anystats; domjobinfo test --rawstats; domjobabort test; domjobabort test --postcopy; ' +
      'domjobinfo nope; backup-dumpxml nope',
  },
});
