import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { socketFd } from './socket-handle.js';

/**
 * Writes to a plain TCP socket with one write(2) when nothing is queued ahead of it. Almost every
 * relay turn is one small write that the kernel takes whole; going straight to the file
 * descriptor skips the stream's per-write bookkeeping (a write request, a callback and a tick),
 * which is most of what a relayed query costs in Node. Whatever the kernel does not take at once
 * (a full socket buffer, a partial write, an error) goes through `socket.write` behind nothing
 * else, so ordering, backpressure ('drain') and error reporting stay the stream's.
 *
 * TLS sockets always use `socket.write`: their file descriptor carries ciphertext.
 */
export class DirectWriter {
  private readonly fd: number;

  constructor(private readonly socket: Socket) {
    this.fd = socket instanceof TLSSocket ? -1 : socketFd(socket);
  }

  /** Same contract as `socket.write`: false means wait for 'drain' before writing much more. */
  write(bytes: Buffer): boolean {
    const socket = this.socket;
    // `writable` is false once the socket is ending or destroyed: its descriptor may already be
    // closed and reused by another connection, so only the stream may touch it then.
    if (this.fd >= 0 && socket.writableLength === 0 && socket.writableCorked === 0 && socket.writable) {
      let written = 0;
      try {
        written = writeSync(this.fd, bytes);
      } catch {
        // EAGAIN, EPIPE, ECONNRESET: the stream's own write retries or reports it.
      }
      if (written === bytes.length) return true;
      if (written > 0) bytes = bytes.subarray(written);
    }
    return socket.write(bytes);
  }
}
