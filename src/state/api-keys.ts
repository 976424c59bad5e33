/**
 * API keys: `twk_<id>_<secret>`. The id is public (it names the key in lists and logs); only the
 * SHA-256 of the 256-bit secret is stored, and it is compared in constant time. A key is shown
 * once, when it is created.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './state-db.js';

export const ROLES = ['ci', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyInfo {
  id: string;
  /** Who holds it: the identity recorded on reviews and submissions (four-eyes compares it with authors). */
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedKey extends ApiKeyInfo {
  /** The key itself; not stored anywhere. */
  key: string;
}

const KEY_FORMAT = /^twk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function hash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: Buffer;
  created_at: Date;
  revoked_at: Date | null;
}

function info(r: KeyRow): ApiKeyInfo {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null };
}

export async function createApiKey(db: Queryable, name: string, role: Role): Promise<CreatedKey> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const { rows } = await db.query<KeyRow>('INSERT INTO tripwire.api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4) RETURNING *', [id, name, role, hash(secret)]);
  return { ...info(rows[0]!), key: `twk_${id}_${secret}` };
}

/** The key's holder and role, or null: malformed, unknown, revoked or wrong secret all look the same. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKeyInfo | null> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return null;
  const { rows } = await db.query<KeyRow>('SELECT * FROM tripwire.api_keys WHERE id = $1 AND revoked_at IS NULL', [m[1]]);
  const row = rows[0];
  const expected = row?.secret_hash ?? Buffer.alloc(32);
  const ok = timingSafeEqual(hash(m[2]!), expected);
  return ok && row ? info(row) : null;
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<KeyRow>('SELECT * FROM tripwire.api_keys ORDER BY created_at, id');
  return rows.map(info);
}

/** Revokes a key; false when there is no such key. */
export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKeyInfo | null> {
  const { rows } = await db.query<KeyRow>('UPDATE tripwire.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
  return rows[0] ? info(rows[0]) : null;
}
