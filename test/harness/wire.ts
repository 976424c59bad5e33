import { connect, type Socket } from 'node:net';
import { serialize } from './frontend.js';

export interface BackendMessage {
  type: string;
  body: Buffer;
}

/** Fields of an ErrorResponse/NoticeResponse body, keyed by their one-letter codes. */
export function fields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let o = 0;
  while (o < body.length && body[o] !== 0) {
    const end = body.indexOf(0, o + 1);
    out[String.fromCharCode(body[o]!)] = body.toString('utf8', o + 1, end);
    o = end + 1;
  }
  return out;
}

/**
 * A raw protocol client for tests that must send what no well-behaved client sends: malformed
 * lengths, half messages, odd startup packets. It records every byte the proxy sends back.
 */
export class WireClient {
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(ready: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.closed || Date.now() > deadline) return;
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Reads raw bytes (for the one-byte SSL/GSSENC answers). */
  async readBytes(n: number): Promise<Buffer> {
    await this.until(() => this.buffered.length >= n);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** The next backend message, or null when the connection closed first. */
  async next(): Promise<BackendMessage | null> {
    const complete = () => this.buffered.length >= 5 && this.buffered.length >= 1 + this.buffered.readInt32BE(1);
    await this.until(complete);
    if (!complete()) return null;
    const len = this.buffered.readInt32BE(1);
    const msg = { type: String.fromCharCode(this.buffered[0]!), body: Buffer.from(this.buffered.subarray(5, 1 + len)) };
    this.buffered = this.buffered.subarray(1 + len);
    return msg;
  }

  /** Messages up to and including the next ReadyForQuery (or the close). */
  async untilReady(): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (!m) return out;
      out.push(m);
      if (m.type === 'Z') return out;
    }
  }

  /** Startup as the trust superuser; resolves after the first ReadyForQuery. */
  async login(database: string, user = 'postgres'): Promise<BackendMessage[]> {
    this.send(serialize.startup({ user, database }));
    return this.untilReady();
  }

  async waitClosed(timeoutMs = 10_000): Promise<boolean> {
    await this.until(() => false, timeoutMs);
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
