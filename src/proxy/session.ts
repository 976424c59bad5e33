import { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { UpstreamConfig } from '../config/upstream.js';
import { TripwireError, type ErrorCode } from '../errors.js';
import type { CancelKeys } from './cancel-keys.js';
import type { ClientSocket } from './client-startup.js';
import { DirectWriter } from './direct-write.js';
import { HeldErrors } from './held-errors.js';
import { InternalSegments } from './internal-segments.js';
import type { Interceptor, SessionInterceptor, Verdict } from './interceptor.js';
import type { ProxyLimits } from './limits.js';
import { NativePump, PUMP_HANDOFF, PUMP_PASS, PUMP_PASS_WANT_READY, PumpStop, Slot, type NativeRelayModule, type PumpOwner } from './native-relay.js';
import { backendKeyData, errorResponse, noticeResponse } from './protocol/backend-messages.js';
import { BackendScanner, type BackendScanHandler } from './protocol/backend-scanner.js';
import { MSG, type TransactionStatus } from './protocol/codes.js';
import { Frame, FrontendFramer } from './protocol/frontend-framer.js';
import { cancelRequest, parseMessage, parseStatementName, queryMessage, TERMINATE } from './protocol/frontend-messages.js';
import { startupPacket, type StartupRequest } from './protocol/startup-packet.js';
import { socketFd, startReading, stopReading } from './socket-handle.js';
import { connectUpstream, type ReadInto, type UpstreamSocket } from './upstream-connect.js';

type StartupMessage = Extract<StartupRequest, { kind: 'startup' }>;

/** The session's one state: where it is in the connection's life. */
type Step = 'connecting' | 'authenticating' | 'ready' | 'closed';

/** Why the client socket is paused; it reads again only when none remain. */
const PAUSE_VERDICT = 1;
const PAUSE_BACKPRESSURE = 2;
const PAUSE_CONNECTING = 4;

const READ_BUFFER_BYTES = 64 * 1024;

export interface SessionEnv {
  upstream: UpstreamConfig;
  limits: ProxyLimits;
  interceptor: Interceptor;
  cancelKeys: CancelKeys;
  /** The native relay for the steady state, or null for the JavaScript relay throughout. */
  nativeRelay: NativeRelayModule | null;
  log: Logger;
  /** Called once, after the session has closed; `upstreamError` says why when the server side failed. */
  onClosed(session: Session, upstreamError: UpstreamFailure | null): void;
}

/** How the server side of a session failed, for metrics: never reached, refused TLS, or lost. */
export type UpstreamFailure = 'unreachable' | 'tls_refused' | 'lost';

const UPSTREAM_FAILURES: Partial<Record<ErrorCode, UpstreamFailure>> = {
  TW_UPSTREAM_UNREACHABLE: 'unreachable',
  TW_UPSTREAM_TLS_REFUSED: 'tls_refused',
  TW_UPSTREAM_LOST: 'lost',
};

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as Promise<T>)?.then === 'function';
}

/**
 * One client connection and its one upstream connection, for the connection's whole life
 * (session mode). Frontend messages are framed and shown to the interceptor in order; backend
 * messages are relayed as they stream, with only their headers read.
 */
export class Session implements BackendScanHandler, PumpOwner {
  step: Step = 'connecting';
  private status: TransactionStatus = 'I';
  readonly startedAt = Date.now();
  private fromClient = 0;
  private fromServer = 0;
  private filtered = 0;

  private upstream: UpstreamSocket | null = null;
  private upstreamWriter: DirectWriter | null = null;
  private readonly clientWriter: DirectWriter;
  private readonly framer: FrontendFramer;
  private readonly scanner: BackendScanner;
  private readonly judge: SessionInterceptor;
  private readonly held = new HeldErrors();
  private readonly internal = new InternalSegments();
  /** Sync points (Query, Sync) sent upstream, and ReadyForQuery messages received, since startup. */
  private segmentsExpected = 0;
  private segmentsReceived = 0;
  private lastSegmentInternal = false;
  private clientPause = PAUSE_CONNECTING;
  private writesThisTurn = 0;
  private readBuffer: Buffer | null = null;
  private verdictPending = false;
  /** Query and Sync messages forwarded whose ReadyForQuery has not come back yet. */
  private outstanding = 0;
  private forwardedSinceReady = false;
  private draining = false;
  private clientTerminated = false;
  private readonly toClientQueue: Buffer[] = [];
  private upstreamKey: { pid: number; secret: Buffer } | null = null;
  private ownKeyPid = 0;
  /** The native relay, once the session has been steady enough to hand it over (see tryNative). */
  private relay: NativePump | null = null;
  private relayFailed = false;
  /** > 0 while the pump calls us: starting or stopping it then must wait. */
  private inPumpCallback = 0;
  /** A verdict the pump's callback already obtained for the first message it handed back. */
  private preJudged: { verdict: Verdict | Promise<Verdict> } | { error: unknown } | null = null;

