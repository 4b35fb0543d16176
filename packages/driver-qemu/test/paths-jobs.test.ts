import { ErrorNumber, VirError } from '@virtkit/core';
import { DomainJobs } from '../src/jobs';
import { rejection } from './helpers';
import { capsCacheDir, pathsForUri } from '../src/paths';

describe('paths per URI', () => {
  it('qemu:///system uses the virtkit-named libvirt layout', () => {
    const p = pathsForUri('qemu:///system');
    expect([p.configDir, p.libDir, p.stateDir, p.cacheDir, p.logDir]).toEqual([
      '/etc/virtkit/qemu',
      '/var/lib/virtkit/qemu',
      '/run/virtkit/qemu',
      '/var/cache/virtkit/qemu',
      '/var/log/virtkit/qemu',
    ]);
    expect(capsCacheDir(p)).toBe('/var/cache/virtkit/qemu/capabilities');
  });

  it('qemu:///session follows XDG variables', () => {
    const env = {
      XDG_CONFIG_HOME: '/h/cfg',
      XDG_DATA_HOME: '/h/data',
      XDG_RUNTIME_DIR: '/run/user/1000',
      XDG_CACHE_HOME: '/h/cache',
    };
    const p = pathsForUri('qemu:///session', { env, homedir: '/h', uid: 1000 });
    expect([p.configDir, p.libDir, p.stateDir, p.cacheDir, p.logDir]).toEqual([
      '/h/cfg/virtkit/qemu',
      '/h/data/virtkit/qemu',
      '/run/user/1000/virtkit/qemu',
      '/h/cache/virtkit/qemu',
      '/h/cache/virtkit/qemu/log',
    ]);
  });

  it('qemu:///session falls back to the XDG defaults', () => {
    const p = pathsForUri('qemu:///session', { env: {}, homedir: '/home/u', uid: 1000 });
    expect(p.configDir).toBe('/home/u/.config/virtkit/qemu');
    expect(p.libDir).toBe('/home/u/.local/share/virtkit/qemu');
    expect(p.cacheDir).toBe('/home/u/.cache/virtkit/qemu');
    expect(p.stateDir).toBe('/home/u/.cache/virtkit-runtime-1000/virtkit/qemu');
  });

  it('qemu:///embed?root=DIR puts everything under DIR', () => {
    const p = pathsForUri('qemu:///embed?root=/srv/vk');
    expect([p.configDir, p.libDir, p.stateDir, p.cacheDir, p.logDir]).toEqual([
      '/srv/vk/etc',
      '/srv/vk/lib',
      '/srv/vk/run',
      '/srv/vk/cache',
      '/srv/vk/log',
    ]);
    expect(p.nvramDir).toBe('/srv/vk/lib/nvram');
  });

  it('rejects bad URIs', () => {
    expect(() => pathsForUri('qemu:///embed')).toThrow("invalid argument: Missing URI parameter 'root'");
    expect(() => pathsForUri('qemu:///embed?root=rel/dir')).toThrow('unsupported configuration: root path must be absolute');
    expect(() => pathsForUri('qemu:///other', { uid: 0 })).toThrow("internal error: unexpected qemu URI path '/other', try qemu:///system");
    expect(() => pathsForUri('qemu:///system', { uid: 1000 })).toThrow(
      "internal error: unexpected qemu URI path '/system', try qemu:///session",
    );
    expect(() => pathsForUri('qemu:///other')).toThrow(VirError);
  });
});

describe('domain job serialization', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('serializes jobs on one domain', async () => {
    const jobs = new DomainJobs({ waitMs: 2_000 });
    const order: string[] = [];
    const job = (tag: string, ms: number) =>
      jobs.run('vm1', 'modify', tag, async () => {
        order.push(`${tag}+`);
        await sleep(ms);
        order.push(`${tag}-`);
      });
    await Promise.all([job('a', 30), job('b', 10), job('c', 1)]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(jobs.active('vm1')).toBeUndefined();
  });

  it("fails a waiting job after the bound with libvirt's message", async () => {
    const jobs = new DomainJobs({ waitMs: 50 });
    const release = await jobs.begin('vm1', 'modify', 'virDomainCreate');
    const t0 = Date.now();
    const err = await rejection(jobs.begin('vm1', 'destroy', 'virDomainDestroy'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(err).toBeInstanceOf(VirError);
    expect(err.code).toBe(ErrorNumber.VIR_ERR_OPERATION_TIMEOUT);
    expect(err.message).toBe('Timed out during operation: cannot acquire state change lock (held by virDomainCreate)');
    release();
    // The lock is free again, and a timed-out waiter did not take it.
    const r2 = await jobs.begin('vm1', 'modify', 'x');
    r2();
    r2(); // double release is harmless
  });

  it("lets a query or a suspend run beside an outgoing migration (libvirt's job mask), nothing else", async () => {
    const jobs = new DomainJobs({ waitMs: 50 });
    const release = await jobs.begin('vm1', 'migration-op', 'virDomainMigratePerform3Params');
    await expect(jobs.run('vm1', 'suspend', 'virDomainSuspend', async () => 'suspended')).resolves.toBe('suspended');
    await expect(jobs.run('vm1', 'query', 'virDomainQemuMonitorCommand', async () => 'asked')).resolves.toBe('asked');
    // The migration still holds the domain.
    expect(jobs.active('vm1')?.owner).toBe('virDomainMigratePerform3Params');
    expect((await rejection(jobs.begin('vm1', 'modify', 'virDomainResume'))).message).toMatch(/held by virDomainMigratePerform3Params/);
    release();
    expect(jobs.active('vm1')).toBeUndefined();
    // Without a migration a suspend is a job like any other.
    const other = await jobs.begin('vm1', 'modify', 'virDomainCreate');
    expect((await rejection(jobs.begin('vm1', 'suspend', 'virDomainSuspend'))).message).toMatch(/held by virDomainCreate/);
    other();
  });

  it('lets different domains proceed in parallel', async () => {
    const jobs = new DomainJobs({ waitMs: 1_000 });
    const t0 = Date.now();
    await Promise.all(['a', 'b', 'c', 'd'].map((d) => jobs.run(d, 'modify', 'op', () => sleep(100))));
    expect(Date.now() - t0).toBeLessThan(300);
  });

  it('releases the lock when the job throws', async () => {
    const jobs = new DomainJobs({ waitMs: 100 });
    await expect(
      jobs.run('vm1', 'modify', 'op', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(jobs.run('vm1', 'query', 'op2', async () => 7)).resolves.toBe(7);
  });
});
