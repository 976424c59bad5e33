import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { describeUpstream, type UpstreamConfig } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { sslRequest } from './protocol/frontend-messages.js';

export type UpstreamSocket = Socket | TLSSocket;

function unreachable(upstream: UpstreamConfig, detail: string, cause?: unknown): TripwireError {
  return new TripwireError('TW_UPSTREAM_UNREACHABLE', { address: describeUpstream(upstream), detail }, { cause });
}

/**
 * Reads into caller-supplied buffers instead of a fresh allocation and a stream event per read
 * (net's `onread`). Only for plaintext: TLS sockets must use 'data' events.
 */
export interface ReadInto {
  buffer: () => Buffer;
  /** Returning false pauses the socket, as socket.pause() would. */
  callback: (bytes: number, buffer: Uint8Array) => boolean;
}

function tcpConnect(upstream: UpstreamConfig, timeoutMs: number, onread?: ReadInto): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: upstream.host, port: upstream.port, noDelay: true, ...(onread ? { onread } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unreachable(upstream, `no connection within ${timeoutMs} ms (connectTimeoutMs)`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(unreachable(upstream, err.message, err));
    });
  });
}

/** Sends SSLRequest and reads the server's one-byte answer. */
function askForTls(socket: Socket, upstream: UpstreamConfig): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      cleanup();
      // A server that says anything but one byte here is not speaking the protocol we expect.
      if (chunk.length !== 1) return reject(unreachable(upstream, 'unexpected reply to SSLRequest'));
      resolve(chunk[0] === 0x53);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(unreachable(upstream, err.message, err));
    };
    const onClose = () => {
      cleanup();
      reject(unreachable(upstream, 'closed during SSLRequest'));
    };
    const cleanup = () => {
      socket.off('data', onData).off('error', onError).off('close', onClose);
      socket.pause();
    };
    socket.on('data', onData).on('error', onError).on('close', onClose);
    socket.write(sslRequest());
  });
}

function startTls(socket: Socket, upstream: UpstreamConfig): Promise<TLSSocket> {
  const verify = upstream.sslmode === 'verify-ca' || upstream.sslmode === 'verify-full';
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      ...(isIP(upstream.host) ? {} : { servername: upstream.host }),
      rejectUnauthorized: verify,
      ...(upstream.sslrootcert ? { ca: readFileSync(upstream.sslrootcert) } : {}),
      // verify-ca checks the chain but not the host name, as libpq does.
      ...(upstream.sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    });
    tls.once('secureConnect', () => {
      tls.removeAllListeners('error');
      resolve(tls);
    });
    tls.once('error', (err) => reject(unreachable(upstream, `TLS: ${err.message}`, err)));
  });
}

/**
 * Opens a connection to the upstream, negotiating TLS as the upstream URL's sslmode says.
 * With sslmode=disable and `onread`, reads go to `onread` and the socket emits no 'data'.
 */
export async function connectUpstream(upstream: UpstreamConfig, timeoutMs: number, onread?: ReadInto): Promise<UpstreamSocket> {
  if (upstream.sslmode === 'disable') return tcpConnect(upstream, timeoutMs, onread);
  const socket = await tcpConnect(upstream, timeoutMs);
  try {
    const accepted = await askForTls(socket, upstream);
    if (accepted) return await startTls(socket, upstream);
    if (upstream.sslmode === 'prefer') return socket;
    throw new TripwireError('TW_UPSTREAM_TLS_REFUSED', {
      address: describeUpstream(upstream),
      sslmode: upstream.sslmode,
    });
  } catch (err) {
    socket.destroy();
    throw err;
  }
}
