/**
 * Released plan tokens in the state database: published to every proxy sharing the state, revoked
 * when their change goes stale, and used up statement by statement as the proxy lets them through.
 */
import type { Queryable } from '../state/state-db.js';

export interface ReleasedToken {
  id: string;
  changeId: number;
  target: string;
  schemaFingerprint: string;
  /** Fingerprints of the statements it authorizes. */
  statements: string[];
  token: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

interface Row {
  id: string;
  change_id: string;
  target: string;
  schema_fingerprint: string;
  statements: string[];
  token: string;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const released = (r: Row): ReleasedToken => ({
  id: r.id,
  changeId: Number(r.change_id),
  target: r.target,
  schemaFingerprint: r.schema_fingerprint,
  statements: r.statements,
  token: r.token,
  expiresAt: r.expires_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
  revokedReason: r.revoked_reason,
});

export async function insertToken(c: Queryable, t: Omit<ReleasedToken, 'revokedAt' | 'revokedReason'>): Promise<void> {
  await c.query(
    'INSERT INTO tripwire.plan_tokens (id, change_id, target, schema_fingerprint, statements, token, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [t.id, t.changeId, t.target, t.schemaFingerprint, t.statements, t.token, t.expiresAt],
  );
}

/** Tokens a proxy should try for `target`: released, not revoked, not expired. */
export async function liveTokens(c: Queryable, target: string): Promise<ReleasedToken[]> {
  const { rows } = await c.query<Row>('SELECT * FROM tripwire.plan_tokens WHERE target = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at', [target]);
  return rows.map(released);
}

export async function tokenById(c: Queryable, id: string): Promise<ReleasedToken | null> {
  const { rows } = await c.query<Row>('SELECT * FROM tripwire.plan_tokens WHERE id = $1', [id]);
  return rows[0] ? released(rows[0]) : null;
}

export async function tokenOfChange(c: Queryable, changeId: number): Promise<ReleasedToken | null> {
  const { rows } = await c.query<Row>('SELECT * FROM tripwire.plan_tokens WHERE change_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1', [changeId]);
  return rows[0] ? released(rows[0]) : null;
}

export async function revokeTokens(c: Queryable, changeIds: readonly number[], reason: string): Promise<number> {
  if (changeIds.length === 0) return 0;
  const res = await c.query('UPDATE tripwire.plan_tokens SET revoked_at = now(), revoked_reason = $2 WHERE change_id = ANY($1) AND revoked_at IS NULL', [changeIds, reason]);
  return res.rowCount ?? 0;
}

/** Records one authorized statement as used; returns whether the token is now used up. */
export async function recordTokenUse(c: Queryable, tokenId: string, statement: string): Promise<{ token: ReleasedToken | null; usedUp: boolean }> {
  const token = await tokenById(c, tokenId);
  if (!token) return { token: null, usedUp: false };
  await c.query('INSERT INTO tripwire.token_uses (token_id, statement) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tokenId, statement]);
  const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM tripwire.token_uses WHERE token_id = $1 AND statement = ANY($2)', [tokenId, token.statements]);
  return { token, usedUp: Number(rows[0]!.n) >= new Set(token.statements).size };
}

export async function isUsed(c: Queryable, tokenId: string, statement: string): Promise<boolean> {
  const { rows } = await c.query('SELECT 1 FROM tripwire.token_uses WHERE token_id = $1 AND statement = $2', [tokenId, statement]);
  return rows.length > 0;
}

export async function usedUpChanges(c: Queryable, target: string): Promise<Set<number>> {
  const { rows } = await c.query<{ change_id: string }>(
    `SELECT t.change_id FROM tripwire.plan_tokens t
     WHERE t.target = $1 AND cardinality(t.statements) > 0
       AND (SELECT count(DISTINCT u.statement) FROM tripwire.token_uses u WHERE u.token_id = t.id AND u.statement = ANY(t.statements)) >= (SELECT count(DISTINCT s) FROM unnest(t.statements) s)`,
    [target],
  );
  return new Set(rows.map((r) => Number(r.change_id)));
}

export async function publishPlanKey(c: Queryable, kid: string, publicKey: string): Promise<void> {
  await c.query('INSERT INTO tripwire.plan_keys (kid, public_key) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [kid, publicKey]);
}

export async function planKeys(c: Queryable): Promise<Array<{ kid: string; publicKey: string }>> {
  const { rows } = await c.query<{ kid: string; public_key: string }>('SELECT kid, public_key FROM tripwire.plan_keys ORDER BY created_at');
  return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key }));
}
