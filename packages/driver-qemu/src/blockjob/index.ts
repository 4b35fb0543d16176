/** Block jobs (commit, pull, rebase, copy) online over QMP and offline with qemu-img. */
export { BlockJobs } from './engine';
export type { BlockJobEvent, BlockJobHost, ChainLayer } from './types';
export { diskChain, probeChain, readDiskChain, writeDiskChain } from './chain';
