/**
 * qemuDomainDefPostParse's varstore for an old-style UEFI set-up (virDomainDefHasOldStyleROUEFI):
 * a read-only pflash loader with no `<nvram>` and not stateless gets `<nvram>` at
 * `<nvramDir>/<name>_VARS.fd`.
 */
import { insertChildOrdered, mkEl, OS_CHILD_ORDER, type DomainDef } from '@virtkit/xml';

export function addOldStyleNvram(def: DomainDef, nvramDir: string): void {
  const os = def.os.el;
  const loader = os.element('loader');
  if (loader?.attr('type') !== 'pflash' || loader.attr('readonly') !== 'yes' || loader.attr('stateless') === 'yes') return;
  if (os.element('nvram')) return;
  insertChildOrdered(os, mkEl('nvram', [], [], `${nvramDir}/${def.name}_VARS.fd`), OS_CHILD_ORDER);
}
