/**
 * Each statement a plan authorizes runs once: it is used up when it succeeds (commits), and a
 * failed attempt may be retried until the token expires.
 */
export interface TokenUsage {
  isUsed(tokenId: string, statement: string): boolean;
  markUsed(tokenId: string, statement: string): void;
}

/** Per process. The admin side keeps a shared one in the state database. */
export class MemoryTokenUsage implements TokenUsage {
  private readonly used = new Set<string>();

  isUsed(tokenId: string, statement: string): boolean {
    return this.used.has(`${tokenId}\0${statement}`);
  }

  markUsed(tokenId: string, statement: string): void {
    this.used.add(`${tokenId}\0${statement}`);
  }
}
