import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** What a client's cancel key stands for: the session's upstream backend and its own key. */
export interface CancelTarget {
  /** Forwards a cancel upstream, if the session is running something. */
  cancel(): void;
}

interface Entry {
  secret: Buffer;
  target: CancelTarget;
}

/**
 * Clients get tripwire's own cancel keys, never the server's: a key is only good for the session
 * it was given to, and only reaches the server while that session runs a query.
 */
export class CancelKeys {
  private readonly entries = new Map<number, Entry>();

  /** Issues a key for a session; `secretLength` follows the server's (4 in protocol 3.0, up to 256 in 3.2). */
  issue(target: CancelTarget, secretLength: number): { pid: number; secret: Buffer } {
    let pid: number;
    do pid = randomInt(1, 0x7fffffff);
    while (this.entries.has(pid));
    const secret = randomBytes(secretLength);
    this.entries.set(pid, { secret, target });
    return { pid, secret };
  }

  revoke(pid: number): void {
    this.entries.delete(pid);
  }

  /** Looks a key up; a wrong secret is treated exactly like an unknown pid. */
  find(pid: number, secret: Buffer): CancelTarget | undefined {
    const entry = this.entries.get(pid);
    if (!entry || entry.secret.length !== secret.length) return undefined;
    return timingSafeEqual(entry.secret, secret) ? entry.target : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
