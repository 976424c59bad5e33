/** SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a valid CHECK already proves it. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { entry, keys } from '../catalog/records.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const setNotNull: Rule = {
  id: 'set-not-null',
  severity: 'warn',
  category: 'downtime',
  summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (unless a validated CHECK … IS NOT NULL proves it).',
  ops: ['set-not-null'],
  checkChange(c, ctx) {
    if (c.op !== 'set-not-null' || !holdsData(ctx, c.table)) return;
    const table = entry(entry(ctx.catalog.schemas, c.table.q.schema)?.tables, c.table.q.name);
    const proven = keys(table?.constraints).some((name) => {
      const con = table!.constraints[name]!;
      return con.kind === 'c' && con.validated && con.provesNotNull === c.column;
    });
    if (proven) return;
    const obj = displayName(c.table.q, c.column);
    ctx.report({
      objects: [obj],
      action: `ALTER TABLE ${c.table.written} ALTER COLUMN ${quoteIdent(c.column)} SET NOT NULL`,
      message: `SET NOT NULL on ${obj} scans every row of ${displayName(c.table.q)} under an ACCESS EXCLUSIVE lock, blocking reads and writes`,
      suggestion: `Add CHECK (${quoteIdent(c.column)} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the valid check and skips the scan), then drop the check.`,
    });
  },
};
