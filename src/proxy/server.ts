import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { pino, type Logger } from 'pino';
import type { ListenAddress } from '../config/listen.js';
import { describeUpstream, type UpstreamConfig } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { CancelKeys } from './cancel-keys.js';
import { negotiateStartup, type StartupOutcome } from './client-startup.js';
import { passThroughInterceptor, type Interceptor } from './interceptor.js';
import type { ProxyLimits } from './limits.js';
import { errorResponse } from './protocol/backend-messages.js';
import { loadNativeRelay, type NativeRelayLoad, type NativeRelayModule, type RelayChoice } from './native-relay.js';
import { Session, type UpstreamFailure } from './session.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export interface ProxyConfig {
  listen: ListenAddress;
  upstream: UpstreamConfig;
  limits: ProxyLimits;
  tls?: TlsFiles;
  /** Which relay carries sessions' steady state (default `auto`: the native one when built). */
  relay?: RelayChoice;
}

export interface ProxyServer {
  readonly address: ListenAddress;
  readonly sessionCount: number;
  traffic(): Traffic;
  /** Which relay ready sessions use, and how many are on the native one right now. */
  relayStatus(): RelayStatus;
  /** Stop accepting; idle sessions close now, busy ones get `timeoutMs` (default limits.shutdownTimeoutMs). */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** A cancel another proxy received for one of this proxy's sessions (see CancelRelay); true when the key is ours. */
  cancelByDigest(pid: number, digest: string): boolean;
}

/**
 * Where a cancel goes when its key is not this proxy's: proxies behind one address (a load
 * balancer) pass it on to each other, by pid and a digest of the secret.
 */
export interface CancelRelay {
  forward(pid: number, digest: string): void;
}

/** Sessions whose server side failed, reported as they close (for metrics). */
export interface ProxyObserver {
  upstreamFailed(kind: UpstreamFailure): void;
}

export interface RelayStatus {
  relay: 'native' | 'js';
  /** Open sessions whose steady state the native relay carries at this moment. */
  nativeSessions: number;
  /**
   * Watched messages the native relay passed by the interceptor's native filter, without a judge
   * call, since the proxy started (closed sessions included).
   */
  nativelyPassed: number;
}

/** Bytes relayed since the proxy started, open sessions included. */
export interface Traffic {
  fromClient: number;
  fromServer: number;
}

export interface ProxyDeps {
  interceptor?: Interceptor;
  logger?: Logger;
  observer?: ProxyObserver;
  cancelRelay?: CancelRelay;
}

function listen(server: Server, address: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        new TripwireError(
          'TW_LISTEN_FAILED',
          { address: `${address.host}:${address.port}`, detail: err.code === 'EADDRINUSE' ? 'address already in use' : err.message },
          { cause: err },
        ),
      );
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : address);
    });
  });
}

/** The native relay module for `choice`, or null; `native` that cannot load is a configuration error. */
export function chooseRelay(choice: RelayChoice, log: Logger, load: NativeRelayLoad = loadNativeRelay()): NativeRelayModule | null {
  if (choice === 'js') return null;
  if (load.ok) return load.module;
  if (choice === 'native') throw new TripwireError('TW_CONFIG_INVALID', { detail: `--relay native: the native relay is ${load.reason}` });
  log.warn({ reason: load.reason }, 'native relay unavailable: using the JavaScript relay, which costs more CPU per query (see docs/bench.md)');
  return null;
}

export async function startProxy(config: ProxyConfig, deps: ProxyDeps = {}): Promise<ProxyServer> {
  const log = deps.logger ?? pino({ level: 'silent' });
  const interceptor = deps.interceptor ?? passThroughInterceptor;
  const cancelKeys = new CancelKeys();
  const sessions = new Set<Session>();
  const closedTraffic: Traffic = { fromClient: 0, fromServer: 0 };
  let closedNativelyPassed = 0;
  const handshakes = new Set<Socket>();
  const tls: SecureContext | undefined = config.tls ? createSecureContext(config.tls) : undefined;
  const nativeRelay = chooseRelay(config.relay ?? 'auto', log);
  let closing = false;

  const accept = async (socket: Socket) => {
    const id = randomBytes(4).toString('hex');
    const connLog = log.child({ conn: id });
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    handshakes.add(socket);
    const outcome = await negotiateStartup(socket, config.limits.maxStartupBytes, tls);
    handshakes.delete(socket);
    if (closing) return outcome.socket.destroy();
    handleOutcome(id, connLog, outcome);
  };

  const handleOutcome = (id: string, connLog: Logger, outcome: StartupOutcome) => {
    const socket = outcome.socket;
    socket.on('error', () => undefined);
    if (outcome.kind === 'failed') {
      if (outcome.error) {
        connLog.warn({ code: outcome.error.code, err: outcome.error.message }, 'startup refused');
        const sqlstate = outcome.error.sqlstate ?? '08P01';
        socket.end(errorResponse({ severity: 'FATAL', code: sqlstate, message: outcome.error.message }));
      } else socket.destroy();
      return;
    }
    if (outcome.kind === 'cancel') {
      // Never answered, whatever happens: the client learns the outcome on its own session.
      const { pid, secret } = outcome.cancel;
      const target = cancelKeys.find(pid, secret);
      if (target) target.cancel();
      else deps.cancelRelay?.forward(pid, CancelKeys.digest(pid, secret));
      socket.end();
      return;
    }
    const session = new Session(id, socket, outcome.startup, outcome.rest, {
      upstream: config.upstream,
      limits: config.limits,
      interceptor,
      cancelKeys,
      nativeRelay,
      log: connLog,
      onClosed: (s, upstreamError) => {
        sessions.delete(s);
        closedTraffic.fromClient += s.bytesFromClient;
        closedTraffic.fromServer += s.bytesFromServer;
        closedNativelyPassed += s.nativelyPassed;
        if (upstreamError) deps.observer?.upstreamFailed(upstreamError);
      },
    });
    sessions.add(session);
    void session.connect();
  };

  const server = createServer({ noDelay: true, pauseOnConnect: false }, (socket) => void accept(socket));
  server.on('error', (err) => log.error({ err: err.message }, 'listener error'));
  const address = await listen(server, config.listen);
  log.info({ listen: `${address.host}:${address.port}`, upstream: describeUpstream(config.upstream) }, 'proxy listening');

  return {
    address,
    get sessionCount() {
      return sessions.size;
    },
    traffic() {
      const t = { ...closedTraffic };
      for (const s of sessions) {
        t.fromClient += s.bytesFromClient;
        t.fromServer += s.bytesFromServer;
      }
      return t;
    },
    relayStatus() {
      let nativeSessions = 0;
      let nativelyPassed = closedNativelyPassed;
      for (const s of sessions) {
        if (s.onNativeRelay) nativeSessions++;
        nativelyPassed += s.nativelyPassed;
      }
      return { relay: nativeRelay ? 'native' : 'js', nativeSessions, nativelyPassed };
    },
    cancelByDigest(pid, digest) {
      const target = cancelKeys.findByDigest(pid, digest);
      target?.cancel();
      return target !== undefined;
    },
    async close(options = {}) {
      if (closing) return;
      closing = true;
      const timeoutMs = options.timeoutMs ?? config.limits.shutdownTimeoutMs;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of handshakes) socket.destroy();
      for (const session of [...sessions]) session.shutdown();
      const deadline = Date.now() + timeoutMs;
      while (sessions.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
      }
      for (const session of [...sessions]) session.close('shutdown timeout', 'TW_SHUTTING_DOWN');
      await stopped;
      log.info('proxy stopped');
    },
  };
}
