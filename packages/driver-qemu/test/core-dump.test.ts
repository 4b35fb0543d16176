/** virDomainCoreDump(WithFormat) on a running TCG QEMU: the files QEMU writes, and the domain's state afterwards. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainCoreDumpFlags as D,
  DomainCoreDumpFormat as F,
  DomainShutoffReason,
  DomainState,
  ErrorNumber,
  type Connect,
  type VirError,
} from '@virtkit/core';
import { cleanupRoot, domainXml, newRoot, openEmbed, rejection } from './driver-helpers';

const GUEST_BYTES = 64 * 1024 * 1024;
const PT_LOAD = 1;

/** The PT_LOAD segments of a 64-bit little-endian ELF core: guest-physical start and size in the file. */
function loadSegments(file: string): Array<{ paddr: number; filesz: number }> {
  const elf = fs.readFileSync(file);
  expect(elf.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  expect([elf[4], elf[5], elf.readUInt16LE(16)]).toEqual([2, 1, 4]); // ELFCLASS64, little endian, ET_CORE
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const segments = [];
  for (let i = 0; i < elf.readUInt16LE(56); i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== PT_LOAD) continue;
    segments.push({ paddr: Number(elf.readBigUInt64LE(ph + 24)), filesz: Number(elf.readBigUInt64LE(ph + 32)) });
  }
  return segments;
}

describe('core dumps on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('writes the guest memory as an ELF core and a kdump file, and refuses what libvirt refuses', async () => {
    const dom = await conn.createXML(domainXml('dumped'));
    const core = path.join(root, 'mem.core');
    await dom.coreDump(core, D.VIR_DUMP_MEMORY_ONLY);
    // The guest's RAM tiles [0, its size) without gaps (the BIOS ROM sits near 4 GiB). It is one segment
    // until the firmware shadows its ROM below 1 MiB, and several after that, so count bytes, not segments.
    const ram = loadSegments(core)
      .filter((s) => s.paddr < GUEST_BYTES)
      .sort((a, b) => a.paddr - b.paddr);
    expect(ram[0].paddr).toBe(0);
    for (let i = 1; i < ram.length; i++) expect(ram[i].paddr).toBe(ram[i - 1].paddr + ram[i - 1].filesz);
    expect(ram.reduce((sum, s) => sum + s.filesz, 0)).toBe(GUEST_BYTES);
    expect((await dom.getState()).state).toBe(DomainState.VIR_DOMAIN_RUNNING);

    const kdump = path.join(root, 'mem.kdump');
    await dom.coreDumpWithFormat(kdump, F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB, D.VIR_DUMP_MEMORY_ONLY | D.VIR_DUMP_LIVE);
    // QEMU writes kdump files in makedumpfile's flattened format: its header, then records of the kdump file.
    const flat = fs.readFileSync(kdump);
    expect(flat.subarray(0, 12).toString('latin1')).toBe('makedumpfile');
    expect(flat.subarray(0, 8192).includes('KDUMP   ')).toBe(true);

    const notMemory = (await rejection(dom.coreDumpWithFormat(kdump, F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB, 0))) as VirError;
    expect([notMemory.code, notMemory.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      'Operation not supported: kdump-compressed format is only supported with memory-only dump',
    ]);
    const unknown = (await rejection(dom.coreDumpWithFormat(kdump, 9, D.VIR_DUMP_MEMORY_ONLY))) as VirError;
    expect([unknown.code, unknown.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, "dumpformat '9' is not supported"]);
    const both = (await rejection(dom.coreDump(core, D.VIR_DUMP_CRASH | D.VIR_DUMP_LIVE))) as VirError;
    expect(both.message).toBe("Flags 'VIR_DUMP_CRASH' and 'VIR_DUMP_LIVE' are mutually exclusive");

    await dom.coreDump(core, D.VIR_DUMP_MEMORY_ONLY | D.VIR_DUMP_CRASH);
    expect(loadSegments(core).length).toBeGreaterThan(0);
    const after = (await rejection(dom.getState())) as VirError;
    // A transient domain is gone once crashed.
    expect(after.code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
  });

  it('dumps the whole QEMU state of a persistent domain and leaves it crashed with CRASH', async () => {
    const dom = await conn.defineXML(domainXml('full'));
    await dom.create();
    const file = path.join(root, 'full.core');
    await dom.coreDump(file, 0);
    // QEMU's migration stream starts with its magic 'QEVM'.
    expect(fs.readFileSync(file).subarray(0, 4).toString('latin1')).toBe('QEVM');
    expect((await dom.getState()).state).toBe(DomainState.VIR_DOMAIN_RUNNING);
    await dom.coreDump(file, D.VIR_DUMP_CRASH | D.VIR_DUMP_MEMORY_ONLY);
    expect(await dom.getState()).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED });
    await dom.undefine();
  });
});
