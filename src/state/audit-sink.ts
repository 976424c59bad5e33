/**
 * The audit log in the state database: an append-only table (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). Records are batched off the hot path; a bounded buffer drops the oldest records, and
 * says so, if the state database cannot keep up or is unreachable.
 */
import type { Logger } from 'pino';
import type { AuditRecord, AuditSink } from '../enforce/audit-log.js';
import { INSTANCE_ID } from './events.js';
import type { StateDb } from './state-db.js';

const MAX_STATEMENT_CHARS = 10_000;

export interface StateAuditOptions {
  /** Most records waiting for the database; default 10,000. */
  maxBuffered?: number;
  /** How long a record may wait for its batch; default 200 ms. */
  flushMs?: number;
}

interface Pending extends AuditRecord {
  time: Date;
}

export class StateAudit implements AuditSink {
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private closed = false;
  private readonly maxBuffered: number;
  private readonly flushMs: number;

  constructor(
    private readonly db: StateDb,
    private readonly logger: Logger,
    options: StateAuditOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.flushMs = options.flushMs ?? 200;
  }

  record(entry: AuditRecord): void {
    const statement = entry.statement.length > MAX_STATEMENT_CHARS ? entry.statement.slice(0, MAX_STATEMENT_CHARS) + '…' : entry.statement;
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push({ ...entry, statement, time: new Date() });
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far (batches run one at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.error({ dropped: this.dropped }, 'audit records dropped: the state database did not keep up');
      this.dropped = 0;
    }
    const batch = this.buffer;
    if (batch.length === 0) return;
    this.buffer = [];
    const col = <K extends keyof Pending>(k: K) => batch.map((r) => r[k]);
    try {
      await this.db.query(
        `INSERT INTO tripwire.audit (time, event, "user", database, application_name, client, statement, rules, objects, verdict, reason, token_id, instance)
         SELECT t, e, u, d, a, c, s, ARRAY(SELECT jsonb_array_elements_text(r)), ARRAY(SELECT jsonb_array_elements_text(o)), v, re, tk, $13
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[], $12::text[])
           AS x(t, e, u, d, a, c, s, r, o, v, re, tk)`,
        [
          col('time'), col('event'), col('user'), col('database'), col('applicationName'), col('client'), col('statement'),
          batch.map((r) => JSON.stringify(r.rules)), batch.map((r) => JSON.stringify(r.objects)), col('verdict'), col('reason'), col('tokenId'), INSTANCE_ID,
        ],
      );
    } catch (err) {
      // Keep them for the next batch, within the bound.
      this.buffer = batch.concat(this.buffer).slice(-this.maxBuffered);
      this.logger.error({ err: String(err), waiting: this.buffer.length }, 'audit write to the state database failed: retrying');
      if (!this.timer && !this.closed) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, 1000);
        this.timer.unref();
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
