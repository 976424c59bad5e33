/**
 * Staging rehearsals as the admin API runs them: one at a time per change across every instance,
 * in the background, with progress a client can follow on any instance (rehearsal-run-store);
 * the result becomes the change's rehearsal check.
 */
import type { Logger } from 'pino';
import { databaseUrl, type StagingDatabases } from '../config/staging.js';
import { TripwireError } from '../errors.js';
import { freshFromProduction } from '../rehearsal/fresh-from-production.js';
import { rehearse } from '../rehearsal/rehearse.js';
import { tryLockStaging } from '../rehearsal/staging-lock.js';
import type { RehearsalProgress, RehearsalReport } from '../rehearsal/types.js';
import { announce } from '../state/events.js';
import { asStateError, type StateDb } from '../state/state-db.js';
import { migrationsChecksum } from './checks.js';
import { appendProgress, claimRun, finishRun, heartbeat, readRun } from './rehearsal-run-store.js';
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
  /** A running rehearsal with no sign of life for this long is taken as abandoned; default 60 s. */
  staleMs?: number;
  /** How often a running rehearsal says it is alive; default 10 s. */
  heartbeatMs?: number;
}

const MAX_PROGRESS = 1000;
const STALE_MS = 60_000;
const HEARTBEAT_MS = 10_000;

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
    // The same change running on another instance is the more useful answer than "staging is busy".
    const shared = await this.sharedRun(id);
    if (shared?.state === 'running') throw new TripwireError('TW_REHEARSAL_BUSY', { id });
    // A staging that cannot be reached fails the run itself, with the reason, like any other failure.
    const lock = await tryLockStaging(stagingUrl).catch(() => ({ release: async () => undefined }));
    if (!lock) throw new TripwireError('TW_STAGING_BUSY', { target: change.target });
    try {
      if (!(await claimRun(this.o.db.pool, run, this.staleMs))) throw new TripwireError('TW_REHEARSAL_BUSY', { id });
    } catch (err) {
      await lock.release();
      throw asStateError(err, this.o.db.address);
    }
    this.runs.set(id, run);
    const done = this.execute(run, change, stagingUrl, opts).finally(() => lock.release());
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return { run, done };
  }

  private get staleMs(): number {
    return this.o.staleMs ?? STALE_MS;
  }

  /** The run as every instance sees it in the state database. */
  private sharedRun(id: number): Promise<RehearsalRun | null> {
    return readRun(this.o.db.pool, id, this.staleMs).catch((err: unknown) => {
      throw asStateError(err, this.o.db.address);
    });
  }

  /** The run in this process, or as another instance records it, or the last recorded check; null when never rehearsed. */
  async status(id: number): Promise<RehearsalRun | null> {
    // Running here: this process has every line first. Otherwise the shared record is the newest
    // word (another instance may have rehearsed it again since).
    const local = this.runs.get(id);
    if (local?.state === 'running') return local;
    const change = await store.getChange(this.o.db.pool, id);
    if (!change) throw new TripwireError('TW_API_NOT_FOUND', { what: `change ${id}` });
    const shared = await this.sharedRun(id);
    // Our own run, finished here, whose last shared write has not landed: this process knows better.
    if (local && shared?.state === 'running' && shared.startedAt === local.startedAt) return local;
    if (shared) return shared;
    if (local) return local;
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
    // Writes to the shared run go one after another, in order; a failed one costs a line, not the run.
    let writes = Promise.resolve();
    const share = (write: () => Promise<void>) => {
      writes = writes.then(write).catch((err: unknown) => log.warn({ err: String(err) }, 'could not share rehearsal progress'));
    };
    const onProgress = (p: RehearsalProgress) => {
      log.info({ step: p.step }, p.message);
      if (run.progress.length >= MAX_PROGRESS) return;
      run.progress.push(p);
      share(() => appendProgress(this.o.db.pool, run.changeId, p));
    };
    // The heartbeat goes on its own connection turn, not behind progress writes: a slow one must
    // not make this run look abandoned. It also learns when another instance took the run over.
    let takenOver = false;
    const beat = setInterval(() => {
      heartbeat(this.o.db.pool, run.changeId, run.startedAt).then(
        (ours) => (takenOver ||= !ours),
        (err: unknown) => log.warn({ err: String(err) }, 'rehearsal heartbeat failed'),
      );
    }, this.o.heartbeatMs ?? HEARTBEAT_MS);
    beat.unref();
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
      // Taken over as abandoned (this instance lost the state database for a while): the other
      // instance's run is the one that counts; recording ours could overwrite its result.
      if (takenOver) throw new TripwireError('TW_REHEARSAL_FAILED', { detail: 'another tripwire instance took this rehearsal over after losing sight of it; its result is the one recorded' });
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
      clearInterval(beat);
      run.finishedAt = new Date().toISOString();
      // The final record matters most: one retry before giving up (status() then prefers this process's copy).
      share(() => finishRun(this.o.db.pool, run).catch(() => finishRun(this.o.db.pool, run)));
      await writes;
    }
  }
}
