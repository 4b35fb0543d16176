/**
 * One client connection: frame splitting, the per-client state machine (auth list, feature probes,
 * open/close, close callbacks, keepalive, events, streams) and the generic dispatch of every other
 * procedure through the procedure table.
 *
 * Concurrency, as libvirtd: a client's calls run concurrently on the daemon's workers (`max_workers`,
 * plus `prio_workers` for libvirt's high-priority calls) and are answered as they finish, so a
 * reply may overtake an earlier one (the client matches them by serial). What must stay ordered
 * is kept by a `CallGate` (call-order.ts): connect-open/close and auth run alone, event
 * (de)registrations one at a time. Keepalive and stream frames are handled as they arrive; a
 * stream is registered before its opening call is answered, so its frames find it. A client
 * that goes away closes its driver connection only once its running calls are over.
 *
 * Back-pressure: while a client has `max_client_requests` calls unanswered, or more than
 * MAX_QUEUED_REPLY_BYTES of replies it has not read, its socket is not read at all, so a client
 * that pipelines calls without reading the answers is blocked by the kernel, as libvirtd blocks it,
 * instead of filling the daemon's memory.
 */
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { DriverConnection } from '@virtkit/core';
import { ErrorDomain, ErrorNumber, releaseFd, VirError, writeWithFd } from '@virtkit/core';
import { driverForScheme } from '@virtkit/core';
import { VirStream } from '@virtkit/core';
import { parseUri } from '@virtkit/core';
import {
  AUTH_TYPE,
  CORE_LAYOUTS,
  FEATURE,
  MESSAGE_LAYOUTS,
  FrameDecoder,
  FrameError,
  KEEPALIVE_PROC,
  MessageStatus,
  MessageType,
  PROGRAM,
  PROTOCOL_VERSION,
  REMOTE_PROC,
  XdrError,
  decodeStruct,
  encodeFrame,
  encodeRemoteError,
  encodeStruct,
  rpcError,
  unknownProcedureError,
  type Frame,
  type MessageHeader,
  type ProcedureInfo,
  type ProcedureTable,
} from '@virtkit/protocol';
import { templatedError } from '@virtkit/core';
import { AccessPolicy } from './access';
import { callDriver, dispatchToDriver } from './dispatch';
import { listBoundRefusal } from './list-bounds';
import { ClientEvents, type CallbackIds } from './events';
import { ClientObjectEvents, OBJECT_EVENT_KINDS } from './object-events';
import type { Logger } from './log';
import type { DriverStates } from './driver-states';
import type { OpenPolicy } from './open-policy';
import { ClientStreams } from './streams';
import { CallGate, type CallOrder } from './call-order';
import type { WorkerPool } from './workers';

/** Replies a client has not read, beyond which its socket is no longer read. */
export const MAX_QUEUED_REPLY_BYTES = 1024 * 1024;

export interface ClientOptions {
  id: number;
  readOnlySocket: boolean;
  table: ProcedureTable;
  callbackIds: CallbackIds;
  log: Logger;
  keepaliveInterval: number;
  keepaliveCount: number;
  /** `max_client_requests`: unanswered calls after which the socket is no longer read. */
  maxClientRequests: number;
  /** The daemon's `max_workers` and `prio_workers`, shared by all clients. */
  workers: WorkerPool;
  defaultUri: string;
  /** Which URIs may be opened, and what is opened for them (the same for every socket). */
  openPolicy: OpenPolicy;
  /** Driver state the daemon keeps beyond this client's connection (driver-states.ts). */
  driverStates: DriverStates;
  onClose: (c: Client) => void;
  /** The client is on a UNIX socket, where descriptors can travel (VIR_DRV_FEATURE_FD_PASSING). */
  fdPassing?: boolean;
}

/** Thrown by handlers to answer with a given reply (already encoded). */
class ReplyError extends Error {
  constructor(readonly err: VirError) {
    super(err.message);
  }
}

/** What a driver with libvirt's migration protocol 3 (the *3Params steps) answers yes to, as libvirt's QEMU driver. */
const MIGRATION_FEATURES: number[] = [
  FEATURE.MIGRATION_P2P,
  FEATURE.MIGRATION_V3,
  FEATURE.MIGRATE_CHANGE_PROTECTION,
  FEATURE.MIGRATION_OFFLINE,
  FEATURE.MIGRATION_PARAMS,
];

