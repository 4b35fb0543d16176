/**
 * A connection through the remote driver: the handshake libvirt's client performs (AUTH_LIST,
 * the keepalive probe, CONNECT_OPEN, the event-callback probe), one SPI method per procedure of
 * the generated table, events, streams, and reopening after the transport dropped: the next call
 * reconnects, and while event listeners exist a background reconnect restores them at once.
 */
import type { Duplex } from 'node:stream';
import {
  ErrorDomain,
  ErrorNumber,
  VirError,
  type NetworkEvent,
  type NodeDeviceEvent,
  type SecretEvent,
  type StoragePoolEvent,
} from '@virtkit/core';
import { PROCEDURES, PROGRAM_NUMBERS, type ProcedureInfo } from '@virtkit/protocol';
import type { DriverConnection } from '@virtkit/core';
import { AUTH_TYPE, CORE_LAYOUTS, FEATURE, REMOTE_PROC, decodeStruct, encodeStruct, type FieldLayout } from '@virtkit/protocol';
import { templatedError } from '@virtkit/core';
import type { VirStream } from '@virtkit/core';
import { RemoteEvents } from './events';
import {
  NETWORK_EVENTS,
  NODE_DEVICE_EVENTS,
  RemoteObjectEvents,
  SECRET_EVENTS,
  STORAGE_POOL_EVENTS,
  type RemoteObjectEventKind,
} from './object-events';
import { RpcClient, type KeepaliveSettings } from './rpc-client';
import { spiResult, streamArgument, wireArguments } from './spi-codec';
import { runStream } from './streams';
import type { RemoteTarget } from './target';
import { openTransport } from './transport';

export interface RemoteOptions {
  keepalive: KeepaliveSettings;
  /** Delays between background reconnect attempts while event listeners exist, in ms (last one repeats). */
  reconnectDelays: number[];
  /** Opens the byte stream; replaceable for tests of the protocol layer. */
  openTransport: (target: RemoteTarget) => Promise<Duplex>;
}

export const DEFAULT_OPTIONS: RemoteOptions = {
  keepalive: { interval: 5, count: 6 },
  reconnectDelays: [200, 1000, 5000],
  openTransport,
};

const CONNECT_RO = 1;

export class RemoteConnection {
  readonly events: RemoteEvents;
  readonly networkEvents: RemoteObjectEvents<NetworkEvent>;
  readonly storagePoolEvents: RemoteObjectEvents<StoragePoolEvent>;
  readonly nodeDeviceEvents: RemoteObjectEvents<NodeDeviceEvent>;
  readonly secretEvents: RemoteObjectEvents<SecretEvent>;
  private rpc: RpcClient | null = null;
  private connecting: Promise<RpcClient> | null = null;
  private closed = false;
  /** Calls wait for this while event registrations are in flight, so they cannot overtake them. */
  private barrier: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;

  constructor(
    private readonly target: RemoteTarget,
    private readonly opts: RemoteOptions,
  ) {
    this.events = new RemoteEvents(
      (proc, args, values, ret) => this.callOn(this.rpc, proc, args, values, ret),
      (p) => this.hold(p),
    );
    const objectEvents = <E extends { eventId: number }>(kind: RemoteObjectEventKind): RemoteObjectEvents<E> =>
      new RemoteObjectEvents<E>(
        kind,
        (proc, args, values, ret) => this.callOn(this.rpc, proc, args, values, ret),
        (p) => this.hold(p),
      );
    this.networkEvents = objectEvents(NETWORK_EVENTS);
    this.storagePoolEvents = objectEvents(STORAGE_POOL_EVENTS);
    this.nodeDeviceEvents = objectEvents(NODE_DEVICE_EVENTS);
    this.secretEvents = objectEvents(SECRET_EVENTS);
  }

  /** Connect and open; throws the server's error (or the transport's) on failure. */
  async open(): Promise<DriverConnection> {
    this.rpc = await this.handshake();
    return this.asDriverConnection();
  }

