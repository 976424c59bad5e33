/** Policies uploaded over HTTP: stored by name, versioned, and announced so proxies reload them. */
import { announce } from './events.js';
import type { StateDb } from './state-db.js';

export interface StoredPolicy {
  name: string;
  body: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  name: string;
  body: string;
  version: number;
  updated_by: string;
  updated_at: Date;
}

const stored = (r: Row): StoredPolicy => ({ name: r.name, body: r.body, version: r.version, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() });

/** Stores a policy text that has already been validated, and announces it on commit. */
export function putPolicy(db: StateDb, name: string, body: string, by: string): Promise<StoredPolicy> {
  return db.tx(async (c) => {
    const { rows } = await c.query<Row>(
      `INSERT INTO tripwire.policies (name, body, version, updated_by) VALUES ($1, $2, 1, $3)
       ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, version = tripwire.policies.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [name, body, by],
    );
    await announce(c, { type: 'policy', name });
    return stored(rows[0]!);
  });
}

export async function getPolicy(db: StateDb, name: string): Promise<StoredPolicy | null> {
  const rows = await db.query<Row>('SELECT * FROM tripwire.policies WHERE name = $1', [name]);
  return rows[0] ? stored(rows[0]) : null;
}

export async function listPolicies(db: StateDb): Promise<StoredPolicy[]> {
  return (await db.query<Row>('SELECT * FROM tripwire.policies ORDER BY name')).map(stored);
}
