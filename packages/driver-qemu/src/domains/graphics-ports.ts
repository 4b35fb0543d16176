/**
 * What a starting domain's VNC and SPICE displays get before QEMU runs (libvirt's
 * qemuProcessGraphicsAllocatePorts and qemuProcessGraphicsSetupListen): autoport displays a free
 * TCP port from 5900 (VNC websockets from 5700), and an address listen without an address the
 * one qemu.conf gives (127.0.0.1). The live XML then shows the real port and address.
 */
import * as net from 'node:net';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { orderAttrs, type DomainDef, type XmlElement } from '@virtkit/xml';

/** qemu.conf's default vnc_listen and spice_listen. */
const DEFAULT_LISTEN = '127.0.0.1';

/** Whether `port` can be bound on every IPv4 address (virPortAllocator's test). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The first free port from `start`, skipping those already taken for this domain. */
async function acquire(start: number, end: number, taken: Set<number>): Promise<number> {
  for (let p = start; p <= end; p++) {
    if (taken.has(p)) continue;
    if (await portFree(p)) {
      taken.add(p);
      return p;
    }
  }
  throw new Error(`Unable to find an unused port in range ${start}-${end}`);
}

/** An address listen without an address takes the configured one; the compat attribute follows. */
function setupListen(g: XmlElement): void {
  const first = g.elements('listen')[0];
  if (!first || first.attr('type') !== 'address' || first.attr('address') !== undefined) return;
  first.attrs.set('address', DEFAULT_LISTEN);
  orderAttrs(first, ['type', 'address']);
  g.attrs.set('listen', DEFAULT_LISTEN);
}

/** Give the live definition's displays their ports and listen addresses. */
export async function prepareGraphics(def: DomainDef, spiceTLS: boolean): Promise<void> {
  const taken = new Set<number>();
  for (const d of def.devices) {
    if (d.kind !== 'graphics') continue;
    const g = d.el;
    const type = g.attr('type');
    if (type !== 'vnc' && type !== 'spice') continue;
    setupListen(g);
    const autoport = g.attr('autoport') === 'yes';
    if (type === 'vnc') {
      if (g.elements('listen')[0]?.attr('type') === 'socket') continue;
      if (autoport || g.attr('port') === '-1') g.attrs.set('port', String(await acquire(5900, 65535, taken)));
      if (g.attr('websocket') === '-1') g.attrs.set('websocket', String(await acquire(5700, 5899, taken)));
      orderAttrs(g, ['type', 'port', 'autoport', 'websocket', 'listen']);
      continue;
    }
    // SPICE with autoport: secure channels need the TLS port, insecure ones the plain port, and
    // the default mode decides for the rest (both when TLS is configured).
    let needTLS = false;
    let needPlain = false;
    if (autoport) {
      for (const c of g.elements('channel')) {
        if (c.attr('mode') === 'secure') needTLS = true;
        if (c.attr('mode') === 'insecure') needPlain = true;
      }
      const mode = g.attr('defaultMode') ?? 'any';
      if (mode === 'secure' || (mode === 'any' && spiceTLS)) needTLS = true;
      if (mode !== 'secure') needPlain = true;
    }
    if (needPlain || g.attr('port') === '-1') g.attrs.set('port', String(await acquire(5900, 65535, taken)));
    if (needTLS || g.attr('tlsPort') === '-1') {
      if (!spiceTLS) {
        throw VirError.create(
          ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
          ErrorDomain.VIR_FROM_QEMU,
          'Auto allocation of spice TLS port requested but spice TLS is disabled in qemu.conf',
        );
      }
      g.attrs.set('tlsPort', String(await acquire(5900, 65535, taken)));
    }
    orderAttrs(g, ['type', 'port', 'tlsPort', 'autoport', 'listen']);
  }
}
