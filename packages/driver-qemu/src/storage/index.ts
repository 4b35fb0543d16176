/** Dir storage pools and their volumes for the QEMU driver. */
export { DirStorage, type StorageMethods, type StorageSpi } from './dir-storage';
export type { DirStorageOptions } from './dir-pools';
export { storageDirsOf, type StorageDirs } from './pool-files';
export { QemuImg, parseImageInfo, type ImageInfo, type QemuImgOptions } from './qemu-img';
