/** VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock. */
import { displayName } from '../catalog/names.js';
import { holdsData, prose } from './support.js';
import type { Rule } from './types.js';

export const vacuumFull: Rule = {
  id: 'vacuum-full',
  severity: 'warn',
  category: 'downtime',
  summary: 'VACUUM FULL rewrites tables under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
  ops: ['vacuum-full'],
  checkChange(c, ctx) {
    if (c.op !== 'vacuum-full') return;
    const tables = c.tables.filter((t) => holdsData(ctx, t)).map((t) => displayName(t.q));
    if (c.tables.length > 0 && tables.length === 0) return;
    const what = tables.length > 0 ? prose(tables) : 'every table in the database';
    ctx.report({
      objects: tables,
      action: 'VACUUM FULL',
      message: `VACUUM FULL rewrites ${what} under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes`,
      suggestion: 'Use plain VACUUM, or pg_repack / pg_squeeze to reclaim space without holding the lock.',
    });
  },
};
