/**
 * Domain names that once broke the state files (issue 12, item 5): each is a legal libvirt name
 * (anything but '/' and a newline) that a naive `NAME.xml` layout, header comment or temp-file
 * name mishandles. Shared by the driver and daemon restart tests and `bench/hostile-names.ts`.
 */

/** The set: name and what it exercises. */
export const HOSTILE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['--', 'ends an XML comment early'],
  ['a--b', '"--" inside an XML comment'],
  ['x-', 'a comment may not end in "-"'],
  ['.', 'file name starts with a dot'],
  ['..', 'file name starts with a dot'],
  ['.hidden', 'file name starts with a dot'],
  ['%2E', 'looks like an escaped dot'],
  ['100%', 'the escape character itself'],
  ['n'.repeat(250), 'file name (and temp name) over NAME_MAX'],
  ['é'.repeat(200), '400 bytes of UTF-8'],
  ['ünïcødé-домен-😀', 'multi-byte characters'],
  [`sp ace "dq" 'sq' <lt> & >`, 'spaces, quotes and markup characters'],
  ['tab\there', 'a tab'],
];

/** Escape a name for the text of `<name>`. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A domain definition for `name` (no devices: defining needs no QEMU process). */
export function hostileDomainXml(name: string, i: number): string {
  const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return (
    `<domain type='qemu'><name>${xmlText(name)}</name><uuid>${uuid}</uuid><memory unit='MiB'>64</memory>` +
    `<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`
  );
}
