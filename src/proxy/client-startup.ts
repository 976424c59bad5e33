import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { TripwireError } from '../errors.js';
import { ACCEPT_ENCRYPTION, REFUSE_ENCRYPTION } from './protocol/backend-messages.js';
import { readStartupPacket, type StartupRequest } from './protocol/startup-packet.js';

export type ClientSocket = Socket | TLSSocket;

type StartupMessage = Extract<StartupRequest, { kind: 'startup' }>;
type CancelMessage = Extract<StartupRequest, { kind: 'cancel' }>;

export type StartupOutcome =
  | { kind: 'startup'; socket: ClientSocket; startup: StartupMessage; rest: Buffer }
  | { kind: 'cancel'; socket: ClientSocket; cancel: CancelMessage }
  /** The client went away, or sent something invalid (`error` says what, for a FATAL reply). */
  | { kind: 'failed'; socket: ClientSocket; error?: TripwireError };

/**
 * The untyped startup phase: answers SSLRequest (TLS when configured, else 'N') and GSSENCRequest
 * ('N'), and resolves with the StartupMessage or CancelRequest that follows.
 */
export function negotiateStartup(
  socket: ClientSocket,
  maxStartupBytes: number,
  tls: SecureContext | undefined,
): Promise<StartupOutcome> {
  return new Promise((resolve) => {
    let current = socket;
    let buffered: Buffer = Buffer.alloc(0);
    let settled = false;

    const settle = (outcome: StartupOutcome) => {
      if (settled) return;
      settled = true;
      detach(current);
      current.pause();
      resolve(outcome);
    };
    const onClose = () => settle({ kind: 'failed', socket: current });
    const onError = () => settle({ kind: 'failed', socket: current });
    const onData = (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      try {
        drain();
      } catch (err) {
        settle({ kind: 'failed', socket: current, error: err as TripwireError });
      }
    };
    const attach = (s: ClientSocket) => s.on('data', onData).on('close', onClose).on('error', onError);
    const detach = (s: ClientSocket) => s.off('data', onData).off('close', onClose).off('error', onError);

    const drain = () => {
      while (!settled) {
        const read = readStartupPacket(buffered, maxStartupBytes);
        if (!read) return;
        buffered = buffered.subarray(read.length);
        const request = read.request;
        if (request.kind === 'startup') {
          return settle({ kind: 'startup', socket: current, startup: request, rest: buffered });
        }
        if (request.kind === 'cancel') return settle({ kind: 'cancel', socket: current, cancel: request });
        if (request.kind === 'ssl' && tls && !(current instanceof TLSSocket)) {
          // Anything already sent after SSLRequest was sent in plaintext before the handshake.
          if (buffered.length > 0) throw new TripwireError('TW_PLAINTEXT_AFTER_SSL_REQUEST');
          current.write(ACCEPT_ENCRYPTION);
          detach(current);
          current = new TLSSocket(current, { isServer: true, secureContext: tls });
          attach(current);
          return;
        }
        current.write(REFUSE_ENCRYPTION);
      }
    };
    attach(current);
  });
}
