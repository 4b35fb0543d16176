/** virsh's vshStringToArray: split on ',', where ',,' stands for a literal comma. */
export function splitCommas(s: string): string[] {
  const parts = s.split(',');
  const out = [parts[0]];
  let concat = false;
  for (const p of parts.slice(1)) {
    if (concat) {
      out[out.length - 1] += `,${p}`;
      concat = false;
    } else if (p === '') {
      concat = true;
    } else {
      out.push(p);
    }
  }
  if (concat) out.push('');
  return out;
}
