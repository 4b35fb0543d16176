import { runVsh } from './harness';

test('--json on list, dominfo, domstate, nodeinfo, pool and volume commands', async () => {
  const r = await runVsh([
    '-q',
    '-c',
    'test:///default',
    'list --all --json; domstate test --json; nodeinfo --json; pool-list --json; pool-info default-pool --json; vol-list default-pool --json',
  ]);
  expect(r.code).toBe(0);
  const docs = r.stdout.split(/\n(?=[[{])/).map((t) => JSON.parse(t));
  expect(docs[0]).toEqual([{ id: 1, name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'running' }]);
  expect(docs[1]).toEqual({ state: 'running', reason: 'unknown' });
  expect(docs[2]).toMatchObject({ model: 'i686', cpus: 16, mhz: 1400 });
  expect(docs[3][0]).toMatchObject({ name: 'default-pool', state: 'running', active: true });
  expect(docs[4]).toMatchObject({ name: 'default-pool', persistent: true });
  expect(docs[5]).toEqual([]);
});

test('--json on dominfo carries the security model and label', async () => {
  const r = await runVsh(['-q', '-c', 'test:///default', 'dominfo test --json; destroy test; dominfo test --json']);
  const docs = r.stdout.split(/\n(?=[[{])/).map((t) => JSON.parse(t));
  expect(docs[0]).toMatchObject({
    id: 1,
    state: 'running',
    persistent: true,
    autostart: false,
    managedSave: false,
    security: { model: 'testSecurity', doi: '', label: 'libvirt-test', enforcing: true },
  });
  expect(docs[1]).toMatchObject({ id: null, state: 'shutoff', security: { model: 'testSecurity', doi: '', label: null, enforcing: null } });
});

test('--json on snapshot-list and snapshot-info', async () => {
  const r = await runVsh([
    '-q',
    '-c',
    'test:///default',
    'snapshot-create test snap-s1.xml --redefine; snapshot-create test snap-s2.xml --redefine; snapshot-list test --json; snapshot-info test s2 --json',
  ]);
  const docs = r.stdout.split(/\n(?=[[{])/).map((t) => JSON.parse(t));
  expect(docs[0]).toEqual([
    { name: 's1', creationTime: 1600000000, state: 'running', parent: null },
    { name: 's2', creationTime: 1600000100, state: 'running', parent: 's1' },
  ]);
  expect(docs[1]).toMatchObject({ name: 's2', parent: 's1', children: 0, current: false });
});