export class Client {
  readonly who: string;
  private readonly decoder = new FrameDecoder();
  private conn: DriverConnection | null = null;
  private uri: string | null = null;
  private access: AccessPolicy;
  private readonly gate = new CallGate();
  /** Whether the client was told, once, that it reached `max_client_requests`. */
  private warnedLimit = false;
  /** Frames received and not yet handled, waiting for the client to fall below its limits. */
  private backlog: Frame[] = [];
  /** Calls received and not yet answered. */
  private outstanding = 0;
  private closed = false;
  private readonly events: ClientEvents;
  /** The object event registrations (networks, storage pools, node devices, secrets), by their two procedures. */
  private readonly objectEvents = new Map<number, ClientObjectEvents>();
  private readonly streams: ClientStreams;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private lastRx = Date.now();
  private missedPings = 0;
  private closeCallback = false;
  /** Frames sent while a descriptor is being written on the socket by another process, in order. */
  private heldFrames: Buffer[] | null = null;

  constructor(
    private readonly sock: Duplex,
    private readonly opts: ClientOptions,
  ) {
    this.who = `client ${opts.id}${opts.readOnlySocket ? ' (ro)' : ''}`;
    this.access = new AccessPolicy(opts.readOnlySocket);
    this.events = new ClientEvents(opts.callbackIds, (proc, payload) => this.sendMessage(proc, payload), opts.log, this.who);
    for (const kind of OBJECT_EVENT_KINDS) {
      const regs = new ClientObjectEvents(kind, opts.callbackIds, (proc, payload) => this.sendMessage(proc, payload), opts.log, this.who);
      for (const proc of kind.procs) this.objectEvents.set(proc, regs);
    }
    this.streams = new ClientStreams(
      (h, p) => this.send(h, p),
      () => this.waitDrain(),
      opts.log,
      this.who,
    );
    sock.on('data', (d) => this.onData(d));
    sock.on('drain', () => this.pump());
    sock.on('error', (e) => opts.log.debug(`${this.who}: socket error: ${e.message}`));
    sock.on('close', () => void this.teardown());
  }

  get isReadOnly(): boolean {
    return this.access.readOnly;
  }

  // --- output ---------------------------------------------------------------------------------

  private send(h: MessageHeader, payload?: Buffer): boolean {
    if (this.closed || this.sock.destroyed) return true;
    try {
      const frame = encodeFrame(h, payload);
      if (this.heldFrames) {
        this.heldFrames.push(frame);
        return true;
      }
      return this.sock.write(frame);
    } catch (e) {
      this.opts.log.error(`${this.who}: cannot send a frame: ${(e as Error).message}`);
      return true;
    }
  }

