/** The two servers the remote scenario runs against: virtkitd (always) and libvirtd 9.0 (when installed). */
import { startDaemon } from '@virtkit/testkit';
import { missing, startLibvirtd } from '@virtkit/testkit';

export interface ScenarioServer {
  /** `test+unix:///default?socket=<read-write socket>` */
  uri: string;
  /** The same URI through the server's read-only socket; null when it has none (unprivileged libvirtd). */
  roSocketUri: string | null;
  /** Whether the server's test driver implements volume upload/download (libvirt's does not). */
  volumeStreams: boolean;
  stop: () => Promise<void>;
}

export interface ServerKind {
  name: string;
  /** Why the server cannot run here, or null. */
  unavailable: () => string | null;
  start: () => Promise<ScenarioServer>;
}

const unixUri = (sock: string): string => `test+unix:///default?socket=${sock}`;

export const VIRTKITD: ServerKind = {
  name: 'virtkitd',
  unavailable: () => null,
  start: async () => {
    const d = await startDaemon();
    return { uri: unixUri(d.sock), roSocketUri: unixUri(d.sockRo), volumeStreams: true, stop: async () => void (await d.stop()) };
  },
};

export const LIBVIRTD: ServerKind = {
  name: 'libvirtd 9.0',
  unavailable: () => missing('libvirtd'),
  start: async () => {
    const d = await startLibvirtd();
    // Run unprivileged, libvirtd makes only the read-write socket.
    return { uri: unixUri(d.sock), roSocketUri: null, volumeStreams: false, stop: d.stop };
  },
};
