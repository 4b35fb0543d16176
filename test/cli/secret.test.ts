/**
 * Secret commands: against virsh 9.0 on the test driver (which has no secret driver, so the
 * errors must match), and on qemu:///embed, where each command's effect is checked through the
 * API and its text against the lines virsh prints.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { open } from '@virtkit/core';
import { compareAll, runVsh } from './harness';

compareAll({
  'secret-list without a secret driver': { script: 'secret-list' },
  'secret-dumpxml of a malformed UUID': { script: 'secret-dumpxml abc' },
  'secret-define without a secret driver': { script: 'secret-define ../corpus/secretxml2xml/usage-vtpm.in.xml' },
  'secret-set-value: exclusive options': { script: 'secret-set-value abc --base64 eA== --file x' },
  'help of the secret commands': {
    script: 'help secret-define; help secret-dumpxml; help secret-set-value; help secret-get-value; help secret-undefine; help secret-list',
  },
});

describe('secret commands on qemu:///embed', () => {
  let root: string;
  let uri: string;
  const vsh = (script: string) => runVsh(['-c', uri, script]);
  const UUID = 'aa6c7af2-45a7-477c-85a2-fe86d9f2514e';

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-secret-'));
    uri = `qemu:///embed?root=${root}`;
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('defines, sets, reads, lists and undefines a secret', async () => {
    const xml = path.join(root, 's.xml');
    fs.writeFileSync(xml, `<secret ephemeral='no' private='no'><uuid>${UUID}</uuid><usage type='vtpm'><name>tpm1</name></usage></secret>`);
    const plain = path.join(root, 'plain');
    fs.writeFileSync(plain, 'raw bytes');
    const r = await vsh(
      `secret-define ${xml}; secret-set-value ${UUID} --base64 c2VjcmV0; secret-get-value ${UUID}; secret-list; ` +
        `secret-set-value ${UUID} --file ${plain} --plain; secret-get-value ${UUID} --plain; secret-dumpxml ${UUID}`,
    );
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        `Secret ${UUID} created\n\nSecret value set\n\nc2VjcmV0\n\n` +
        ` UUID                                   Usage\n---------------------------------------------------\n ${UUID}   vtpm tpm1\n\n` +
        `Secret value set\n\nraw bytes\n` +
        `<secret ephemeral='no' private='no'>\n  <uuid>${UUID}</uuid>\n  <usage type='vtpm'>\n    <name>tpm1</name>\n  </usage>\n</secret>\n\n`,
    });
    const conn = await open(uri);
    try {
      expect(Buffer.from(await (await conn.secretLookupByUUIDString(UUID)).getValue()).toString()).toBe('raw bytes');
    } finally {
      await conn.close();
    }
    expect(await vsh(`secret-undefine ${UUID}; secret-list`)).toEqual({
      code: 0,
      stderr: '',
      stdout: `Secret ${UUID} deleted\n\n UUID   Usage\n---------------\n\n`,
    });
    const bad = await vsh(`secret-set-value ${UUID} --base64 x`);
    expect(bad.code).toBe(1);
  });
});
