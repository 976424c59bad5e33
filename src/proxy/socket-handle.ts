import type { Socket } from 'node:net';

/**
 * Node's private socket handle (`socket._handle`), the one place tripwire reaches into it: for the
 * file descriptor (direct writes, the native relay) and to stop and start reading while the
 * native relay owns the descriptor. Node has no public API for either.
 */
interface StreamHandle {
  fd?: number;
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
}

function handleOf(socket: Socket): StreamHandle | null {
  return (socket as unknown as { _handle?: StreamHandle | null })._handle ?? null;
}

/** The socket's file descriptor, or -1 (TLS, closed, not a TCP handle). */
export function socketFd(socket: Socket): number {
  const fd = handleOf(socket)?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/**
 * Stops Node reading a socket at once, until startReading. pause() alone only stops 'data'
 * events: the handle would read on, into the stream's buffer, bytes the pump owns now. And after
 * readStop the stream would start the handle again on its own (it reads ahead while paused),
 * unless the handle says it is still reading; hence the flag is left set.
 */
export function stopReading(socket: Socket): void {
  socket.pause();
  const handle = handleOf(socket);
  if (handle?.readStop) {
    handle.readStop();
    handle.reading = true;
  }
}

/** The inverse of stopReading. */
export function startReading(socket: Socket): void {
  const handle = handleOf(socket);
  if (handle?.readStart && !socket.destroyed) {
    handle.readStart();
    handle.reading = true;
  }
  socket.resume();
}