  constructor(
    readonly id: string,
    private readonly client: ClientSocket,
    private readonly startup: StartupMessage,
    rest: Buffer,
    private readonly env: SessionEnv,
  ) {
    this.clientWriter = new DirectWriter(client);
    this.judge = env.interceptor.openSession({
      id,
      clientAddress: `${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`,
      parameters: startup.parameters,
    });
    this.framer = new FrontendFramer(this.judge.watches, env.limits.maxMessageBytes);
    this.framer.push(rest);
    this.fromClient = startup.packet.length + rest.length;
    this.scanner = new BackendScanner(this, env.limits.maxMessageBytes);
    this.scanner.captures.fill(1); // startup: see every message until the first ReadyForQuery
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    client.on('drain', () => this.upstream?.resume());
    client.on('error', (err) => this.env.log.debug({ err: err.message }, 'client socket error'));
    client.on('close', () => this.close('client disconnected'));
  }

  /** True while the session has a query or an unfinished pipeline on the server. */
  get busy(): boolean {
    if (this.relay?.running) return this.relay.state[Slot.Outstanding] > 0 || this.relay.state[Slot.Forwarded] === 1;
    return this.outstanding > 0 || this.forwardedSinceReady || this.verdictPending;
  }

  /** True while the native relay carries the session. */
  get onNativeRelay(): boolean {
    return this.relay?.running ?? false;
  }

  /** The transaction status of the last ReadyForQuery. */
  get txStatus(): TransactionStatus {
    return this.relay?.running ? (String.fromCharCode(this.relay.state[Slot.TxStatus]!) as TransactionStatus) : this.status;
  }

  /** Watched messages the native relay passed by the interceptor's native filter, without a judge call. */
  get nativelyPassed(): number {
    return this.filtered + this.countedByRunningPump(Slot.Filtered);
  }

  get bytesFromClient(): number {
    return this.fromClient + this.countedByRunningPump(Slot.FromClient);
  }

  get bytesFromServer(): number {
    return this.fromServer + this.countedByRunningPump(Slot.FromServer);
  }

  /** A running total the pump keeps until it stops and the session takes it over (pumpStopped). */
  private countedByRunningPump(slot: Slot): number {
    return this.relay?.running ? this.relay.state[slot]! : 0;
  }

  async connect(): Promise<void> {
    let upstream: UpstreamSocket;
    const onread: ReadInto = {
      buffer: () => this.nextReadBuffer(),
      callback: (bytes, buffer) => {
        this.onServerData((buffer as Buffer).subarray(0, bytes));
        return true;
      },
    };
    try {
      upstream = await connectUpstream(this.env.upstream, this.env.limits.connectTimeoutMs, onread);
    } catch (err) {
      const error = err instanceof TripwireError ? err : new TripwireError('TW_UPSTREAM_UNREACHABLE', { address: '?', detail: String(err) });
      this.env.log.warn({ err: error.message }, 'upstream connection failed');
      return this.fail(error);
    }
    if (this.step === 'closed') {
      upstream.destroy();
      return;
    }
    this.upstream = upstream;
    this.upstreamWriter = new DirectWriter(upstream);
    upstream.setNoDelay(true);
    if (this.env.upstream.sslmode !== 'disable') upstream.on('data', (chunk: Buffer) => this.onServerData(chunk));
    upstream.on('drain', () => this.resumeClient(PAUSE_BACKPRESSURE));
    upstream.on('error', (err) => this.env.log.debug({ err: err.message }, 'upstream socket error'));
    upstream.on('close', () => this.onUpstreamClosed());
    upstream.resume();
    this.step = 'authenticating';
    const parameters = this.judge.startupParameters;
    upstream.write(parameters ? startupPacket(this.startup.major, this.startup.minor, parameters) : this.startup.packet);
    this.resumeClient(PAUSE_CONNECTING);
    this.pump();
  }

