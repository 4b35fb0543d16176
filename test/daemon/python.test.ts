/** Real libvirt-python (/usr/bin/python3) against virtkitd, events included. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PYTHON, describeIf, startDaemon, type RunningDaemon } from '@virtkit/testkit';

describeIf('libvirt-python')('libvirt-python against virtkitd', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  test('open, list, define, start, snapshot, lifecycle events', () => {
    const xml = path.join(daemon.dir, 'py-vm.xml');
    fs.writeFileSync(
      xml,
      `<domain type='test'><name>py-vm</name><uuid>22222222-3333-4444-5555-666666666666</uuid>
<memory unit='KiB'>131072</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
    );
    const r = spawnSync(PYTHON, [path.join(__dirname, 'fixtures', 'python_client.py'), `test+unix:///default?socket=${daemon.sock}`, xml], {
      encoding: 'utf8',
      timeout: 30000,
    });
    if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.type).toBe('TEST');
    expect(out.before).toEqual(['test']);
    expect(out.callback_id_is_int).toBe(true);
    expect(out.defined).toEqual(['py-vm', '22222222-3333-4444-5555-666666666666', -1, 0]);
    expect(out.started).toEqual([true, 1, 1]);
    expect(out.snapshot).toEqual(['py-snap', ['py-snap']]);
    expect(out.after).toEqual(['py-vm', 'test']);
    expect(out.not_found[0]).toBe(42);
    // DEFINED (0/0) then STARTED (2/0, booted), delivered to the other connection.
    expect(out.events).toEqual([
      ['py-vm', 0, 0],
      ['py-vm', 2, 0],
    ]);
  });
});
