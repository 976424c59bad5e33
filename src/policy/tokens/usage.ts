/**
 * Each statement a plan authorizes runs once: it is used up when it succeeds (commits), and a
 * failed attempt may be retried until the token expires.
 */
export interface TokenUsage {
  isUsed(tokenId: string, statement: string): boolean;
  /** `expiresAt`: the token's `exp` (seconds since the epoch); after it the token is refused anyway. */
  markUsed(tokenId: string, statement: string, expiresAt?: number): void;
}

/** How often, in uses recorded, the memory store drops the uses of expired tokens. */
const SWEEP_EVERY = 256;

/**
 * Per process. The admin side keeps a shared one in the state database. A use is remembered
 * until its token expires (an expired token is refused before its uses are looked at), so a
 * long-lived proxy's memory stays bounded by the tokens still alive.
 */
export class MemoryTokenUsage implements TokenUsage {
  private readonly used = new Map<string, number>();
  private untilSweep = SWEEP_EVERY;

  constructor(private readonly nowSeconds: () => number = () => Date.now() / 1000) {}

  isUsed(tokenId: string, statement: string): boolean {
    return this.used.has(`${tokenId}\0${statement}`);
  }

  markUsed(tokenId: string, statement: string, expiresAt = Number.POSITIVE_INFINITY): void {
    if (--this.untilSweep <= 0) this.forgetExpired();
    this.used.set(`${tokenId}\0${statement}`, expiresAt);
  }

  /** How many uses are remembered. */
  get size(): number {
    return this.used.size;
  }

  forgetExpired(): void {
    this.untilSweep = SWEEP_EVERY;
    const now = this.nowSeconds();
    for (const [key, expiresAt] of this.used) if (expiresAt < now) this.used.delete(key);
  }
}
