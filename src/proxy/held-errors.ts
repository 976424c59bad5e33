import { randomBytes } from 'node:crypto';
import { parseFields } from './protocol/backend-messages.js';

interface Held {
  marker: string;
  error: Buffer;
  /** ReadyForQuery messages still to come before the held message's segment is over. */
  readyLeft: number;
}

/**
 * Refusing a message without desynchronising the session: the proxy sends the server, in its place,
 * a statement that fails in the parser before it touches anything (`tripwire_held_<random>`). The
 * server then does exactly what it does for any failed statement (aborts the transaction, discards
 * until Sync, sends one ReadyForQuery), and the proxy swaps the server's syntax error for its own.
 */
export class HeldErrors {
  private readonly held: Held[] = [];

  get pending(): boolean {
    return this.held.length > 0;
  }

  /** Registers a refusal; returns the statement text to send in the refused message's place. */
  register(error: Buffer, readyBefore: number): string {
    const marker = `tripwire_held_${randomBytes(8).toString('hex')}`;
    this.held.push({ marker, error, readyLeft: readyBefore + 1 });
    return marker;
  }

  /** The client-bound replacement for a server ErrorResponse, or the message itself when it is not ours. */
  rewrite(errorResponse: Buffer): Buffer {
    const message = parseFields(errorResponse).get('M') ?? '';
    const index = this.held.findIndex((h) => message.includes(h.marker));
    if (index < 0) return errorResponse;
    const [held] = this.held.splice(index, 1);
    return held!.error;
  }

  /** A ReadyForQuery went by: segments that ended without our error (an earlier error pre-empted it) are done. */
  readyForQuery(): void {
    for (let i = this.held.length - 1; i >= 0; i--) {
      if (--this.held[i]!.readyLeft <= 0) this.held.splice(i, 1);
    }
  }
}
