/**
 * Cancels between proxies that share a state database. A client behind a load balancer may send
 * its CancelRequest to another proxy than the one holding its session; that proxy does not know
 * the key, so it announces the pid and a digest of the secret (never the secret), and the proxy
 * that issued the key forwards the cancel to its server. Unknown keys are announced at most
 * `perSecond` times a second, so a flood of bogus cancels cannot flood the state database.
 */
import type { Logger } from 'pino';
import type { CancelRelay, ProxyServer } from '../proxy/server.js';
import { announce, type StateEvents } from '../state/events.js';
import type { StateDb } from '../state/state-db.js';

export class StateCancelRelay implements CancelRelay {
  private windowStart = 0;
  private sentInWindow = 0;

  constructor(
    private readonly db: StateDb,
    private readonly events: StateEvents,
    private readonly logger: Logger,
    private readonly perSecond = 100,
  ) {}

  /** The announcement, or null when this second's budget is spent and the cancel is dropped. */
  forward(pid: number, digest: string): Promise<void> | null {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    if (++this.sentInWindow > this.perSecond) return null;
    return announce(this.db.pool, { type: 'cancel', pid, digest }).catch((err: unknown) => this.logger.warn({ err: String(err) }, 'could not pass a cancel on to the other proxies'));
  }

  /** Cancels the other proxies announce reach `proxy`'s sessions; returns the unsubscribe. */
  serve(proxy: Pick<ProxyServer, 'cancelByDigest'>): () => void {
    return this.events.subscribe((e) => {
      // Our own announcements come back too: harmless, a key we forwarded is not one of ours.
      if (e.type !== 'cancel') return;
      if (proxy.cancelByDigest(e.pid, e.digest)) this.logger.info({ from: e.instance }, 'cancel received from another proxy');
    });
  }
}
