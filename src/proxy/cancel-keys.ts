import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

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

  /**
   * A key as other proxies may hear of it: the pid and a digest of the secret, never the secret.
   * A client behind a load balancer may send its cancel to another proxy than its session's.
   */
  static digest(pid: number, secret: Buffer): string {
    return createHash('sha256').update(`tripwire-cancel:${pid}:`).update(secret).digest('hex');
  }

  /** Looks a key up by its digest (see digest()). */
  findByDigest(pid: number, digest: string): CancelTarget | undefined {
    const entry = this.entries.get(pid);
    if (!entry) return undefined;
    const expected = Buffer.from(CancelKeys.digest(pid, entry.secret), 'hex');
    const given = Buffer.from(digest, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected) ? entry.target : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
