/**
 * The driver through virtkit's public API, as an application uses it: registered, opened by
 * URI, and answering the calls virsh and libvirt-python make for `list`, lookups, `dominfo`,
 * `dumpxml`, `start` and `destroy`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConnectListAllDomainsFlags, DomainState, isNoSupport, isNotFound, open, registerDriver, type Connect } from '@virtkit/core';
import { driver } from '../src/index';

let conn: Connect;
before(async () => {
  registerDriver(driver);
  conn = await open('toy:///');
});
after(() => conn.close());

test('lists the domains, all and by state', async () => {
  const names = async (flags: number) => (await conn.listAllDomains(flags)).map((d) => d.getName());
  assert.deepEqual(await names(0), ['alpha', 'beta']);
  assert.deepEqual(await names(ConnectListAllDomainsFlags.VIR_CONNECT_LIST_DOMAINS_ACTIVE), ['alpha']);
  assert.deepEqual(await names(ConnectListAllDomainsFlags.VIR_CONNECT_LIST_DOMAINS_INACTIVE), ['beta']);
});

test('finds a domain by name, UUID and id, and says so when none matches', async () => {
  const alpha = await conn.lookupByName('alpha');
  assert.equal((await conn.lookupByUUIDString(alpha.getUUIDString())).getName(), 'alpha');
  assert.equal((await conn.lookupByID(alpha.getID())).getName(), 'alpha');
  await assert.rejects(conn.lookupByName('gamma'), (e) => isNotFound(e));
  await assert.rejects(conn.lookupByID(99), (e) => isNotFound(e));
});

test('describes a domain: info, OS type, XML', async () => {
  const alpha = await conn.lookupByName('alpha');
  const info = await alpha.getInfo();
  assert.equal(info.state, DomainState.VIR_DOMAIN_RUNNING);
  assert.equal(info.nrVirtCpu, 2);
  assert.equal(await alpha.getOSType(), 'hvm');
  assert.match(await alpha.getXMLDesc(), /<name>alpha<\/name>/);
});

test('starts and destroys a domain; the handle takes the new id', async () => {
  const beta = await conn.lookupByName('beta');
  assert.equal(beta.getID(), -1);
  await beta.create();
  assert.notEqual(beta.getID(), -1);
  assert.equal((await beta.getInfo()).state, DomainState.VIR_DOMAIN_RUNNING);
  await assert.rejects(beta.create(), /domain is already running/);
  await beta.destroy();
  assert.equal(beta.getID(), -1);
  assert.equal((await beta.getInfo()).state, DomainState.VIR_DOMAIN_SHUTOFF);
});

test('answers "not supported" for a call the table does not name', async () => {
  const alpha = await conn.lookupByName('alpha');
  await assert.rejects(alpha.suspend(), (e) => isNoSupport(e));
});
