/**
 * Are the constraints on the touched tables valid for the data? Constraints PostgreSQL checked
 * when they were created are; a NOT VALID one (added without scanning) is proven by validating it
 * inside a transaction that is rolled back, so staging is left as the migrations left it.
 */
import type pg from 'pg';
import { quoteIdent } from '../inspector/index.js';
import { splitDisplayName } from './names.js';
import type { ConstraintProblem } from './types.js';

export async function checkConstraints(client: pg.Client, tables: readonly string[]): Promise<{ checked: number; problems: ConstraintProblem[] }> {
  const problems: ConstraintProblem[] = [];
  let checked = 0;
  for (const table of tables) {
    const [schema, name] = splitDisplayName(table) as [string, string];
    const { rows } = await client.query<{ conname: string; convalidated: boolean }>(
      `SELECT c.conname, c.convalidated FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
       WHERE n.nspname = $1 AND r.relname = $2 AND c.contype IN ('c', 'f', 'p', 'u', 'x', 'n') ORDER BY c.conname`,
      [schema, name],
    );
    for (const r of rows) {
      checked++;
      if (r.convalidated) continue;
      await client.query('BEGIN');
      try {
        await client.query(`ALTER TABLE ${quoteIdent(schema)}.${quoteIdent(name)} VALIDATE CONSTRAINT ${quoteIdent(r.conname)}`);
      } catch (err) {
        problems.push({ table, constraint: r.conname, error: (err as Error).message });
      } finally {
        await client.query('ROLLBACK');
      }
    }
  }
  return { checked, problems };
}
