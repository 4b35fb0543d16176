/**
 * Tools for virtkit's own tests, never published: the runners that replay libvirt's test corpora
 * (`bin/corpus`), with the fake QEMU host they build command lines for.
 */
export { corpusKinds, corpusRunner, type CorpusRunner } from './corpus/index';
export { main as corpusMain, type CliIO } from './corpus/cli';
export {
  readCases,
  readOptional,
  resultFromComparison,
  runCase,
  compareExpected,
  unifiedDiff,
  type CaseResult,
  type CaseRow,
} from './corpus/common';
export { latestCaps, testHostContext } from './corpus/qemu/qemuxml2argv';
export * from './daemon';
export * from './libvirtd';
export { cleanupRoot } from './qemu-root';
export * from './requires';
export * from './pki';
export { waitFor } from './wait';
export * from './differential/index';
export * from './interrupted-start';
export * from './hostile-names';
export * from './tiny-guest';
export * from './netns';
export * from './busybox-rootfs';
export {
  LIBVIRT_TESTS_TREE,
  VIRSH_SCRIPTS,
  runVirshCase,
  runVirshScript,
  toolsTree,
  virshtestCases,
  type VirshCase,
  type VirshOutcome,
} from './libvirt-virsh-tests';
export * from './virt-install-sweep';