  private waitDrain(): Promise<void> {
    if (this.closed || this.sock.destroyed || !this.sock.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.sock.off('drain', done);
        this.sock.off('close', done);
        resolve();
      };
      this.sock.on('drain', done);
      this.sock.on('close', done);
    });
  }

  private reply(call: MessageHeader, payload: Buffer): void {
    this.send({ ...call, type: MessageType.REPLY, status: MessageStatus.OK }, payload);
  }

  private replyError(call: MessageHeader, err: unknown): void {
    let payload: Buffer;
    try {
      payload = encodeRemoteError(err);
    } catch (e) {
      // A driver threw something shaped like a VirError that does not encode: answer an internal error.
      this.opts.log.warn(`${this.who}: cannot encode an error reply: ${(e as Error).message}`);
      payload = encodeRemoteError(VirError.internal(String((err as Error)?.message ?? err)));
    }
    this.send({ ...call, type: MessageType.REPLY, status: MessageStatus.ERROR }, payload);
  }

  /** Event MESSAGE frames carry serial 1, as libvirtd's do. */
  private sendMessage(proc: number, payload: Buffer): void {
    this.send(
      { prog: PROGRAM.REMOTE, vers: PROTOCOL_VERSION, proc, type: MessageType.MESSAGE, serial: 1, status: MessageStatus.OK },
      payload,
    );
  }

  private sendKeepalive(proc: number): void {
    this.send({ prog: PROGRAM.KEEPALIVE, vers: PROTOCOL_VERSION, proc, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK });
  }

  // --- input ----------------------------------------------------------------------------------

  private onData(data: Buffer): void {
    if (this.closed) return;
    this.lastRx = Date.now();
    this.missedPings = 0;
    try {
      for (const f of this.decoder.push(data)) this.backlog.push(f);
    } catch (e) {
      this.opts.log.warn(`${this.who}: ${(e as Error).message}; closing the connection`);
      void this.destroy();
      return;
    }
    this.pump();
  }

  /** Whether the client may not be given more work until it reads its replies or they are sent. */
  private get saturated(): boolean {
    return this.outstanding >= this.opts.maxClientRequests || this.sock.writableLength > MAX_QUEUED_REPLY_BYTES;
  }

  /** Handle backlogged frames while the client is within its limits; read its socket only then. */
  private pump(): void {
    while (this.backlog.length && !this.saturated && !this.closed) {
      const f = this.backlog.shift()!;
      try {
        this.onFrame(f);
      } catch (e) {
        // A bug reached while handling this client's input: it costs this client only.
        this.opts.log.error(`${this.who}: ${(e as Error)?.stack ?? String(e)}; closing the connection`);
        void this.destroy();
        return;
      }
    }
    if (this.closed) return;
    if (this.backlog.length || this.saturated) this.sock.pause();
    else this.sock.resume();
  }

  private onFrame(f: Frame): void {
    const h = f.header;
    if (this.opts.log.enabled('debug')) {
      this.opts.log.debug(
        `${this.who}: rx prog=0x${h.prog.toString(16)} proc=${h.proc} type=${h.type} serial=${h.serial} status=${h.status} len=${f.payload.length}`,
      );
    }
    if (h.prog === PROGRAM.KEEPALIVE) {
      if (h.type === MessageType.MESSAGE && h.proc === KEEPALIVE_PROC.PING) this.sendKeepalive(KEEPALIVE_PROC.PONG);
      return;
    }
    switch (h.type) {
      case MessageType.CALL:
      case MessageType.CALL_WITH_FDS: {
        const payload = Buffer.from(f.payload);
        this.outstanding++;
        this.warnIfAtLimit();
        const highPriority = this.isHighPriority(h);
        this.gate
          .run(callOrder(h), () => this.opts.workers.run(() => this.handleCall(h, payload), highPriority))
          .catch((e) => {
            this.opts.log.error(`${this.who}: call ${h.proc} serial ${h.serial}: ${(e as Error)?.stack ?? e}; closing the connection`);
            void this.destroy();
          })
          .finally(() => {
            this.outstanding--;
            this.pump();
          });
        return;
      }
      case MessageType.STREAM:
      case MessageType.STREAM_HOLE:
        void this.streams
          .onFrame(h, Buffer.from(f.payload))
          .catch((e) => this.opts.log.warn(`${this.who}: stream: ${(e as Error).message}`));
        return;
      default:
        // MESSAGE to a non-keepalive program, or REPLY from a client: dropped silently, as libvirtd does.
        return;
    }
  }

  /** libvirt's `@priority: high` for the call's procedure (an unknown one is answered by any worker). */
  private isHighPriority(h: MessageHeader): boolean {
    if (h.prog === PROGRAM.REMOTE && CORE_LAYOUTS[h.proc]) return CORE_LAYOUTS[h.proc].highPriority;
    const program = h.prog === PROGRAM.REMOTE ? 'remote' : h.prog === PROGRAM.QEMU ? 'qemu' : null;
    return program !== null && this.opts.table.get(program, h.proc)?.highPriority === true;
  }

  /** libvirt's warning (virnetserverclient.c) the first time the client has its limit of calls unanswered. */
  private warnIfAtLimit(): void {
    if (this.warnedLimit || this.outstanding < this.opts.maxClientRequests || this.opts.maxClientRequests <= 1) return;
    this.warnedLimit = true;
    this.opts.log.warn(
      `${this.who}: Client hit max requests limit ${this.outstanding}. This may result in keep-alive timeouts. Consider tuning the max_client_requests server parameter`,
    );
  }

  private async handleCall(h: MessageHeader, payload: Buffer): Promise<void> {
    if (this.closed) return;
    const isRemote = h.prog === PROGRAM.REMOTE;
    const isQemu = h.prog === PROGRAM.QEMU;
    if ((!isRemote && !isQemu) || h.vers !== PROTOCOL_VERSION) {
      this.replyError(h, rpcError(`Cannot find program ${h.prog} version ${h.vers}`));
      return;
    }
    if (h.status !== MessageStatus.OK) {
      this.replyError(h, rpcError(`Unexpected message status ${h.status}`));
      return;
    }
    if (h.type === MessageType.CALL_WITH_FDS) {
      // The descriptors arrived as bytes without them: Node's sockets discard SCM_RIGHTS data (the
      // kernel closes what they carried), so a call that brings one (virDomainOpenGraphics) cannot be served.
      this.replyError(
        h,
        VirError.create(
          ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
          ErrorDomain.VIR_FROM_RPC,
          "fd passing is not supported by this connection: virtkitd cannot receive file descriptors (Node's sockets discard them)",
        ),
      );
      return;
    }
    try {
      if (isRemote && CORE_LAYOUTS[h.proc]) {
        await this.handleCore(h, payload);
        return;
      }
      const p = this.opts.table.get(isRemote ? 'remote' : 'qemu', h.proc);
      if (!p || p.impl === 'handle') {
        this.replyError(h, unknownProcedureError(h.proc));
        return;
      }
      await this.handleProcedure(h, p, payload);
    } catch (e) {
      if (e instanceof ReplyError) this.replyError(h, e.err);
      else {
        if (typeof (e as { code?: unknown })?.code !== 'number')
          this.opts.log.warn(`${this.who}: proc ${h.proc}: ${(e as Error)?.stack ?? e}`);
        this.replyError(h, e);
      }
    }
  }

  private decodeArgs(layout: readonly (readonly [string, string])[], payload: Buffer): Record<string, unknown> {
    try {
      return decodeStruct(layout, payload, 0, false);
    } catch (e) {
      if (e instanceof XdrError) {
        this.opts.log.info(`${this.who}: undecodable arguments: ${e.message}`);
        throw new ReplyError(rpcError('Unable to decode message payload'));
      }
      throw e;
    }
  }

  private needConn(): DriverConnection {
    if (!this.conn)
      throw new ReplyError(templatedError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, 'hypervisor connection not open'));
    return this.conn;
  }

  private async handleProcedure(h: MessageHeader, p: ProcedureInfo, payload: Buffer): Promise<void> {
    const conn = this.needConn();
    if (!p.argMap) {
      this.replyError(h, unknownProcedureError(h.proc));
      return;
    }
    const args = this.decodeArgs(p.args, payload);
    const refusal = listBoundRefusal(p, args) ?? this.access.refusal(p, flagsOf(p, args));
    if (refusal) throw refusal;
    if (p.stream) {
      await this.openStream(h, conn, p, args);
      return;
    }
    if (p.fds === 'reply') {
      await this.replyWithFd(h, conn, p, args);
      return;
    }
    const ret = await dispatchToDriver(conn, p, args);
    this.reply(h, encodeStruct(p.ret, ret));
  }

  private async openStream(h: MessageHeader, conn: DriverConnection, p: ProcedureInfo, args: Record<string, unknown>): Promise<void> {
    const stream = new VirStream();
    const done = dispatchToDriver(conn, p, args, { stream });
    const sparse = (Number(args.flags ?? 0) & 1) !== 0;
    if (p.ret.length) {
      // A call that returns a value with its stream (virDomainScreenshot's MIME type) answers once
      // the driver has it; the stream's data waits in the stream until it is sent.
      this.reply(h, encodeStruct(p.ret, await done));
      this.streams.open(h, stream, p.stream!, sparse, done);
      return;
    }
    // The reply must precede the stream data, while the driver call may last as long as the
    // stream: answer once the call has had a turn to fail on its arguments.
    const early = await Promise.race([
      done.then(
        () => ({ ok: true as const }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
      new Promise<null>((r) => setTimeout(() => r(null), 20)),
    ]);
    if (early && !early.ok) throw early.e;
    this.reply(h, Buffer.alloc(0));
    this.streams.open(h, stream, p.stream!, sparse, done);
  }

  /**
   * A call answered with a descriptor (virDomainOpenGraphicsFD): a REPLY_WITH_FDS frame, then the
   * descriptor on a byte of its own, written by a helper process (`writeWithFd`). The daemon's
   * other frames wait until it is done, so that nothing interleaves with its bytes.
   */
  private async replyWithFd(h: MessageHeader, conn: DriverConnection, p: ProcedureInfo, args: Record<string, unknown>): Promise<void> {
    if (!this.opts.fdPassing || !(this.sock instanceof net.Socket))
      throw VirError.create(
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        ErrorDomain.VIR_FROM_RPC,
        'fd passing is not supported by this connection',
      );
    const fd = (await callDriver(conn, p, args)) as number;
    const sock = this.sock;
    try {
      const nfds = Buffer.alloc(4);
      nfds.writeUInt32BE(1);
      const frame = encodeFrame(
        { ...h, type: MessageType.REPLY_WITH_FDS, status: MessageStatus.OK },
        Buffer.concat([nfds, encodeStruct(p.ret, {})]),
      );
      this.heldFrames = [];
      while (sock.writableLength > 0 && !sock.destroyed) await new Promise((r) => setTimeout(r, 2));
      await writeWithFd(sock, frame, fd, 'after', ErrorDomain.VIR_FROM_RPC);
    } finally {
      releaseFd(fd);
      const held = this.heldFrames ?? [];
      this.heldFrames = null;
      for (const f of held) if (!sock.destroyed) sock.write(f);
    }
  }

  // --- protocol-level procedures ---------------------------------------------------------------

  private async handleCore(h: MessageHeader, payload: Buffer): Promise<void> {
    const layout = CORE_LAYOUTS[h.proc];
    const args = this.decodeArgs(layout.args, payload);
    const ok = (ret: Record<string, unknown> = {}): void => this.reply(h, encodeStruct(layout.ret, ret));
    const objectEvents = this.objectEvents.get(h.proc);
    if (objectEvents) return ok(objectEvents.handle(h.proc, this.needConn(), args));
    switch (h.proc) {
      case REMOTE_PROC.AUTH_LIST:
        return ok({ types: [AUTH_TYPE.NONE] });
      case REMOTE_PROC.AUTH_POLKIT:
        return ok({ complete: 1 });
      case REMOTE_PROC.CONNECT_SUPPORTS_FEATURE: {
        const feature = args.feature as number;
        if (feature === FEATURE.PROGRAM_KEEPALIVE) {
          this.startKeepalive();
          return ok({ supported: 1 });
        }
        const conn = this.needConn();
        const yes =
          feature === FEATURE.REMOTE_EVENT_CALLBACK ||
          feature === FEATURE.REMOTE_CLOSE_CALLBACK ||
          feature === FEATURE.NETWORK_UPDATE_HAS_CORRECT_ORDER ||
          feature === FEATURE.TYPED_PARAM_STRING ||
          (feature === FEATURE.FD_PASSING && this.opts.fdPassing === true) ||
          (MIGRATION_FEATURES.includes(feature) && conn.domainMigrateBegin3Params !== undefined);
        return ok({ supported: yes ? 1 : 0 });
      }
      case REMOTE_PROC.CONNECT_OPEN:
        await this.open((args.name as string | null) ?? '', args.flags as number);
        return ok();
      case REMOTE_PROC.CONNECT_CLOSE:
        await this.closeConn();
        return ok();
      case REMOTE_PROC.CONNECT_GET_URI:
        this.needConn();
        return ok({ uri: this.uri });
      case REMOTE_PROC.CONNECT_REGISTER_CLOSE_CALLBACK:
        this.needConn();
        this.closeCallback = true;
        return ok();
      case REMOTE_PROC.CONNECT_UNREGISTER_CLOSE_CALLBACK:
        this.needConn();
        this.closeCallback = false;
        return ok();
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: {
        const conn = this.needConn();
        const id = this.events.registerCallback(conn.events, args.eventID as number, args.dom as { uuid: string } | null);
        return ok({ callbackID: id });
      }
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY:
        this.needConn();
        this.events.deregisterCallback(args.callbackID as number);
        return ok();
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER_ANY:
        this.events.registerLegacy(this.needConn().events, args.eventID as number);
        return ok();
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY:
        this.needConn();
        this.events.deregisterLegacy(args.eventID as number);
        return ok();
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER:
        this.events.registerLegacy(this.needConn().events, 0);
        return ok({ cb_registered: 1 });
      case REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER:
        this.needConn();
        this.events.deregisterLegacy(0);
        return ok({ cb_registered: 0 });
      default:
        this.replyError(h, unknownProcedureError(h.proc));
    }
  }

  private async open(name: string, flags: number): Promise<void> {
    if (this.conn) throw VirError.operationInvalid('connection already open', ErrorDomain.VIR_FROM_RPC);
    const uriText = name === '' ? this.opts.defaultUri : name;
    const opened = this.opts.openPolicy.resolve(parseUri(uriText));
    const readOnly = this.opts.readOnlySocket || (flags & 1) !== 0;
    const driver = await driverForScheme(opened.driver);
    this.conn = await driver.open(opened, { readOnly });
    await this.opts.driverStates.hold(driver, opened);
    this.access = new AccessPolicy(readOnly);
    this.uri = uriText;
    this.opts.log.info(`${this.who}: opened ${uriText}${readOnly ? ' read-only' : ''} with the ${driver.name} driver`);
  }

  private async closeConn(): Promise<void> {
    this.events.clear();
    for (const regs of new Set(this.objectEvents.values())) regs.clear();
    this.streams.abortAll();
    const c = this.conn;
    this.conn = null;
    this.closeCallback = false;
    if (c) await c.close();
  }

  // --- keepalive --------------------------------------------------------------------------------

  private startKeepalive(): void {
    const interval = this.opts.keepaliveInterval;
    if (interval <= 0 || this.keepaliveTimer || this.closed) return;
    this.lastRx = Date.now();
    const tick = Math.min(interval * 1000, 1000);
    this.keepaliveTimer = setInterval(() => {
      const idle = Date.now() - this.lastRx;
      if (idle < interval * 1000 * (this.missedPings + 1)) return;
      if (this.missedPings >= this.opts.keepaliveCount) {
        this.opts.log.warn(`${this.who}: no keepalive response in ${Math.round(idle / 1000)}s; closing the connection`);
        void this.destroy();
        return;
      }
      this.missedPings++;
      this.sendKeepalive(KEEPALIVE_PROC.PING);
    }, tick);
    this.keepaliveTimer.unref();
  }

  // --- teardown -----------------------------------------------------------------------------------

  /** Close the socket at once (bad input, keepalive timeout, daemon shutdown); settles when torn down. */
  destroy(): Promise<void> {
    this.sock.destroy();
    return this.teardown();
  }

  private tornDown: Promise<void> | null = null;

  private teardown(): Promise<void> {
    if (!this.tornDown) this.tornDown = this.doTeardown();
    return this.tornDown;
  }

  private async doTeardown(): Promise<void> {
    this.closed = true;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    // libvirtd drops the connection when the last job holding the client ends: a call still
    // running keeps using it (calls that had not started yet see `closed` and do nothing).
    await this.gate.idle();
    try {
      await this.closeConn();
    } catch (e) {
      this.opts.log.warn(`${this.who}: closing the driver connection: ${(e as Error).message}`);
    }
    this.opts.onClose(this);
  }

  /** Tell a client that registered a close callback that the daemon goes away (reason 0 = error... 3 = client request). */
  notifyClosing(reason: number): void {
    if (!this.closeCallback || this.closed) return;
    this.sendMessage(
      REMOTE_PROC.CONNECT_EVENT_CONNECTION_CLOSED,
      encodeStruct(MESSAGE_LAYOUTS[REMOTE_PROC.CONNECT_EVENT_CONNECTION_CLOSED], { reason }),
    );
  }
}

/** The procedures that open, close or authenticate the connection: nothing else runs beside them. */
const EXCLUSIVE_PROCS = new Set<number>([
  REMOTE_PROC.CONNECT_OPEN,
  REMOTE_PROC.CONNECT_CLOSE,
  REMOTE_PROC.AUTH_LIST,
  REMOTE_PROC.AUTH_POLKIT,
]);

/** Event and close-callback (de)registrations, which must take effect in the order they were sent. */
const ORDERED_PROCS = new Set<number>([
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER,
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER,
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_REGISTER_ANY,
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY,
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
  REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
  REMOTE_PROC.CONNECT_NETWORK_EVENT_REGISTER_ANY,
  REMOTE_PROC.CONNECT_NETWORK_EVENT_DEREGISTER_ANY,
  REMOTE_PROC.CONNECT_REGISTER_CLOSE_CALLBACK,
  REMOTE_PROC.CONNECT_UNREGISTER_CLOSE_CALLBACK,
]);

function callOrder(h: MessageHeader): CallOrder {
  if (h.prog !== PROGRAM.REMOTE) return 'concurrent';
  if (EXCLUSIVE_PROCS.has(h.proc)) return 'exclusive';
  return ORDERED_PROCS.has(h.proc) ? 'ordered' : 'concurrent';
}

/** The flags word of a call's decoded arguments (0 when the call has none). */
function flagsOf(p: ProcedureInfo, args: Record<string, unknown>): number {
  const i = (p.argMap ?? []).findIndex((s) => s.kind === 'flags');
  return i < 0 ? 0 : Number(args[p.args[i][0]] ?? 0);
}

export { FrameError };
