/** The ship queue's vocabulary: changes, their checks, reviews and deploys. */

export type ChangeKind = 'schema' | 'code' | 'both';

/**
 * queued: waiting for its checks. needs-rebase: built on a base that is no longer live.
 * rejected: an approver said no. released: cleared to run (schema: its plan token is published;
 * code: it may deploy). applied: its migrations ran. deployed: its code is live.
 * superseded: resubmitted as another change.
 */
export type ChangeStatus = 'queued' | 'needs-rebase' | 'rejected' | 'released' | 'applied' | 'deployed' | 'superseded';
export const CHANGE_STATUSES: readonly ChangeStatus[] = ['queued', 'needs-rebase', 'rejected', 'released', 'applied', 'deployed', 'superseded'];
/** Statuses still moving through the queue. */
export const ACTIVE: ReadonlySet<ChangeStatus> = new Set(['queued', 'needs-rebase', 'released']);

export type CheckState = 'green' | 'red' | 'pending';
export interface Check {
  state: CheckState;
  reason: string;
}
export const CHECK_NAMES = ['lint', 'rehearsal', 'approvals', 'order', 'freshness'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type Checks = Record<CheckName, Check>;

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of the SQL text. */
  checksum: string;
}

export interface StoredFinding {
  migration: string;
  rule: string;
  severity: 'block' | 'warn' | 'info';
  message: string;
  line: number;
  column: number;
  /** 1-based statement index within its migration. */
  statement: number;
  objects: string[];
  suggestion: string;
  suppressed: boolean;
}

/** A statement the proxy will hold: the plan token must cover it. */
export interface DestructiveStatement {
  migration: string;
  statement: number;
  sql: string;
  rules: string[];
}

/** What the migrations do to the shape of the database (display names). */
export interface Effect {
  created: string[];
  removed: string[];
  /** Columns whose type changes. */
  changed: string[];
}

export interface Change {
  id: number;
  title: string;
  author: string;
  submittedBy: string;
  revision: string;
  baseRevision: string;
  kind: ChangeKind;
  target: string;
  migrations: Migration[];
  dependsOn: number[];
  requires: string[];
  /** Tables and columns the code reads (`schema.table`, `schema.table.column`). */
  reads: string[];
  /** Columns whose values the change means to discard, each with a reason approvers see. */
  discards: Discard[];
  supersedes: number | null;
  /** The target's schema fingerprint the migrations were linted against. */
  baseFingerprint: string;
  findings: StoredFinding[];
  effect: Effect;
  destructive: DestructiveStatement[];
  status: ChangeStatus;
  statusReason: string;
  createdAt: string;
  updatedAt: string;
  releasedAt: string | null;
  appliedAt: string | null;
  appliedFingerprint: string | null;
  deployedAt: string | null;
}

export interface Discard {
  /** `schema.table.column` */
  column: string;
  reason: string;
}

export interface Review {
  reviewer: string;
  verdict: 'approve' | 'reject';
  comment: string;
  at: string;
}

export interface Deploy {
  id: number;
  target: string;
  revision: string;
  schemaFingerprint: string;
  changes: number[];
  recordedBy: string;
  at: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  changeId: number | null;
}

export interface RehearsalRecord {
  state: CheckState;
  reason: string;
  checksum: string;
}

/** What a change is judged against: the rest of its target's queue and what is live. */
export interface QueueContext {
  /** Every change on the target, this one included. */
  changes: readonly Change[];
  applied: readonly AppliedMigration[];
  lastDeploy: Deploy | null;
  liveFingerprint: string;
  /** Display names of the tables, views and columns that exist now. */
  liveObjects: ReadonlySet<string>;
}

/** What is recorded about one change beyond the change itself. */
export interface ChangeRecords {
  reviews: readonly Review[];
  rehearsal: RehearsalRecord | null;
}

export interface QueueSettings {
  /** Approvals a change with block findings needs. */
  approvals: number;
  /** Require a green staging rehearsal for changes with migrations (off only with --skip-rehearsal). */
  requireRehearsal: boolean;
  /** Targets that have a staging database configured (--staging), so a rehearsal can run. */
  stagingTargets: readonly string[];
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { approvals: 1, requireRehearsal: true, stagingTargets: [] };
