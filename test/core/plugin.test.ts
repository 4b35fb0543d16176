/**
 * The core runtime against a small plain-JavaScript third-party driver (test/fixtures/example-driver), loaded
 * as a plugin in each of the three ways: environment variable, config file, registerDriver.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConnectListAllDomainsFlags,
  ErrorNumber,
  isAccessDenied,
  isInvalidArg,
  isNoSupport,
  isNotFound,
  isVirError,
  loadDriverPlugin,
  open,
  registerDriver,
  resetRegistry,
  VirError,
} from '@virtkit/core';

const PLUGIN = path.resolve(__dirname, '../fixtures/example-driver');

async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VirError) return e.code;
    throw e;
  }
  throw new Error('expected a VirError');
}

describe('plugin loading', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetRegistry();
  });

  it('finds a driver named in VIRTKIT_DRIVERS', async () => {
    process.env.VIRTKIT_DRIVERS = PLUGIN;
    const conn = await open('example:///');
    expect(await conn.getType()).toBe('Example');
    await conn.close();
  });

  it('takes a relative path in VIRTKIT_DRIVERS from the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(path.dirname(PLUGIN));
    try {
      process.env.VIRTKIT_DRIVERS = `./${path.basename(PLUGIN)}`;
      const conn = await open('example:///');
      expect(await conn.getType()).toBe('Example');
      await conn.close();
    } finally {
      process.chdir(cwd);
    }
  });

  it('finds a driver named in the config file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-conf-'));
    fs.writeFileSync(path.join(dir, 'drivers.json'), JSON.stringify({ drivers: [PLUGIN] }));
    process.env.VIRTKIT_CONFIG = path.join(dir, 'drivers.json');
    delete process.env.VIRTKIT_DRIVERS;
    const conn = await open('example:///');
    expect(await conn.getType()).toBe('Example');
    await conn.close();
    fs.rmSync(dir, { recursive: true });
  });

  it('takes a driver object registered explicitly', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    registerDriver(require(PLUGIN).driver);
    const conn = await open('example:///');
    expect((await conn.listAllDomains()).map((d) => d.getName())).toEqual(['alpha', 'beta']);
    await conn.close();
  });

  it('refuses an unknown scheme with VIR_ERR_NO_CONNECT, the URI named once', async () => {
    const err = await open('nosuch:///').catch((e: unknown) => e);
    expect(await codeOf(Promise.reject(err))).toBe(ErrorNumber.VIR_ERR_NO_CONNECT);
    expect((err as Error).message).toBe('no connection driver available for nosuch:///');
  });

  it('lets concurrent first opens share one load of the configured plugins', async () => {
    process.env.VIRTKIT_DRIVERS = PLUGIN;
    const conns = await Promise.all([open('example:///'), open('example:///')]);
    expect(await Promise.all(conns.map((c) => c.getType()))).toEqual(['Example', 'Example']);
    await Promise.all(conns.map((c) => c.close()));
  });
});

describe('error predicates', () => {
  // A second copy of core's errors module: what a driver loaded through the other module format throws.
  let Foreign: typeof VirError;
  beforeAll(() => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      Foreign = (require('@virtkit/core') as typeof import('@virtkit/core')).VirError;
    });
  });

  it('recognise a VirError of another copy of core by its fields', () => {
    const err = Foreign.create(ErrorNumber.VIR_ERR_NO_DOMAIN, 10, "no domain with matching name 'x'");
    expect(err).not.toBeInstanceOf(VirError);
    expect(isVirError(err)).toBe(true);
    expect(isNotFound(err)).toBe(true);
    expect(isNoSupport(Foreign.noSupport('virConnectGetHostname'))).toBe(true);
  });

  it('do not take an unrelated error with a numeric code for a VirError', () => {
    const sys = Object.assign(new Error('ENOENT'), { code: ErrorNumber.VIR_ERR_NO_DOMAIN, domain: 0 });
    expect(isVirError(sys)).toBe(false);
    expect(isNotFound(sys)).toBe(false);
  });
});

describe('what every call checks', () => {
  beforeAll(async () => {
    resetRegistry();
    await loadDriverPlugin(PLUGIN);
  });

  it('answers VIR_ERR_NO_SUPPORT for a call the driver lacks, without crashing', async () => {
    const conn = await open('example:///');
    const err = await conn.getHostname().catch((e: unknown) => e);
    expect(isNoSupport(err)).toBe(true);
    expect((err as Error).message).toBe('this function is not supported by the connection driver: virConnectGetHostname');
    await conn.close();
  });

  it('rejects unknown flag bits with VIR_ERR_INVALID_ARG', async () => {
    const conn = await open('example:///');
    const err = await conn.listAllDomains(1 << 30).catch((e: unknown) => e);
    expect(isInvalidArg(err)).toBe(true);
    expect((err as Error).message).toBe('invalid argument: unsupported flags (0x40000000) in function virConnectListAllDomains');
    expect(await conn.listAllDomains(ConnectListAllDomainsFlags.VIR_CONNECT_LIST_DOMAINS_ACTIVE)).toEqual([]);
    await conn.close();
  });

  it('refuses write calls on a read-only connection', async () => {
    const conn = await open('example:///', { readOnly: true });
    const dom = await conn.lookupByName('alpha');
    expect((await dom.getInfo()).state).toBe(5);
    const err = await dom.create().catch((e: unknown) => e);
    expect(isAccessDenied(err)).toBe(true);
    expect((err as Error).message).toBe('operation forbidden: read only access prevents virDomainCreate');
    await conn.close();
  });

  it('refuses calls on a closed connection', async () => {
    const conn = await open('example:///');
    const dom = await conn.lookupByName('alpha');
    await conn.close();
    expect(await codeOf(dom.getInfo())).toBe(ErrorNumber.VIR_ERR_INVALID_CONN);
    expect(await codeOf(conn.close())).toBe(ErrorNumber.VIR_ERR_INVALID_CONN);
  });

  it('gives a fresh handle on every lookup, with the id of that moment', async () => {
    const conn = await open('example:///');
    const before = await conn.lookupByName('beta');
    await before.create();
    const after = await conn.lookupByName('beta');
    expect(after).not.toBe(before);
    expect(before.getID()).toBe(-1);
    expect(after.getID()).toBeGreaterThan(0);
    await after.destroy();
    expect((await conn.lookupByName('beta')).getID()).toBe(-1);
    expect(isNotFound(await conn.lookupByName('gamma').catch((e: unknown) => e))).toBe(true);
    await conn.close();
  });
});
