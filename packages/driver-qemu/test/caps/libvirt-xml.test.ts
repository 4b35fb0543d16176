import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseQemuCapsXml } from '../../src/caps/libvirt-xml';
import { findMachine } from '../../src/caps/types';

const CAPS = path.resolve(__dirname, '../../../../test/fixtures/qemucaps/caps_8.0.0.x86_64.xml');

describe('parseQemuCapsXml', () => {
  const text = readFileSync(CAPS, 'utf8');

  it('reads version, flags, machines and CPU models', () => {
    const caps = parseQemuCapsXml(text);
    expect(caps.emulator).toBe('/usr/bin/qemu-system-x86_64');
    expect(caps.version).toBe(7002050);
    expect(caps.arch).toBe('x86_64');
    expect(caps.flags.has('machine-hpet')).toBe(true);
    expect(findMachine(caps, 'tcg', 'pc')?.name).toBe('pc-i440fx-8.0');
    expect(caps.cpuModels.kvm.some((m) => m.name === 'qemu64')).toBe(true);
  });

  it('flattens machine aliases on request', () => {
    const caps = parseQemuCapsXml(text, { flattenAliases: true });
    const pc = caps.machines.tcg.find((m) => m.name === 'pc');
    expect(pc).toMatchObject({ name: 'pc', alias: undefined, defaultRAMid: 'pc.ram' });
    expect(caps.machines.tcg.some((m) => m.alias !== undefined)).toBe(false);
  });
});