  /** True while the transport is up (virConnectIsAlive). */
  isAlive(): boolean {
    return !this.closed && this.rpc !== null && this.rpc.alive;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const rpc = this.rpc;
    this.rpc = null;
    if (!rpc?.alive) return;
    try {
      await this.callCore(rpc, REMOTE_PROC.CONNECT_CLOSE, {});
    } catch (e) {
      // A transport that ends during the close (virt-ssh-helper may quit before relaying the
      // reply) leaves the connection closed all the same.
      if (rpc.alive) throw e;
    } finally {
      rpc.close();
    }
  }

  // --- calls -------------------------------------------------------------------------------------

  private hold(p: Promise<void>): void {
    const b = p.finally(() => {
      if (this.barrier === b) this.barrier = null;
    });
    this.barrier = b;
  }

  /** The live transport, reconnecting when the previous one is gone. */
  private async live(): Promise<RpcClient> {
    if (this.closed) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_REMOTE, 'connection is closed');
    if (this.barrier) await this.barrier;
    if (this.rpc?.alive) return this.rpc;
    return this.reconnect();
  }

  private async callOn(
    rpc: RpcClient | null,
    proc: number,
    args: FieldLayout,
    values: Record<string, unknown>,
    ret: FieldLayout,
    prog: number = PROGRAM_NUMBERS.remote,
  ): Promise<Record<string, unknown>> {
    if (!rpc) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_REMOTE, 'connection is closed');
    const payload = await rpc.call(prog, proc, encodeStruct(args, values)).reply;
    return decodeStruct(ret, payload, 0, false);
  }

  /** A procedure the RPC ends handle themselves, with its generated layouts. */
  private callCore(rpc: RpcClient | null, proc: number, values: Record<string, unknown>): Promise<Record<string, unknown>> {
    const layout = CORE_LAYOUTS[proc];
    return this.callOn(rpc, proc, layout.args, values, layout.ret);
  }

  /** One SPI call through the table entry `p`. */
  private async invoke(p: ProcedureInfo, spiArgs: unknown[]): Promise<unknown> {
    const rpc = this.rpc?.alive && !this.barrier ? this.rpc : await this.live();
    const prog = PROGRAM_NUMBERS[p.program];
    const values = wireArguments(p, spiArgs);
    if (p.stream) {
      const stream = streamArgument(p, spiArgs) as VirStream;
      const answer = await runStream(rpc, prog, p.proc, encodeStruct(p.args, values), stream, p.stream);
      // A stream call may also return a value (virDomainScreenshot's MIME type).
      return p.ret.length ? spiResult(p, decodeStruct(p.ret, answer, 0, false)) : undefined;
    }
    return spiResult(p, await this.callOn(rpc, p.proc, p.args, values, p.ret, prog));
  }

  /** This object with one SPI method per driver procedure of the generated table. */
  private asDriverConnection(): DriverConnection {
    const conn = this as unknown as Record<string, unknown>;
    for (const p of PROCEDURES) {
      if (p.impl !== 'driver' || p.argMap === null) continue;
      conn[p.spi] = p.fds ? () => Promise.reject(noFdPassing()) : (...args: unknown[]) => this.invoke(p, args);
    }
    return this as unknown as DriverConnection;
  }

  private objectEventFeeds(): Pick<RemoteObjectEvents<never>, 'active' | 'registerAll' | 'deliver'>[] {
    return [this.networkEvents, this.storagePoolEvents, this.nodeDeviceEvents, this.secretEvents];
  }

  private hasEventListeners(): boolean {
    return this.events.active || this.objectEventFeeds().some((feed) => feed.active);
  }

  // --- handshake and reconnect ------------------------------------------------------------------

  private async handshake(): Promise<RpcClient> {
    const io = await this.opts.openTransport(this.target);
    const rpc = new RpcClient(io, (prog, proc, payload) => {
      if (prog !== PROGRAM_NUMBERS.remote) return;
      this.events.deliver(proc, payload);
      for (const feed of this.objectEventFeeds()) feed.deliver(proc, payload);
    });
    try {
      await this.authenticate(rpc);
      const keepalive = await this.supports(rpc, FEATURE.PROGRAM_KEEPALIVE);
      await this.callCore(rpc, REMOTE_PROC.CONNECT_OPEN, { name: this.target.serverName, flags: this.target.readOnly ? CONNECT_RO : 0 });
      if (!(await this.supports(rpc, FEATURE.REMOTE_EVENT_CALLBACK))) {
        throw VirError.create(
          ErrorNumber.VIR_ERR_NO_SUPPORT,
          ErrorDomain.VIR_FROM_REMOTE,
          'server does not support domain event callbacks (REMOTE_EVENT_CALLBACK)',
        );
      }
      if (keepalive) rpc.startKeepalive(this.opts.keepalive);
    } catch (e) {
      rpc.close();
      throw e;
    }
    rpc.onClose(() => this.scheduleReconnect());
    return rpc;
  }

  private async supports(rpc: RpcClient, feature: number): Promise<boolean> {
    const r = await this.callCore(rpc, REMOTE_PROC.CONNECT_SUPPORTS_FEATURE, { feature });
    return r.supported === 1;
  }

  /** AUTH_LIST; no-auth and polkit are handled, SASL is not implemented. */
  private async authenticate(rpc: RpcClient): Promise<void> {
    let types: number[];
    try {
      types = (await this.callCore(rpc, REMOTE_PROC.AUTH_LIST, {})).types as number[];
    } catch (e) {
      // An old server without AUTH_LIST needs no authentication, as libvirt's client assumes.
      if ((e as VirError).code === ErrorNumber.VIR_ERR_NO_SUPPORT) return;
      throw e;
    }
    if (types.length === 0 || types.includes(AUTH_TYPE.NONE)) return;
    if (types.includes(AUTH_TYPE.POLKIT)) {
      await this.callCore(rpc, REMOTE_PROC.AUTH_POLKIT, {});
      return;
    }
    throw templatedError(ErrorNumber.VIR_ERR_AUTH_FAILED, ErrorDomain.VIR_FROM_REMOTE, `unsupported authentication type ${types[0]}`);
  }

  /** A new transport and handshake, shared by concurrent callers; event registrations follow. */
  private reconnect(): Promise<RpcClient> {
    this.connecting ??= (async () => {
      try {
        const rpc = await this.handshake();
        if (this.closed) {
          rpc.close();
          throw VirError.create(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_REMOTE, 'connection is closed');
        }
        this.rpc = rpc;
        this.reconnectAttempt = 0;
        if (this.hasEventListeners()) {
          // Published together with the barrier: no call can overtake the registrations.
          const registering = Promise.all(
            [this.events, ...this.objectEventFeeds()].map((feed) => (feed.active ? feed.registerAll() : undefined)),
          ).then(() => undefined);
          this.hold(registering);
          await registering;
        }
        return rpc;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  /** With event listeners there may be no later call: reconnect in the background, with backoff. */
  private scheduleReconnect(): void {
    if (this.closed || !this.hasEventListeners() || this.reconnectTimer) return;
    const delays = this.opts.reconnectDelays;
    const delay = delays[Math.min(this.reconnectAttempt, delays.length - 1)];
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.rpc?.alive) return;
      this.reconnect().catch(() => this.scheduleReconnect());
    }, delay);
    this.reconnectTimer.unref();
  }
}

/**
 * A call whose descriptor travels beside the message (virDomainOpenGraphicsFD, say): Node's sockets
 * neither attach nor receive SCM_RIGHTS data, so this client refuses it before sending, as libvirt's
 * client does on a connection without descriptor passing.
 */
function noFdPassing(): VirError {
  return VirError.create(
    ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
    ErrorDomain.VIR_FROM_REMOTE,
    "fd passing is not supported by this connection: Node's sockets cannot carry file descriptors",
  );
}
