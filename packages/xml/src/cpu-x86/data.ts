/**
 * x86 CPU data as sets of bits: CPUID output registers (by leaf, sub-leaf and register) and MSR
 * halves (by index and half), the form the CPU map describes features in.
 */

/** Bits by register: `cpuid:<leaf>:<subleaf>:<reg>` or `msr:<index>:<half>` → 32-bit mask. */
export class X86Data {
  readonly regs = new Map<string, number>();

  /** Set the bits of `mask` in register `key`. */
  set(key: string, mask: number): void {
    if (mask === 0) return;
    this.regs.set(key, ((this.regs.get(key) ?? 0) | mask) >>> 0);
  }

  clone(): X86Data {
    const out = new X86Data();
    for (const [k, v] of this.regs) out.regs.set(k, v);
    return out;
  }

  /** Add every bit of `other`. */
  add(other: X86Data): void {
    for (const [k, v] of other.regs) this.set(k, v);
  }

  /** Clear every bit of `other`. */
  subtract(other: X86Data): void {
    for (const [k, v] of other.regs) {
      const left = ((this.regs.get(k) ?? 0) & ~v) >>> 0;
      if (left) this.regs.set(k, left);
      else this.regs.delete(k);
    }
  }

  /** Keep only the bits `other` also has. */
  intersect(other: X86Data): void {
    for (const [k, v] of [...this.regs]) {
      const left = (v & (other.regs.get(k) ?? 0)) >>> 0;
      if (left) this.regs.set(k, left);
      else this.regs.delete(k);
    }
  }

  /** Whether every bit of `other` is set here (an empty `other` is not contained). */
  contains(other: X86Data): boolean {
    if (other.regs.size === 0) return false;
    for (const [k, v] of other.regs) if (((this.regs.get(k) ?? 0) & v) >>> 0 !== v) return false;
    return true;
  }
}
