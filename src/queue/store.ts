/** The queue's rows in the state database, and their mapping to the queue's types. */
import type { Queryable } from '../state/state-db.js';
import type { AppliedMigration, Change, ChangeStatus, Deploy, RehearsalRecord, Review } from './types.js';

interface ChangeRow {
  id: string;
  title: string;
  author: string;
  submitted_by: string;
  revision: string;
  base_revision: string;
  kind: Change['kind'];
  target: string;
  migrations: Change['migrations'];
  depends_on: string[];
  requires: string[];
  reads: string[];
  discards: Change['discards'];
  supersedes: string | null;
  base_fingerprint: string;
  findings: Change['findings'];
  effect: Change['effect'];
  destructive: Change['destructive'];
  status: ChangeStatus;
  status_reason: string;
  created_at: Date;
  updated_at: Date;
  released_at: Date | null;
  applied_at: Date | null;
  applied_fingerprint: string | null;
  deployed_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function change(r: ChangeRow): Change {
  return {
    id: Number(r.id),
    title: r.title,
    author: r.author,
    submittedBy: r.submitted_by,
    revision: r.revision,
    baseRevision: r.base_revision,
    kind: r.kind,
    target: r.target,
    migrations: r.migrations,
    dependsOn: r.depends_on.map(Number),
    requires: r.requires,
    reads: r.reads,
    discards: r.discards,
    supersedes: r.supersedes === null ? null : Number(r.supersedes),
    baseFingerprint: r.base_fingerprint,
    findings: r.findings,
    effect: r.effect,
    destructive: r.destructive,
    status: r.status,
    statusReason: r.status_reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    releasedAt: iso(r.released_at),
    appliedAt: iso(r.applied_at),
    appliedFingerprint: r.applied_fingerprint,
    deployedAt: iso(r.deployed_at),
  };
}

export type NewChange = Omit<Change, 'id' | 'status' | 'statusReason' | 'createdAt' | 'updatedAt' | 'releasedAt' | 'appliedAt' | 'appliedFingerprint' | 'deployedAt'>;

export async function insertChange(c: Queryable, n: NewChange): Promise<Change> {
  const { rows } = await c.query<ChangeRow>(
    `INSERT INTO tripwire.changes (title, author, submitted_by, revision, base_revision, kind, target, migrations, depends_on, requires, reads,
       supersedes, base_fingerprint, findings, effect, destructive, discards, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'queued') RETURNING *`,
    [n.title, n.author, n.submittedBy, n.revision, n.baseRevision, n.kind, n.target, JSON.stringify(n.migrations), n.dependsOn, n.requires, n.reads,
      n.supersedes, n.baseFingerprint, JSON.stringify(n.findings), JSON.stringify(n.effect), JSON.stringify(n.destructive), JSON.stringify(n.discards)],
  );
  return change(rows[0]!);
}

export async function getChange(c: Queryable, id: number, forUpdate = false): Promise<Change | null> {
  const { rows } = await c.query<ChangeRow>(`SELECT * FROM tripwire.changes WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? change(rows[0]) : null;
}

export async function changesOn(c: Queryable, target: string): Promise<Change[]> {
  const { rows } = await c.query<ChangeRow>('SELECT * FROM tripwire.changes WHERE target = $1 ORDER BY id', [target]);
  return rows.map(change);
}

export async function listChanges(c: Queryable, filter: { target?: string; status?: ChangeStatus }): Promise<Change[]> {
  const { rows } = await c.query<ChangeRow>(
    'SELECT * FROM tripwire.changes WHERE ($1::text IS NULL OR target = $1) AND ($2::text IS NULL OR status = $2) ORDER BY id',
    [filter.target ?? null, filter.status ?? null],
  );
  return rows.map(change);
}

export async function targets(c: Queryable): Promise<string[]> {
  const { rows } = await c.query<{ target: string }>("SELECT DISTINCT target FROM tripwire.changes WHERE status IN ('queued', 'needs-rebase', 'released') ORDER BY 1");
  return rows.map((r) => r.target);
}

export async function setStatus(c: Queryable, id: number, status: ChangeStatus, reason: string, stamp?: { appliedFingerprint?: string }): Promise<void> {
  await c.query(
    `UPDATE tripwire.changes SET status = $2, status_reason = $3, updated_at = now(),
       released_at = CASE WHEN $2 = 'released' THEN now() ELSE released_at END,
       applied_at = CASE WHEN $2 = 'applied' THEN now() ELSE applied_at END,
       applied_fingerprint = CASE WHEN $2 = 'applied' THEN $4 ELSE applied_fingerprint END,
       deployed_at = CASE WHEN $2 = 'deployed' THEN now() ELSE deployed_at END
     WHERE id = $1`,
    [id, status, reason, stamp?.appliedFingerprint ?? null],
  );
}

export async function statusCounts(c: Queryable): Promise<Array<{ status: ChangeStatus; n: number }>> {
  const { rows } = await c.query<{ status: ChangeStatus; n: string }>('SELECT status, count(*) AS n FROM tripwire.changes GROUP BY status');
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

export async function reviewsOf(c: Queryable, id: number): Promise<Review[]> {
  const { rows } = await c.query<{ reviewer: string; verdict: Review['verdict']; comment: string; created_at: Date }>(
    'SELECT reviewer, verdict, comment, created_at FROM tripwire.reviews WHERE change_id = $1 ORDER BY created_at, reviewer',
    [id],
  );
  return rows.map((r) => ({ reviewer: r.reviewer, verdict: r.verdict, comment: r.comment, at: r.created_at.toISOString() }));
}

/** A reviewer's latest word on a change replaces their earlier one. */
export async function putReview(c: Queryable, id: number, reviewer: string, keyId: string, verdict: Review['verdict'], comment: string): Promise<void> {
  await c.query(
    `INSERT INTO tripwire.reviews (change_id, reviewer, key_id, verdict, comment) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (change_id, reviewer) DO UPDATE SET key_id = EXCLUDED.key_id, verdict = EXCLUDED.verdict, comment = EXCLUDED.comment, created_at = now()`,
    [id, reviewer, keyId, verdict, comment],
  );
}

interface DeployRow {
  id: string;
  target: string;
  revision: string;
  schema_fingerprint: string;
  changes: string[];
  recorded_by: string;
  created_at: Date;
}

const deploy = (r: DeployRow): Deploy => ({
  id: Number(r.id),
  target: r.target,
  revision: r.revision,
  schemaFingerprint: r.schema_fingerprint,
  changes: r.changes.map(Number),
  recordedBy: r.recorded_by,
  at: r.created_at.toISOString(),
});

export async function lastDeploy(c: Queryable, target: string): Promise<Deploy | null> {
  const { rows } = await c.query<DeployRow>('SELECT * FROM tripwire.deploys WHERE target = $1 ORDER BY id DESC LIMIT 1', [target]);
  return rows[0] ? deploy(rows[0]) : null;
}

export async function insertDeploy(c: Queryable, d: Omit<Deploy, 'id' | 'at'>): Promise<Deploy> {
  const { rows } = await c.query<DeployRow>(
    'INSERT INTO tripwire.deploys (target, revision, schema_fingerprint, changes, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [d.target, d.revision, d.schemaFingerprint, d.changes, d.recordedBy],
  );
  return deploy(rows[0]!);
}

export async function appliedMigrations(c: Queryable, target: string): Promise<AppliedMigration[]> {
  const { rows } = await c.query<{ name: string; checksum: string; change_id: string | null }>(
    'SELECT name, checksum, change_id FROM tripwire.applied_migrations WHERE target = $1 ORDER BY applied_at, name',
    [target],
  );
  return rows.map((r) => ({ name: r.name, checksum: r.checksum, changeId: r.change_id === null ? null : Number(r.change_id) }));
}

export async function recordAppliedMigrations(c: Queryable, ch: Change): Promise<void> {
  for (const m of ch.migrations) {
    await c.query('INSERT INTO tripwire.applied_migrations (target, name, checksum, change_id) VALUES ($1, $2, $3, $4) ON CONFLICT (target, name) DO NOTHING', [ch.target, m.name, m.checksum, ch.id]);
  }
}

export async function latestRehearsal(c: Queryable, id: number): Promise<RehearsalRecord | null> {
  const { rows } = await c.query<RehearsalRecord>('SELECT state, reason, checksum FROM tripwire.rehearsals WHERE change_id = $1 ORDER BY id DESC LIMIT 1', [id]);
  return rows[0] ?? null;
}

/** For the staging rehearsal (issue 6): its result becomes the change's rehearsal check. */
export async function recordRehearsal(c: Queryable, id: number, r: RehearsalRecord & { report?: unknown }): Promise<void> {
  await c.query('INSERT INTO tripwire.rehearsals (change_id, state, reason, checksum, report) VALUES ($1, $2, $3, $4, $5)', [id, r.state, r.reason, r.checksum, JSON.stringify(r.report ?? {})]);
}

export interface StoredRehearsal extends RehearsalRecord {
  report: unknown;
  at: string;
}

/** The latest recorded rehearsal with its report, for the status endpoint after a restart. */
export async function latestRehearsalReport(c: Queryable, id: number): Promise<StoredRehearsal | null> {
  const { rows } = await c.query<RehearsalRecord & { report: unknown; created_at: Date }>(
    'SELECT state, reason, checksum, report, created_at FROM tripwire.rehearsals WHERE change_id = $1 ORDER BY id DESC LIMIT 1',
    [id],
  );
  const r = rows[0];
  return r ? { state: r.state, reason: r.reason, checksum: r.checksum, report: r.report, at: r.created_at.toISOString() } : null;
}
