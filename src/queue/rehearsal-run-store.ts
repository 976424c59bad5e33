/**
 * Rehearsal runs in the state database, so every instance sees the same one: who runs it, its
 * progress lines, and a heartbeat. A run whose heartbeat is older than `staleMs` belongs to an
 * instance that stopped; it no longer blocks a new rehearsal and reads as failed.
 */
import type { RehearsalProgress, RehearsalReport } from '../rehearsal/types.js';
import { INSTANCE_ID } from '../state/events.js';
import type { Queryable } from '../state/state-db.js';
import type { RehearsalRun, RunState } from './rehearsal-runs.js';

interface RunRow {
  change_id: string;
  target: string;
  state: RunState;
  by_actor: string;
  fresh: boolean;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  progress: RehearsalProgress[];
  summary: string | null;
  report: RehearsalReport | null;
  error: string | null;
  stale: boolean;
}

/** Takes change `run.changeId` for this instance; false when a live run (any instance) has it. */
export async function claimRun(c: Queryable, run: RehearsalRun, staleMs: number): Promise<boolean> {
  const { rows } = await c.query(
    `INSERT INTO tripwire.rehearsal_runs AS r (change_id, state, by_actor, fresh, instance, started_at, heartbeat_at)
     VALUES ($1, 'running', $2, $3, $4, $5, now())
     ON CONFLICT (change_id) DO UPDATE
       SET state = 'running', by_actor = $2, fresh = $3, instance = $4, started_at = $5, heartbeat_at = now(),
           finished_at = NULL, progress = '[]', summary = NULL, report = NULL, error = NULL
       WHERE r.state <> 'running' OR r.heartbeat_at < now() - make_interval(secs => $6)
     RETURNING change_id`,
    [run.changeId, run.by, run.freshFromProduction, INSTANCE_ID, run.startedAt, staleMs / 1000],
  );
  return rows.length === 1;
}

export async function appendProgress(c: Queryable, changeId: number, line: RehearsalProgress): Promise<void> {
  await c.query(`UPDATE tripwire.rehearsal_runs SET progress = progress || $2::jsonb WHERE change_id = $1 AND instance = $3 AND state = 'running'`, [
    changeId,
    JSON.stringify([line]),
    INSTANCE_ID,
  ]);
}

/** False when the run is no longer this instance's (another took it over as abandoned). */
export async function heartbeat(c: Queryable, changeId: number, startedAt: string): Promise<boolean> {
  const { rowCount } = await c.query(
    `UPDATE tripwire.rehearsal_runs SET heartbeat_at = now() WHERE change_id = $1 AND instance = $2 AND started_at = $3 AND state = 'running'`,
    [changeId, INSTANCE_ID, startedAt],
  );
  return rowCount === 1;
}

export async function finishRun(c: Queryable, run: RehearsalRun): Promise<void> {
  await c.query(
    `UPDATE tripwire.rehearsal_runs SET state = $2, finished_at = $3, heartbeat_at = now(), summary = $4, report = $5, error = $6
     WHERE change_id = $1 AND instance = $7 AND started_at = $8`,
    [run.changeId, run.state, run.finishedAt, run.summary, run.report === null ? null : JSON.stringify(run.report), run.error, INSTANCE_ID, run.startedAt],
  );
}

/** The run as recorded; a running one whose instance stopped beating reads as failed. */
export async function readRun(c: Queryable, changeId: number, staleMs: number): Promise<RehearsalRun | null> {
  const { rows } = await c.query<RunRow>(
    `SELECT r.*, ch.target, r.state = 'running' AND r.heartbeat_at < now() - make_interval(secs => $2) AS stale
     FROM tripwire.rehearsal_runs r JOIN tripwire.changes ch ON ch.id = r.change_id WHERE r.change_id = $1`,
    [changeId, staleMs / 1000],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    changeId: Number(r.change_id),
    target: r.target,
    state: r.stale ? 'failed' : r.state,
    by: r.by_actor,
    freshFromProduction: r.fresh,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? (r.stale ? r.heartbeat_at.toISOString() : null),
    progress: r.progress,
    summary: r.summary,
    report: r.report,
    error: r.stale ? `the tripwire instance running it stopped (no sign of it since ${r.heartbeat_at.toISOString()})` : r.error,
  };
}
