/**
 * The QMP `chardev-add` backend of a character device given in XML (libvirt's
 * qemuMonitorJSONAttachCharDevCommand): what `-chardev` says on a command line, in the
 * structured form the monitor takes. A listening UNIX socket is bound by QEMU itself here;
 * at a cold start the driver passes one it bound.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from '@virtkit/xml';

export interface ChardevBackend {
  type: string;
  data: Record<string, unknown>;
}

const inet = (host: string | undefined, port: string | undefined) => ({
  type: 'inet',
  data: { host: host ?? '', port: port ?? '' },
});

/** The backend for the chardev `holder` describes (its `type` attribute and `<source>` elements). */
export function chardevBackend(holder: XmlElement): ChardevBackend {
  const type = holder.attr('type') ?? 'pty';
  const sources = holder.elements('source');
  const src = sources[0];
  switch (type) {
    case 'null':
    case 'vc':
    case 'pty':
      return { type, data: {} };
    case 'file':
      return { type: 'file', data: { out: src?.attr('path') ?? '', append: src?.attr('append') !== 'off' } };
    case 'pipe':
      return { type: 'pipe', data: { device: src?.attr('path') ?? '' } };
    case 'dev':
      return { type: 'serial', data: { device: src?.attr('path') ?? '' } };
    case 'unix':
    case 'tcp': {
      const server = src?.attr('mode') === 'bind';
      const addr =
        type === 'unix' ? { type: 'unix', data: { path: src?.attr('path') ?? '' } } : inet(src?.attr('host'), src?.attr('service'));
      const data: Record<string, unknown> = { addr, server };
      if (server) data.wait = false;
      if (holder.element('protocol')?.attr('type') === 'telnet') data.telnet = true;
      const reconnect = src?.element('reconnect');
      if (!server && reconnect?.attr('enabled') === 'yes') data.reconnect = Number(reconnect.attr('timeout'));
      return { type: 'socket', data };
    }
    case 'udp': {
      const connect = sources.find((s) => (s.attr('mode') ?? 'connect') === 'connect');
      const bind = sources.find((s) => s.attr('mode') === 'bind');
      return {
        type: 'udp',
        data: {
          remote: inet(connect?.attr('host'), connect?.attr('service')),
          local: inet(bind?.attr('host'), bind?.attr('service') ?? '0'),
        },
      };
    }
    default:
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        ErrorDomain.VIR_FROM_QEMU,
        `Hotplug unsupported for char device type '${type}'`,
      );
  }
}
