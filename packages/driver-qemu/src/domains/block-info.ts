/**
 * virDomainGetBlockInfo for the QEMU driver: the sizes of a disk's top image. Capacity is what
 * the guest sees (the image's virtual size), allocation what the image occupies on the host,
 * physical the size of its file or device. libvirt reads allocation from QEMU's highest written
 * offset while a qcow2 disk runs; here it is always the host's block count, which is the same
 * for a file once QEMU has written.
 */
import * as fs from 'node:fs';
import { ErrorNumber, VirError, type BlockInfo, type DomainRef } from '@virtkit/core';
import { domainDiskByName } from '@virtkit/xml';
import { QemuImg } from '../storage/qemu-img';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU } from './errors';

const qemuImg = new QemuImg();

export async function blockInfo(driver: QemuDriver, ref: DomainRef, path: string, flags: number): Promise<BlockInfo> {
  checkFlags(flags, 0, 'qemuDomainGetBlockInfo');
  const disk = domainDiskByName(driver.domains.get(ref).def, path)?.disk;
  if (!disk) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `invalid path ${path} not assigned to domain`);
  const file = disk.source.path;
  if (!file) throw VirError.operationInvalid(`disk '${disk.targetDev}' does not currently have a source assigned`, FROM_QEMU);
  const info = await qemuImg.info(file, disk.driverType);
  const st = fs.statSync(file);
  const physical = st.isBlockDevice() ? Number(info.virtualSize) : st.size;
  return { capacity: Number(info.virtualSize), allocation: st.isBlockDevice() ? physical : st.blocks * 512, physical };
}
