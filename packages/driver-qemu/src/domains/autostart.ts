import { formatDomainXml } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import { getAutostart } from './config';
import { parseForQemu } from './parse';
import { startDomain } from './start';

/** Start every persistent domain marked autostart that is not running; failures leave it shut off. */
export async function autostartDomains(driver: QemuDriver): Promise<Array<{ name: string; error?: string }>> {
  const out: Array<{ name: string; error?: string }> = [];
  for (const obj of driver.domains.all()) {
    const def = obj.persistentDef;
    if (!def || obj.active || !getAutostart(driver.paths, obj.name)) continue;
    try {
      await driver.withJob(obj, 'modify', 'qemuAutostartDomains', async () => {
        if (obj.active) return;
        const fresh = parseForQemu(formatDomainXml(def, { inactive: true, secure: true }), await driver.caps());
        await startDomain(driver, obj, fresh, false);
      });
      out.push({ name: obj.name });
    } catch (e) {
      out.push({ name: obj.name, error: (e as Error).message });
    }
  }
  return out;
}
