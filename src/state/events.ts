/**
 * Announcements between tripwire instances that share a state database: LISTEN/NOTIFY on one
 * channel. A notification is sent inside the transaction that made the change, so it is
 * delivered exactly when the change commits. Listeners reconnect by themselves; after a
 * reconnect they get a `resync` event, because notifications sent meanwhile are lost.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Queryable, StateDb } from './state-db.js';

export const EVENTS_CHANNEL = 'tripwire_events';

export type StateEvent =
  | { type: 'policy'; name: string }
  | { type: 'release'; target: string; changeId: number }
  | { type: 'revoke'; target: string; changeIds: number[] }
  | { type: 'applied'; target: string; changeId: number }
  | { type: 'deploy'; target: string }
  | { type: 'change'; target: string; changeId: number }
  /** A cancel request one proxy received for a key it did not issue (see CancelRelay). */
  | { type: 'cancel'; pid: number; digest: string }
  /** Synthetic: the listener (re)connected; anything may have changed meanwhile. */
  | { type: 'resync' };

export type Announced = StateEvent & { instance: string };

/** This process's id in announcements. */
export const INSTANCE_ID = `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Announces `event` when `db`'s transaction commits (or at once outside one). */
export async function announce(db: Queryable, event: Exclude<StateEvent, { type: 'resync' }>): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ ...event, instance: INSTANCE_ID })]);
}

export type EventHandler = (event: Announced) => void;

export class StateEvents {
  private client: pg.Client | null = null;
  private readonly handlers = new Set<EventHandler>();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private connected: Promise<void> | null = null;

  constructor(
    private readonly db: StateDb,
    private readonly logger: Logger,
    private readonly retryMs = 1000,
  ) {}

  /** Starts listening; resolves once LISTEN is in place (or the first attempt failed and a retry is scheduled). */
  start(): Promise<void> {
    this.connected ??= this.connect();
    return this.connected;
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = this.db.newClient('tripwire-listen');
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      try {
        this.emit(JSON.parse(msg.payload) as Announced);
      } catch {
        this.logger.warn({ payload: msg.payload.slice(0, 200) }, 'ignoring a malformed state announcement');
      }
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.emit({ type: 'resync', instance: INSTANCE_ID });
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== null && this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed || this.retry) return;
    this.logger.warn({ err: err.message }, 'state announcements lost: reconnecting');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.retryMs);
    this.retry.unref();
  }

  private emit(event: Announced): void {
    for (const h of this.handlers) {
      try {
        h(event);
      } catch (err) {
        this.logger.error({ err: String(err), event: event.type }, 'state announcement handler threw');
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    this.handlers.clear();
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
