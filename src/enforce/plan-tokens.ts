import { parseSync } from 'libpg-query';
import type { Finding } from '../inspector/index.js';
import type { FindingDecision } from '../policy/types.js';

/** The session setting a client presents its plan token in. */
export const PLAN_SETTING = 'tripwire.plan';

/** One authorized statement of one token: used up when it commits. */
export interface TokenCheck {
  tokenId: string;
  statement: string;
  /** The token's `exp`, seconds since the epoch. */
  expiresAt: number;
}

export type CheckResult =
  | { ok: true; tokenId: string; uses: TokenCheck[] }
  | { ok: false; tokenId: string | null; sqlstate: string; message: string };

/** What the enforcement layer needs from plan tokens; src/policy/tokens provides it. */
export interface PlanTokens {
  /** Does `token` authorize every held statement in `sql`? */
  check(token: string, sql: string, holds: readonly FindingDecision<Finding>[], database: string, liveSchemaFingerprint: string): Promise<CheckResult>;
  markUsed(use: TokenCheck): void;
}

interface VariableSet {
  VariableSetStmt?: { kind?: string; name?: string; args?: Array<{ A_Const?: { sval?: { sval?: string } } }> };
}

/**
 * `SET tripwire.plan = '<token>'`: the token, and whether the SET is the Query's only statement.
 * Null for anything else. Only texts that mention the setting are parsed here.
 */
export function planSetStatement(sql: string): { token: string; alone: boolean } | null {
  if (!/tripwire\.plan/i.test(sql)) return null;
  let stmts: Array<{ stmt?: VariableSet }>;
  try {
    stmts = (parseSync(sql).stmts ?? []) as Array<{ stmt?: VariableSet }>;
  } catch {
    return null;
  }
  for (const s of stmts) {
    const set = s.stmt?.VariableSetStmt;
    if (set?.kind === 'VAR_SET_VALUE' && set.name === PLAN_SETTING) {
      const token = set.args?.[0]?.A_Const?.sval?.sval;
      if (token !== undefined) return { token, alone: stmts.length === 1 };
    }
  }
  return null;
}

/** The parse-tree node of each held statement, by its 1-based index in `sql`. */
export function heldStatementNodes(sql: string, holds: readonly FindingDecision<Finding>[]): unknown[] {
  const stmts = parseSync(sql).stmts ?? [];
  const indexes = [...new Set(holds.map((h) => h.finding.statement))];
  return indexes.map((i) => stmts[i - 1]?.stmt).filter((n) => n !== undefined);
}
