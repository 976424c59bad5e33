/**
 * Statements the proxy sends on a client's connection for its own reasons (SET lock_timeout before
 * risky DDL). Their responses must never reach the client. Responses come back in the order
 * requests went out, one ReadyForQuery per Query, so the proxy numbers response segments (the
 * messages up to and including each ReadyForQuery) and drops the segments that are its own.
 */
export class InternalSegments {
  /** Inclusive ranges of segment numbers (1-based, counting every ReadyForQuery) that are internal. */
  private readonly ranges: Array<{ from: number; to: number }> = [];

  get pending(): boolean {
    return this.ranges.length > 0;
  }

  /** `count` internal segments follow `before` segments already expected. */
  add(before: number, count: number): void {
    if (count > 0) this.ranges.push({ from: before + 1, to: before + count });
  }

  isInternal(segment: number): boolean {
    const r = this.ranges[0];
    return r !== undefined && segment >= r.from && segment <= r.to;
  }

  /** Forgets ranges whose last segment has been received. */
  settle(received: number): void {
    while (this.ranges.length > 0 && this.ranges[0]!.to <= received) this.ranges.shift();
  }
}
