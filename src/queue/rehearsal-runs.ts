/**
 * Staging rehearsals as the admin API runs them: one at a time per change, in the background, with
 * progress a client can follow; the result becomes the change's rehearsal check. Progress lives in
 * this process (a status read on another instance sees the recorded result once it is done).
 */
import type { Logger } from 'pino';
import { databaseUrl, type StagingDatabases } from '../config/staging.js';
import { TripwireError } from '../errors.js';
import { freshFromProduction } from '../rehearsal/fresh-from-production.js';
import { rehearse } from '../rehearsal/rehearse.js';
import type { RehearsalProgress, RehearsalReport } from '../rehearsal/types.js';
import { announce } from '../state/events.js';
import type { StateDb } from '../state/state-db.js';
import { migrationsChecksum } from './checks.js';
import * as store from './store.js';
import { ACTIVE, type Change } from './types.js';

export type RunState = 'running' | 'green' | 'red' | 'failed';

export interface RehearsalRun {
  changeId: number;
  target: string;
  state: RunState;
  by: string;
  freshFromProduction: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** Every progress line so far, oldest first (at most MAX_PROGRESS). */
  progress: RehearsalProgress[];
  summary: string | null;
  report: RehearsalReport | null;
  /** Why it could not run at all (state failed). */
  error: string | null;
}

export interface StartOptions {
  freshFromProduction?: boolean;
  rowLimit?: number;
}

export interface RehearsalRunsOptions {
  db: StateDb;
  upstreamUrl: string;
  staging: StagingDatabases;
  policyPath?: string;
  logger: Logger;
}

const MAX_PROGRESS = 1000;

export class RehearsalRuns {
  private readonly runs = new Map<number, RehearsalRun>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly o: RehearsalRunsOptions) {}

  /** Starts a rehearsal of change `id`; `done` settles when it has finished and been recorded. */
  async start(id: number, by: string, opts: StartOptions = {}): Promise<{ run: RehearsalRun; done: Promise<void> }> {
    const change = await store.getChange(this.o.db.pool, id);
    if (!change) throw new TripwireError('TW_API_NOT_FOUND', { what: `change ${id}` });
    if (change.migrations.length === 0) throw new TripwireError('TW_API_CONFLICT', { detail: `change ${id} has no migrations to rehearse` });
    if (!ACTIVE.has(change.status)) throw new TripwireError('TW_API_CONFLICT', { detail: `change ${id} is ${change.status}: only a change still in the queue is rehearsed` });
    const stagingUrl = this.o.staging.get(change.target);
    if (!stagingUrl) throw new TripwireError('TW_STAGING_NOT_CONFIGURED', { target: change.target });
    if (this.runs.get(id)?.state === 'running') throw new TripwireError('TW_REHEARSAL_BUSY', { id });
    const run: RehearsalRun = {
      changeId: id,
      target: change.target,
      state: 'running',
      by,
      freshFromProduction: opts.freshFromProduction === true,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: [],
      summary: null,
      report: null,
      error: null,
    };
    this.runs.set(id, run);
    const done = this.execute(run, change, stagingUrl, opts);
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return { run, done };
  }

  /** The run in this process, or the last recorded result, or null when never rehearsed. */
  async status(id: number): Promise<RehearsalRun | null> {
    const live = this.runs.get(id);
    if (live) return live;
    const change = await store.getChange(this.o.db.pool, id);
    if (!change) throw new TripwireError('TW_API_NOT_FOUND', { what: `change ${id}` });
    const stored = await store.latestRehearsalReport(this.o.db.pool, id);
    if (!stored || stored.state === 'pending') return null;
    const report = stored.report as RehearsalReport;
    return {
      changeId: id,
      target: change.target,
      state: stored.state,
      by: '',
      freshFromProduction: false,
      startedAt: stored.at,
      finishedAt: stored.at,
      progress: [],
      summary: stored.reason,
      report: report && typeof report === 'object' && 'state' in report ? report : null,
      error: null,
    };
  }

  /** Waits for running rehearsals (shutdown). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async execute(run: RehearsalRun, change: Change, stagingUrl: string, opts: StartOptions): Promise<void> {
    const log = this.o.logger.child({ change: change.id, target: change.target });
    const productionUrl = databaseUrl(this.o.upstreamUrl, change.target);
    const onProgress = (p: RehearsalProgress) => {
      if (run.progress.length < MAX_PROGRESS) run.progress.push(p);
      log.info({ step: p.step }, p.message);
    };
    try {
      const report = await rehearse({
        productionUrl,
        stagingUrl,
        migrations: change.migrations.map((m) => ({ name: m.name, sql: m.sql })),
        covered: change.destructive.map((d) => d.sql),
        discards: change.discards,
        ...(this.o.policyPath ? { policyPath: this.o.policyPath } : {}),
        ...(opts.freshFromProduction
          ? {
              fresh: (tables: string[], dropOnStaging: string[]) =>
                freshFromProduction({ productionUrl, stagingUrl, tables, dropOnStaging, ...(opts.rowLimit ? { rowLimit: opts.rowLimit } : {}), onProgress, logger: log }),
            }
          : {}),
        onProgress,
        logger: log,
      });
      await this.o.db.txForTarget(change.target, async (c) => {
        await store.recordRehearsal(c, change.id, { state: report.state, reason: report.summary, checksum: migrationsChecksum(change), report });
        await announce(c, { type: 'change', target: change.target, changeId: change.id });
      });
      run.report = report;
      run.summary = report.summary;
      run.state = report.state;
      log.info({ state: report.state }, `rehearsal ${report.state}: ${report.summary}`);
    } catch (err) {
      run.state = 'failed';
      run.error = err instanceof TripwireError ? err.message : new TripwireError('TW_REHEARSAL_FAILED', { detail: (err as Error).message }).message;
      log.error({ err: run.error }, 'rehearsal could not run');
    } finally {
      run.finishedAt = new Date().toISOString();
    }
  }
}