  // ---- frontend → upstream -------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    if (this.relay?.running) return this.internalError(new Error('the client socket was read while the native relay owned it'));
    this.fromClient += chunk.length;
    this.framer.push(chunk);
    this.pump();
  }

  /** Forwards every complete message the framer holds, stopping at a pending verdict. */
  private pump(): void {
    const upstream = this.upstream;
    if (!upstream || this.verdictPending || this.step === 'closed') return;
    this.writesThisTurn = 0;
    try {
      for (;;) {
        const frame = this.framer.next();
        if (frame === Frame.None) break;
        if (frame === Frame.Run) {
          this.forward(this.framer.view, this.framer.runSyncs);
          continue;
        }
        const type = this.framer.type;
        const message = this.framer.view;
        const verdict = type === MSG.password ? null : this.takePreJudged() ?? this.judge.judge(type, message);
        if (verdict === null) this.forward(message, 0);
        else if (isPromise(verdict)) {
          this.awaitVerdict(type, message, verdict);
          break;
        } else this.apply(type, message, verdict);
      }
    } catch (err) {
      if (err instanceof TripwireError) this.fail(err);
      else this.internalError(err);
    } finally {
      if (this.writesThisTurn > 1) upstream.uncork();
    }
    this.tryNative();
  }

  private awaitVerdict(type: number, message: Buffer, pending: Promise<Verdict>): void {
    this.verdictPending = true;
    this.pauseClient(PAUSE_VERDICT);
    pending.then(
      (verdict) => {
        this.verdictPending = false;
        if (this.step === 'closed' || !this.upstream) return;
        this.writesThisTurn = 0;
        this.apply(type, message, verdict);
        if (this.writesThisTurn > 1) this.upstream.uncork();
        this.resumeClient(PAUSE_VERDICT);
        this.pump();
      },
      (err: unknown) => this.internalError(err),
    );
  }

  private apply(type: number, message: Buffer, verdict: Verdict): void {
    switch (verdict.action) {
      case 'pass':
        if (verdict.internal) this.sendInternal(verdict.internal);
        return this.forward(message, isSyncPoint(type) ? 1 : 0);
      case 'notice':
        this.toClient(noticeResponse(verdict.notice));
        if (verdict.internal) this.sendInternal(verdict.internal);
        return this.forward(message, isSyncPoint(type) ? 1 : 0);
      case 'replace':
        return this.forward(verdict.upstream, countSyncPoints(verdict.upstream));
      case 'refuse':
        return this.refuse(type, message, errorResponse(verdict.error));
    }
  }

  /** See HeldErrors: the server receives a statement that fails in its parser, never the refused one. */
  private refuse(type: number, message: Buffer, error: Buffer): void {
    const marker = this.held.register(error, this.outstanding);
    this.scanner.captures[MSG.errorResponse] = 1;
    if (type === MSG.query) return this.forward(queryMessage(marker), 1);
    const name = type === MSG.parse ? parseStatementName(message) : '';
    this.forward(parseMessage(name, marker), 0);
  }

  /** See InternalSegments: from here until those segments come back, every backend message is vetted. */
  private sendInternal(queries: Buffer): void {
    const count = countSyncPoints(queries);
    this.internal.add(this.segmentsExpected, count);
    this.scanner.captures.fill(1);
    this.forward(queries, count);
  }

  private forward(bytes: Buffer, syncPoints: number): void {
    this.segmentsExpected += syncPoints;
    this.outstanding += syncPoints;
    this.forwardedSinceReady = true;
    // Terminate ('X', length 4) is the last thing a client sends; the server then just closes.
    const n = bytes.length;
    if (n >= 5 && bytes[n - 5] === MSG.terminate && bytes[n - 1] === 4 && bytes[n - 2] === 0 && bytes[n - 3] === 0 && bytes[n - 4] === 0) this.clientTerminated = true;
    // Most turns write once; cork only from the second write on, so several become one writev.
    if (++this.writesThisTurn === 2) this.upstream!.cork();
    if (!this.upstreamWriter!.write(bytes)) this.pauseClient(PAUSE_BACKPRESSURE);
  }

  private pauseClient(reason: number): void {
    if (this.clientPause === 0) this.client.pause();
    this.clientPause |= reason;
  }

  private resumeClient(reason: number): void {
    if ((this.clientPause & reason) === 0) return;
    this.clientPause &= ~reason;
    if (this.clientPause === 0 && this.step !== 'closed') this.client.resume();
  }

  // ---- upstream → client (BackendScanHandler) -------------------------------------------

  /**
   * The buffer for the next upstream read. Reused while the previous one is fully handed to the
   * kernel; replaced when a client write still holds a view of it.
   */
  private nextReadBuffer(): Buffer {
    if (this.readBuffer === null || this.client.writableLength > 0) this.readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    return this.readBuffer;
  }

  private onServerData(chunk: Buffer): void {
    if (this.relay?.running) return this.internalError(new Error('the upstream socket was read while the native relay owned it'));
    this.fromServer += chunk.length;
    this.scanner.scan(chunk);
    if (this.toClientQueue.length > 0 && this.scanner.atBoundary) this.flushToClient();
    if (this.draining && !this.busy && this.txStatus === 'I') this.close('shutdown: session idle', 'TW_SHUTTING_DOWN');
  }

  emit(bytes: Buffer): void {
    if (!this.clientWriter.write(bytes)) this.upstream?.pause();
  }

  readyForQuery(status: TransactionStatus, failed: boolean): void {
    this.status = status;
    // The ReadyForQuery that ends startup answers no request of ours.
    if (this.step !== 'ready') return;
    this.segmentsReceived++;
    if (this.outstanding > 0) this.outstanding--;
    if (this.outstanding === 0) this.forwardedSinceReady = false;
    if (this.held.pending) this.held.readyForQuery();
    this.lastSegmentInternal = this.internal.pending && this.internal.isInternal(this.segmentsReceived);
    if (!this.lastSegmentInternal) this.judge.readyForQuery?.(status, failed);
  }

  captured(type: number, message: Buffer): Buffer | null {
    if (this.internal.pending) {
      const drop = type === MSG.readyForQuery ? this.lastSegmentInternal : this.internal.isInternal(this.segmentsReceived + 1);
      if (type === MSG.readyForQuery) this.settleInternal();
      if (drop) return null;
    }
    if (type === MSG.errorResponse) {
      const out = this.held.pending ? this.held.rewrite(message) : message;
      if (!this.held.pending && !this.internal.pending && this.step === 'ready') this.scanner.captures[MSG.errorResponse] = 0;
      return out;
    }
    if (this.step === 'authenticating') return this.capturedDuringStartup(type, message);
    return message;
  }

  private settleInternal(): void {
    this.internal.settle(this.segmentsReceived);
    if (!this.internal.pending && this.step === 'ready') {
      this.scanner.captures.fill(0);
      if (this.held.pending) this.scanner.captures[MSG.errorResponse] = 1;
    }
  }

  private capturedDuringStartup(type: number, message: Buffer): Buffer {
    if (type === MSG.backendKeyData && message.length >= 13) {
      const secret = Buffer.from(message.subarray(9));
      this.upstreamKey = { pid: message.readInt32BE(5), secret };
      const own = this.env.cancelKeys.issue({ cancel: () => this.forwardCancel() }, secret.length);
      this.ownKeyPid = own.pid;
      return backendKeyData(own.pid, own.secret);
    }
    if (type === MSG.readyForQuery) {
      this.step = 'ready';
      this.scanner.captures.fill(0);
      if (this.held.pending) this.scanner.captures[MSG.errorResponse] = 1;
      this.env.log.info(
        {
          user: this.startup.parameters.get('user'),
          database: this.startup.parameters.get('database') ?? this.startup.parameters.get('user'),
          application_name: this.startup.parameters.get('application_name'),
          protocol: `${this.startup.major}.${this.startup.minor}`,
        },
        'session ready',
      );
    }
    return message;
  }

  malformed(detail: string): void {
    this.env.log.error({ detail }, 'upstream sent a malformed message');
    this.close('upstream protocol violation', 'TW_UPSTREAM_LOST');
  }

  /** Sends a message of the proxy's own to the client between two backend messages. */
  private toClient(message: Buffer): void {
    this.toClientQueue.push(message);
    if (this.scanner.atBoundary) this.flushToClient();
  }

  private flushToClient(): void {
    for (const m of this.toClientQueue.splice(0)) this.emit(m);
  }

  // ---- cancel, faults, shutdown ---------------------------------------------------------

  /** Only while this session runs something, and always on a connection of its own. */
  private forwardCancel(): void {
    if (!this.upstreamKey || !this.busy || this.step !== 'ready') return;
    const key = this.upstreamKey;
    connectUpstream(this.env.upstream, this.env.limits.connectTimeoutMs).then(
      (socket) => {
        socket.on('error', () => socket.destroy());
        socket.end(cancelRequest(key.pid, key.secret));
        this.env.log.info('cancel forwarded');
      },
      (err: unknown) => this.env.log.warn({ err: String(err) }, 'cancel could not reach the upstream'),
    );
  }

  private onUpstreamClosed(): void {
    if (this.step === 'closed') return;
    // The client said goodbye and the server closed as asked: nothing went wrong.
    if (this.clientTerminated) return this.close('client terminated');
    // After the server's own FATAL (bad password, terminated backend) the client already knows why.
    const code: ErrorCode | undefined = this.scanner.lastType === MSG.errorResponse ? undefined : 'TW_UPSTREAM_LOST';
    this.close('upstream closed', code);
  }

  /** Ends the session because of a protocol error or an unreachable upstream. */
  private fail(error: TripwireError): void {
    this.env.log.warn({ code: error.code, err: error.message }, 'session failed');
    this.closeWith(error);
  }

  private internalError(err: unknown): void {
    this.env.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'internal error');
    this.close('internal error', 'TW_UPSTREAM_LOST');
  }

  /** Graceful shutdown: idle sessions end now, busy ones when they become idle. */
  shutdown(): void {
    this.draining = true;
    this.stopNative();
    if (this.step !== 'ready' || (!this.busy && this.txStatus === 'I')) {
      this.close('shutdown', 'TW_SHUTTING_DOWN');
    } else {
      this.draining = true;
    }
  }

  close(reason: string, code?: ErrorCode): void {
    if (this.step === 'closed') return;
    this.closeWith(code ? new TripwireError(code) : undefined, reason);
  }

  private closeWith(error: TripwireError | undefined, reason = error?.code ?? 'closed'): void {
    if (this.step === 'closed') return;
    this.stopNative();
    if ((this.step as Step) === 'closed') return;
    const wasReady = this.step === 'ready';
    this.step = 'closed';
    if (this.ownKeyPid) this.env.cancelKeys.revoke(this.ownKeyPid);
    this.judge.close?.();
    const upstream = this.upstream;
    if (upstream) {
      // A polite Terminate only when the server is between statements; otherwise drop the socket so
      // the server rolls back and releases locks at once.
      if (wasReady && !this.busy && this.framer.atBoundary) upstream.end(TERMINATE);
      else upstream.destroy();
    }
    if (error?.sqlstate && this.scanner.atBoundary && !this.client.destroyed) {
      this.flushToClient();
      this.client.end(errorResponse({ severity: 'FATAL', code: error.sqlstate, message: error.message }));
    } else {
      this.client.end();
    }
    setTimeout(() => this.client.destroy(), 1000).unref();
    this.env.log.info(
      { reason, ms: Date.now() - this.startedAt, bytesFromClient: this.bytesFromClient, bytesFromServer: this.bytesFromServer },
      'session closed',
    );
    this.env.onClosed(this, reason === 'internal error' || !error ? null : (UPSTREAM_FAILURES[error.code] ?? null));
    if (this.relay && !this.relay.running) this.relay.release();
  }

  // ---- the native relay ------------------------------------------------------------------

  private takePreJudged(): Verdict | Promise<Verdict> | null {
    const pre = this.preJudged;
    if (pre === null) return null;
    this.preJudged = null;
    if ('error' in pre) throw pre.error;
    return pre.verdict;
  }

  /**
   * Hands the steady state to the native pump when nothing the pump does not know is pending:
   * plain sockets, a ready session, no verdict, held error or internal query outstanding, nothing
   * queued either way, and no partial frontend message.
   */
  private tryNative(): void {
    const native = this.env.nativeRelay;
    const upstream = this.upstream;
    if (native === null || this.relayFailed || this.inPumpCallback > 0 || this.relay?.running) return;
    if (this.step !== 'ready' || !upstream || this.verdictPending || this.clientPause !== 0 || this.draining || this.clientTerminated) return;
    if (this.held.pending || this.internal.pending || this.toClientQueue.length > 0 || this.preJudged !== null || !this.framer.atBoundary) return;
    const client = this.client;
    if (client.writableLength > 0 || upstream.writableLength > 0 || upstream.writableCorked > 0 || client.readableLength > 0 || upstream.readableLength > 0) return;
    if (client instanceof TLSSocket || upstream instanceof TLSSocket) return;
    const position = this.scanner.position();
    const clientFd = socketFd(client);
    const upstreamFd = socketFd(upstream);
    if (position === null || clientFd < 0 || upstreamFd < 0) return;
    try {
      this.relay ??= new NativePump(native, this, this.judge.watches, this.env.limits.maxMessageBytes, this.judge.nativeFilter ?? null);
      const s = this.relay.state;
      s.fill(0);
      s[Slot.Outstanding] = this.outstanding;
      s[Slot.Forwarded] = this.forwardedSinceReady ? 1 : 0;
      s[Slot.TxStatus] = this.status.charCodeAt(0);
      s[Slot.Skip] = position.skip;
      s[Slot.HeaderFilled] = position.headerFilled;
      position.header.copy(this.relay.header, 0, 0, position.headerFilled);
      s[Slot.LastType] = position.lastType;
      s[Slot.Failed] = position.failed ? 1 : 0;
      s[Slot.WantReady] = this.readyForQueryNeeded() ? 1 : 0;
      stopReading(client);
      stopReading(upstream);
      this.relay.start(clientFd, upstreamFd);
    } catch (err) {
      // Never fatal to the session: it carries on in JavaScript.
      this.relayFailed = true;
      this.env.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'native relay could not start; this session stays on the JavaScript relay');
      this.resumeReading();
    }
  }

  /** Takes the session back from the pump, if it has it (pumpStopped runs before this returns). */
  private stopNative(): void {
    if (this.relay?.running) this.relay.stop();
  }

  pumpMessage(type: number, message: Buffer): number {
    this.inPumpCallback++;
    try {
      const verdict = this.judge.judge(type, message);
      if (!isPromise(verdict) && verdict.action === 'pass' && !verdict.internal) return this.readyForQueryNeeded() ? PUMP_PASS_WANT_READY : PUMP_PASS;
      this.preJudged = { verdict };
    } catch (error) {
      this.preJudged = { error };
    } finally {
      this.inPumpCallback--;
    }
    return PUMP_HANDOFF;
  }

  pumpReady(status: number, failed: boolean): boolean {
    this.inPumpCallback++;
    try {
      this.judge.readyForQuery?.(String.fromCharCode(status) as TransactionStatus, failed);
    } catch (err) {
      this.env.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'readyForQuery failed');
    } finally {
      this.inPumpCallback--;
    }
    return this.readyForQueryNeeded();
  }

  private readyForQueryNeeded(): boolean {
    return this.judge.readyForQuery !== undefined && (this.judge.readyForQueryNeeded?.() ?? true);
  }

  pumpStopped(reason: PumpStop, rest: Buffer | null, toUpstream: Buffer | null, toClient: Buffer | null): void {
    const s = this.relay!.state;
    this.outstanding = s[Slot.Outstanding]!;
    this.forwardedSinceReady = s[Slot.Forwarded] === 1;
    this.segmentsExpected += s[Slot.Syncs]!;
    this.segmentsReceived += s[Slot.Readies]!;
    this.fromClient += s[Slot.FromClient]!;
    this.fromServer += s[Slot.FromServer]!;
    this.filtered += s[Slot.Filtered]!;
    this.status = String.fromCharCode(s[Slot.TxStatus]!) as TransactionStatus;
    this.scanner.resumeAt(s[Slot.Skip]!, this.relay!.header, s[Slot.HeaderFilled]!, s[Slot.LastType]!, s[Slot.Failed] === 1);
    if (rest) this.framer.push(rest);
    this.resumeReading();
    // What the pump could not write yet goes first, through the streams, which then own order,
    // backpressure and error reporting.
    if (toUpstream && !this.upstreamWriter!.write(toUpstream)) this.pauseClient(PAUSE_BACKPRESSURE);
    if (toClient) this.emit(toClient);
    if (this.step === 'closed') return;
    if (reason === PumpStop.BackendMalformed) return this.malformed('a backend message with a length under 4');
    if (reason === PumpStop.CallbackFailed) return this.internalError(this.relay!.takeCallbackError());
    // The pump comes back on the next client data at the earliest: after an end of stream it
    // must not take the socket again before the stream has seen that end.
    this.inPumpCallback++;
    try {
      this.pump();
    } finally {
      this.inPumpCallback--;
    }
  }

  private resumeReading(): void {
    if (this.clientPause === 0) startReading(this.client);
    if (this.upstream && !this.upstream.destroyed) startReading(this.upstream);
  }
}

function isSyncPoint(type: number): boolean {
  return type === MSG.query || type === MSG.sync;
}

/** Sync points in bytes the interceptor supplied (whole frontend messages). */
function countSyncPoints(bytes: Buffer): number {
  let n = 0;
  for (let o = 0; o + 5 <= bytes.length; o += 1 + bytes.readInt32BE(o + 1)) {
    if (isSyncPoint(bytes[o]!)) n++;
  }
  return n;
}
