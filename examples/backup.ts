/**
 * A push-mode backup of a running QEMU domain, waiting for its JOB_COMPLETED event. Everything
 * lives in a temporary qemu:///embed root (no daemon, nothing outside it), removed at the end.
 * Needs qemu-system-x86_64 and qemu-img.
 *   npx tsx examples/backup.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainEventID, open } from '@virtkit/core';
import { domainEvents } from './lib/domain-events';

const domainXml = (disk: string) => `<domain type='qemu'>
  <name>backup-example</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='hda' bus='ide'/>
    </disk>
  </devices>
</domain>`;

const backupXml = (target: string) => `<domainbackup>
  <disks>
    <disk name='hda' type='file'><driver type='qcow2'/><target file='${target}'/></disk>
  </disks>
</domainbackup>`;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-backup-example-'));
  const disk = path.join(root, 'disk.qcow2');
  const target = path.join(root, 'backup.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '32M']);
  const conn = await open(`qemu:///embed?root=${root}`);
  const dom = await conn.defineXML(domainXml(disk));
  try {
    await dom.create();
    console.log(`started ${dom.getName()} (id ${dom.getID()})`);

    const completions = await domainEvents(conn, DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, AbortSignal.timeout(60_000));
    await dom.backupBegin(backupXml(target), null);
    let completed = false;
    for await (const { event } of completions) {
      const params = event.params as { success?: boolean; disk_total?: number };
      console.log(`backup ${params.success ? 'completed' : 'failed'}: ${params.disk_total} bytes of disk`);
      completed = true;
      break;
    }
    if (!completed) throw new Error('no JOB_COMPLETED event within 60 s');
    console.log(`backup image: ${path.basename(target)}, ${fs.existsSync(target) ? 'present' : 'missing'}`);
  } finally {
    // A QEMU domain outlives its connection: stop it before the root goes away.
    if (await dom.isActive()) await dom.destroy();
    await dom.undefine();
    await conn.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
