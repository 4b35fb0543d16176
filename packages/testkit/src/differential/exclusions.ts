/**
 * Known differences between virtkit and libvirt on generated cases that are not bugs of the
 * XML rules, each with why. A case that differs and matches an entry is reported as excluded,
 * not failed. Keep this list short: a difference that is a virtkit bug is fixed, not listed.
 */
export interface Exclusion {
  /** Short name shown in reports. */
  id: string;
  /** Whether the generated input falls under this entry. */
  applies: (xml: string) => boolean;
  why: string;
}

export const EXCLUSIONS: Exclusion[] = [];

/** The first exclusion covering a case's input, if any. */
export function exclusionFor(xml: string): Exclusion | undefined {
  return EXCLUSIONS.find((e) => e.applies(xml));
}
