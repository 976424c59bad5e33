/** A staging rehearsal's vocabulary: what goes in, what it reports as it goes, and what comes out. */
import type { Logger } from 'pino';

export type RehearsalStep = 'fresh' | 'drift' | 'before' | 'run' | 'after' | 'verify';

export interface RehearsalProgress {
  step: RehearsalStep;
  message: string;
  done?: number;
  total?: number;
}

/** Runs before the drift check: rebuilds `tables` on staging from production, drops `dropOnStaging`. */
export type FreshStep = (tables: string[], dropOnStaging: string[]) => Promise<{ text: string } | unknown>;

export interface RehearsalInput {
  /** The production target database (tripwire's own credentials). */
  productionUrl: string;
  stagingUrl: string;
  migrations: Array<{ name: string; sql: string }>;
  /** The statements the production plan token will cover (the change's destructive statements). */
  covered: string[];
  /** Columns the change means to discard (`schema.table.column` or `table.column`), with why. */
  discards: Array<{ column: string; reason: string }>;
  /** The production policy (file or directory), enforced in observe mode; the default policy when absent. */
  policyPath?: string;
  fresh?: FreshStep;
  onProgress?: (p: RehearsalProgress) => void;
  logger: Logger;
}

export interface ColumnSnapshot {
  column: string;
  nonNull: number;
  distinct: number;
  /** Sum of the 64-bit hashes of the values' text: equal for the same multiset of values, in any order. */
  hash: string;
}

export interface TableSnapshot {
  /** Display name, `schema.table`. */
  table: string;
  rows: number;
  columns: ColumnSnapshot[];
}

export interface DriftReport {
  productionFingerprint: string;
  stagingFingerprint: string;
  /** One line per difference, table by table and column by column; empty when none. */
  differences: string[];
}

export interface RecordedStatement {
  migration: string;
  sql: string;
  /** Rules that would hold it in production (empty when it would pass). */
  rules: string[];
  /** Held in production, and the plan token covers it. */
  covered: boolean;
}

export interface ColumnLoss {
  column: string;
  before: number;
  after: number;
}

export interface ColumnMove {
  from: string;
  to: string;
  values: number;
}

export interface RowLoss {
  table: string;
  before: number;
  after: number;
}

export interface ConstraintProblem {
  table: string;
  constraint: string;
  error: string;
}

export interface RehearsalReport {
  state: 'green' | 'red';
  /** One line: the problem when red, what survived when green. */
  summary: string;
  /** Readable lines: the whole report. */
  text: string;
  fresh: unknown;
  drift: DriftReport | null;
  tables: string[];
  before: TableSnapshot[];
  after: TableSnapshot[];
  statements: RecordedStatement[];
  /** Would-hold statements the plan token does not cover. */
  uncovered: RecordedStatement[];
  failure: { migration: string; error: string } | null;
  rowLosses: RowLoss[];
  losses: ColumnLoss[];
  moves: ColumnMove[];
  discarded: Array<{ column: string; values: number; reason: string }>;
  constraints: { checked: number; problems: ConstraintProblem[] };
  ms: number;
}
