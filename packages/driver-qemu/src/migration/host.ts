/**
 * What a migration needs to know about this host: its identity in the cookie, the address a
 * destination tells the source to send to, and a free port from libvirt's migration range. The
 * settings are qemu.conf's `migration_host`, `migration_address`, `migration_port_min` and
 * `migration_port_max` (libvirt's defaults: the host name, every address, 49152-49215).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { parseUuid, VirError } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';
import type { QemuDriver } from '../qemu-driver';

export interface MigrationHostConfig {
  host: string;
  address: string;
  portMin: number;
  portMax: number;
}

/** One `key = value` of qemu.conf (a quoted string or a number), or undefined. */
function confValue(text: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*${key}\\s*=\\s*(?:"([^"]*)"|(\\d+))\\s*(?:#.*)?$`, 'm').exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The migration settings of qemu.conf in the driver's configuration root. */
export function migrationConfig(driver: QemuDriver): MigrationHostConfig {
  let text = '';
  try {
    text = fs.readFileSync(path.join(driver.paths.configBaseDir, 'qemu.conf'), 'utf8');
  } catch {
    // no qemu.conf: libvirt's defaults
  }
  return {
    host: confValue(text, 'migration_host') ?? hostname(),
    address: confValue(text, 'migration_address') ?? '0.0.0.0',
    portMin: Number(confValue(text, 'migration_port_min') ?? 49152),
    portMax: Number(confValue(text, 'migration_port_max') ?? 49215),
  };
}

/**
 * This host's UUID in cookies. libvirt takes `host_uuid` from its daemon's configuration; two
 * virtkitd roots on one machine are two hosts, so the UUID is the machine's identity hashed with
 * the driver's root (stable per root, different between roots).
 */
export function hostUuid(driver: QemuDriver): string {
  let machine = '';
  for (const f of ['/etc/machine-id', '/sys/class/dmi/id/product_uuid']) {
    try {
      machine = fs.readFileSync(f, 'utf8').trim();
      break;
    } catch {
      // try the next source
    }
  }
  const h = createHash('sha256').update(`${machine}\n${driver.paths.libDir}`).digest('hex');
  return parseUuid(h.slice(0, 32))!;
}

function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: address, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Ports handed to incoming migrations not yet listening (two prepares must not pick the same). */
const reserved = new Set<number>();

/** A free port of the migration range, reserved until `release` (virPortAllocatorAcquire). */
export async function acquirePort(cfg: MigrationHostConfig): Promise<{ port: number; release: () => void }> {
  for (let port = cfg.portMin; port <= cfg.portMax; port++) {
    if (reserved.has(port) || !(await portFree(cfg.address, port))) continue;
    reserved.add(port);
    return { port, release: () => reserved.delete(port) };
  }
  throw VirError.internal(`Unable to find an unused port in range 'migration' (${cfg.portMin}-${cfg.portMax})`, FROM_QEMU);
}
